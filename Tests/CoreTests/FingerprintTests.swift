import Foundation
import Testing
@testable import Core

/// Fingerprints are what the phase cache trusts: equal fingerprints must mean equal content,
/// and source positions must not count.
@Suite("Fingerprints")
struct FingerprintTests {
    static let schema = """
    datasource db {
      provider = "postgresql"
      url      = env("DATABASE_URL")
    }

    enum Role {
      USER
      ADMIN
    }

    model Author {
      id    Int    @id @default(autoincrement())
      name  String
      role  Role   @default(USER)
      books Book[]
    }

    model Book {
      id       Int    @id @default(autoincrement())
      title    String @unique
      author   Author @relation(fields: [authorId], references: [id])
      authorId Int
    }
    """

    static func model(_ text: String) -> SchemaModel {
        CompiledSchema(sources: SourceSet(SourceFile(path: "schema.prisma", text: text))).model
    }

    @Test("every stored property of SchemaModel is part of its fingerprint")
    func schemaModelProperties() {
        // `SchemaModel.fingerprint(models:)` lists its properties by hand: a new one must be added there.
        let names = Mirror(reflecting: SchemaModel()).children.compactMap(\.label)
        #expect(names == ["datasources", "generators", "models", "enums", "compositeTypes"])
    }

    @Test("positions, blank lines and comments leave fingerprints alone; content changes them")
    func contentOnly() {
        let base = Self.model(Self.schema)
        let moved = Self.model("// a comment\n\n\n" + Self.schema.replacingOccurrences(of: "  name  String\n", with: "  name  String // who\n\n"))
        #expect(base.contextFingerprint == moved.contextFingerprint)
        #expect(base.modelFingerprints() == moved.modelFingerprints())

        let edited = Self.model(Self.schema.replacingOccurrences(of: "  title    String @unique", with: "  title    String @unique\n  pages Int?"))
        #expect(base.contextFingerprint != edited.contextFingerprint)
        let (before, after) = (base.modelFingerprints(), edited.modelFingerprints())
        #expect(before[0] == after[0], "Author did not change")
        #expect(before[1] != after[1], "Book did")

        let enumEdited = Self.model(Self.schema.replacingOccurrences(of: "  ADMIN\n", with: "  ADMIN\n  GUEST\n"))
        #expect(base.contextFingerprint != enumEdited.contextFingerprint)
    }

    @Test("the plan's per-model fingerprints follow its models and are computed once")
    func planPieces() {
        let base = ApiPlan(schema: Self.model(Self.schema))
        let edited = ApiPlan(schema: Self.model(Self.schema.replacingOccurrences(of: "  title    String @unique", with: "  title    String")))
        let (a, b) = (base.ownModelFingerprints(), edited.ownModelFingerprints())
        #expect(a.own["Author"] == b.own["Author"])
        #expect(a.own["Book"] != b.own["Book"])
        #expect(a.global == b.global)
        #expect(base.contextFingerprint != edited.contextFingerprint)
        #expect(base.ownModelFingerprints().own == a.own)
    }

    @Test("parts are delimited: moving bytes between parts changes the fingerprint, across block boundaries too")
    func delimited() {
        func fp(_ parts: [String]) -> Fingerprint {
            var f = Fingerprinter("test")
            for p in parts { f.add(p) }
            return f.finalize()
        }
        #expect(fp(["ab", "c"]) != fp(["a", "bc"]))
        let long = String(repeating: "x", count: 40_000)
        #expect(fp([long, "y"]) != fp([long + "y"]))
        #expect(fp([long, "y"]) == fp([long, "y"]))
        // The same bytes hashed in one piece or in many give the same digest.
        var one = Fingerprinter("test")
        one.add(bytes: Array(repeating: 7, count: 50_000))
        var again = Fingerprinter("test")
        again.add(bytes: Array(repeating: 7, count: 50_000))
        #expect(one.finalize() == again.finalize())
    }
}

/// The record of how the output's files look on disk: trusted by `lstat` once settled, and only
/// after hashing the bytes again while racy (written too close to the time it was recorded).
@Suite("Output stat cache")
struct OutputStatCacheTests {
    @Test("a racy record is trusted only when the bytes still hash to it; a settled one by its lstat")
    func racyRecords() throws {
        let dir = TempDir("statcache")
        defer { dir.cleanup() }
        try dir.write("out/a.ts", "export const a = 1;\n")
        let file = dir.path("out/a.ts").path
        let real = Fingerprint.of("export const a = 1;\n").hex
        let wrong = Fingerprint.of("export const a = 2;\n").hex
        let s = try #require(OutputStatCache.stat(file))
        func cache(_ sha: String, _ flag: String) throws -> OutputStatCache {
            let url = dir.path("stat-\(flag)-\(sha.prefix(4))")
            try Data((OutputStatCache.header + "\(sha) \(s.size) \(s.mtime) \(s.ctime) \(s.inode) \(flag) a.ts\n").utf8).write(to: url)
            return OutputStatCache(contentsOf: url)
        }
        #expect(try cache(real, "r").knownHash("a.ts", at: file) == real)
        #expect(try cache(wrong, "r").knownHash("a.ts", at: file) == nil, "a racy record is checked against the bytes")
        #expect(try cache(wrong, "s").knownHash("a.ts", at: file) == wrong, "a settled record is trusted by its lstat")
        #expect(try !cache(real, "r").isSettled("a.ts", sha256: real))
        #expect(try cache(real, "s").isSettled("a.ts", sha256: real))

        // Recorded just after writing: racy. Recorded once the window has passed: settled.
        let url = dir.path("stat")
        OutputStatCache.record([("a.ts", real, nil)], outputDir: dir.path("out"), to: url)
        #expect(!OutputStatCache(contentsOf: url).isSettled("a.ts", sha256: real))
        var past = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, file, &past, 0)
        // The change time moves with utimensat: wait until it is outside the window (a state, not a delay).
        while let now = OutputStatCache.stat(file), now.ctime >= OutputStatCache.racyLimit() { usleep(20_000) }
        OutputStatCache.record([("a.ts", real, nil)], outputDir: dir.path("out"), to: url)
        #expect(OutputStatCache(contentsOf: url).isSettled("a.ts", sha256: real))
    }
}
