import Foundation
import Testing
@testable import Core

/// The phase cache may cost time, never correctness: every cached run's output is
/// byte-identical to a `--no-cache` run of the same input into a fresh folder.
@Suite struct PhaseCacheTests {
    /// One cached output folder and its cache, compared after each run with a reference run.
    struct Oracle {
        let tmp = TempDir("cache-oracle")
        var schema: URL { tmp.path("schema.prisma") }
        var cached: URL { tmp.path("cached") }
        var cacheDir: URL { tmp.path("cache") }
        var runs = 0
        var lastGood: [String: Data] = [:]
        /// The cached runs' `keepsStagedText` (false: as `phaserunner generate` runs).
        var keepsText = true

        func config(standalone: Bool, skip: Set<String>, cache: CacheSetting, out: URL) -> GeneratorConfig {
            var config = GeneratorConfig(schemaPath: schema.path, outputDir: out.path, standalone: standalone, disabledPhases: skip,
                                         projectName: "oracle", cache: cache)
            if cache != .disabled { config.keepsStagedText = keepsText }
            return config
        }

        /// Runs cached, then `--no-cache` into a fresh folder, and checks both are identical.
        @discardableResult
        mutating func check(_ text: String, standalone: Bool = true, skip: Set<String> = [], _ label: String) async throws -> RunReport {
            try text.write(to: schema, atomically: true, encoding: .utf8)
            runs += 1
            let report = await StandardPhases.runner(config: config(standalone: standalone, skip: skip, cache: .directory(cacheDir.path), out: cached)).run()
            let reference = tmp.path("reference-\(runs)")
            let expected = await StandardPhases.runner(config: config(standalone: standalone, skip: skip, cache: .disabled, out: reference)).run()
            #expect(report.status == expected.status, "\(label): cached \(report.status), no-cache \(expected.status)")
            // A failed run leaves the output as it was (and a fresh folder empty).
            let got = TempDir.snapshot(cached), want = expected.status == .succeeded ? TempDir.snapshot(reference) : lastGood
            if expected.status == .succeeded { lastGood = got }
            if got != want {
                let differing = Set(got.keys).union(want.keys).filter { got[$0] != want[$0] }.sorted()
                Issue.record("\(label): \(differing.count) files differ from --no-cache: \(differing.prefix(8))")
            }
            try? FileManager.default.removeItem(at: reference)
            return report
        }
    }

    static let base = """
    datasource db {
      provider = "postgresql"
      url      = env("DATABASE_URL")
    }

    generator client {
      provider = "prisma-client-js"
    }

    enum Role {
      USER
      ADMIN
    }

    model User {
      id       Int       @id @default(autoincrement())
      email    String    @unique
      name     String?
      role     Role      @default(USER)
      posts    Post[]
      profile  Profile?
      comments Comment[]
    }

    model Profile {
      id     Int     @id @default(autoincrement())
      bio    String?
      user   User    @relation(fields: [userId], references: [id])
      userId Int     @unique
    }

    model Post {
      id         Int       @id @default(autoincrement())
      title      String
      body       String?
      published  Boolean   @default(false)
      author     User      @relation(fields: [authorId], references: [id])
      authorId   Int
      comments   Comment[]
      tags       Tag[]
      category   Category? @relation(fields: [categoryId], references: [id])
      categoryId Int?
    }

    model Comment {
      id       Int    @id @default(autoincrement())
      text     String
      post     Post   @relation(fields: [postId], references: [id])
      postId   Int
      author   User   @relation(fields: [authorId], references: [id])
      authorId Int
    }

    model Tag {
      id    Int    @id @default(autoincrement())
      name  String @unique
      posts Post[]
    }

    model Category {
      id       Int        @id @default(autoincrement())
      name     String
      parent   Category?  @relation("Tree", fields: [parentId], references: [id])
      parentId Int?
      children Category[] @relation("Tree")
      posts    Post[]
    }

    """

    static let models = ["User", "Profile", "Post", "Comment", "Tag", "Category"]

    /// Text edits on a schema.
    enum Edit {
        static func addField(_ text: String, _ model: String, _ line: String) -> String {
            guard let start = text.range(of: "model \(model) {\n"), let close = text.range(of: "\n}", range: start.upperBound..<text.endIndex) else { return text }
            return text.replacingCharacters(in: close.lowerBound..<close.lowerBound, with: "\n  " + line)
        }
        static func removeLine(_ text: String, _ model: String, startingWith field: String) -> String {
            guard let start = text.range(of: "model \(model) {\n"), let close = text.range(of: "\n}", range: start.upperBound..<text.endIndex) else { return text }
            let body = text[start.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix(field + " ") }.joined(separator: "\n")
            return text.replacingCharacters(in: start.upperBound..<close.lowerBound, with: body)
        }
        static func rename(_ text: String, _ model: String, _ old: String, _ new: String) -> String {
            guard let start = text.range(of: "model \(model) {\n"), let close = text.range(of: "\n}", range: start.upperBound..<text.endIndex) else { return text }
            let body = text[start.upperBound..<close.lowerBound].replacingOccurrences(of: "  \(old) ", with: "  \(new) ")
            return text.replacingCharacters(in: start.upperBound..<close.lowerBound, with: body)
        }
        static func removeModel(_ text: String, _ model: String) -> String {
            guard let start = text.range(of: "model \(model) {\n"), let close = text.range(of: "\n}\n", range: start.upperBound..<text.endIndex) else { return text }
            return text.replacingCharacters(in: start.lowerBound..<close.upperBound, with: "")
        }
    }

    @Test("50+ scripted edits: every cached run is byte-identical to --no-cache, and unrelated models are reused")
    func scriptedEdits() async throws {
        var oracle = Oracle()
        defer { oracle.tmp.cleanup() }
        typealias State = (text: String, standalone: Bool, skip: Set<String>)
        var steps: [(String, (State) -> State)] = []
        for (i, m) in Self.models.enumerated() {
            steps.append(("add a field to \(m)", { s in (Edit.addField(s.text, m, "extra\(i) String?"), s.standalone, s.skip) }))
            steps.append(("rename it", { s in (Edit.rename(s.text, m, "extra\(i)", "renamed\(i)"), s.standalone, s.skip) }))
            steps.append(("make it required with a default", { s in (s.text.replacingOccurrences(of: "renamed\(i) String?", with: "renamed\(i) String @default(\"x\")"), s.standalone, s.skip) }))
            steps.append(("remove it", { s in (Edit.removeLine(s.text, m, startingWith: "renamed\(i)"), s.standalone, s.skip) }))
        }
        steps += [
            ("add a model", { s in (s.text + "\nmodel Audit {\n  id    Int    @id @default(autoincrement())\n  label String\n}\n", s.standalone, s.skip) }),
            ("add a field to the new model", { s in (Edit.addField(s.text, "Audit", "note String?"), s.standalone, s.skip) }),
            ("relate it to User", { s in
                let t = Edit.addField(Edit.addField(s.text, "Audit", "user User? @relation(fields: [userId], references: [id])\n  userId Int?"), "User", "audits Audit[]")
                return (t, s.standalone, s.skip)
            }),
            ("remove the relation", { s in (Edit.removeLine(Edit.removeLine(Edit.removeLine(s.text, "Audit", startingWith: "user"), "Audit", startingWith: "userId"), "User", startingWith: "audits"), s.standalone, s.skip) }),
            ("remove the model", { s in (Edit.removeModel(s.text, "Audit"), s.standalone, s.skip) }),
            ("make Post.category required", { s in (s.text.replacingOccurrences(of: "category   Category? @relation", with: "category   Category  @relation").replacingOccurrences(of: "categoryId Int?", with: "categoryId Int"), s.standalone, s.skip) }),
            ("make it optional again", { s in (s.text.replacingOccurrences(of: "category   Category  @relation", with: "category   Category? @relation").replacingOccurrences(of: "categoryId Int\n", with: "categoryId Int?\n"), s.standalone, s.skip) }),
            ("turn standalone off", { s in (s.text, false, s.skip) }),
            ("edit User without standalone", { s in (Edit.addField(s.text, "User", "nickname String?"), s.standalone, s.skip) }),
            ("turn standalone on", { s in (s.text, true, s.skip) }),
            ("skip writeTests", { s in (s.text, s.standalone, s.skip.union(["writeTests"])) }),
            ("skip generateOpenAPI too", { s in (s.text, s.standalone, s.skip.union(["generateOpenAPI"])) }),
            ("edit Tag with both skipped", { s in (Edit.addField(s.text, "Tag", "color String?"), s.standalone, s.skip) }),
            ("enable both again", { s in (s.text, s.standalone, []) }),
            ("a comment line only", { s in (s.text.replacingOccurrences(of: "model Tag {", with: "// tags group posts\nmodel Tag {"), s.standalone, s.skip) }),
            ("a doc comment on Tag", { s in (s.text.replacingOccurrences(of: "model Tag {", with: "/// A label on posts.\nmodel Tag {"), s.standalone, s.skip) }),
            ("hide a field", { s in (s.text.replacingOccurrences(of: "  bio    String?", with: "  /// @hidden\n  bio    String?"), s.standalone, s.skip) }),
            ("an enum value", { s in (s.text.replacingOccurrences(of: "  ADMIN\n", with: "  ADMIN\n  GUEST\n"), s.standalone, s.skip) }),
            ("a required field on a parent", { s in (Edit.addField(s.text, "User", "handle String"), s.standalone, s.skip) }),
            ("a unique criterion", { s in (s.text.replacingOccurrences(of: "  handle String", with: "  handle String @unique"), s.standalone, s.skip) }),
            ("change a field type", { s in (s.text.replacingOccurrences(of: "  published  Boolean   @default(false)", with: "  published  Int       @default(0)"), s.standalone, s.skip) }),
            ("an m:n relation", { s in (Edit.addField(Edit.addField(s.text, "Tag", "comments Comment[]"), "Comment", "tags Tag[]"), s.standalone, s.skip) }),
            ("rename a model", { s in
                var t = s.text.replacingOccurrences(of: "model Tag {", with: "model Label {")
                t = t.replacingOccurrences(of: "tags       Tag[]", with: "tags       Label[]").replacingOccurrences(of: "tags Tag[]", with: "tags Label[]")
                return (t, s.standalone, s.skip)
            }),
            ("a syntax error", { s in (s.text + "\nmodel Broken {\n  id Int @id\n", s.standalone, s.skip) }),
            ("fix it", { s in (s.text.replacingOccurrences(of: "\nmodel Broken {\n  id Int @id\n", with: ""), s.standalone, s.skip) }),
            ("a validation error", { s in (Edit.addField(s.text, "Post", "owner Nobody"), s.standalone, s.skip) }),
            ("fix that", { s in (Edit.removeLine(s.text, "Post", startingWith: "owner"), s.standalone, s.skip) }),
        ]
        var state: State = (Self.base, true, [])
        var history: [State] = [state]
        try await oracle.check(state.text, "the base schema")
        for (label, edit) in steps {
            state = edit(state)
            history.append(state)
            try await oracle.check(state.text, standalone: state.standalone, skip: state.skip, label)
        }
        // Reverting edits brings back outputs the cache has seen: every phase is restored.
        for back in [history[history.count / 2], history[1], history[0]] {
            let report = try await oracle.check(back.text, standalone: back.standalone, skip: back.skip, "revert")
            #expect((report.cache?.misses ?? -1) == 0, "a revert to a state seen before misses: \(String(describing: report.cache))")
        }
        #expect(steps.count + 3 >= 50)

        // One field on one model: only that model and the models whose files name it are emitted again.
        state = history[0]
        try await oracle.check(state.text, "base again")
        let one = try await oracle.check(Edit.addField(state.text, "Tag", "weight Int?"), "one field on Tag")
        // generateCode, generateOpenAPI and writeTests each emit Tag again, nothing else: a plain
        // field is outside Tag's interface, which is all that Post (relating to it) reads.
        #expect(one.cache?.partMisses == 3, "\(String(describing: one.cache))")
        #expect(one.cache?.partHits == 3 * (Self.models.count - 1), "\(String(describing: one.cache))")
        #expect(one.phases.first { $0.phase.name == "writeInfrastructure" }?.status == .cached)
    }

    @Test("every real schema: cached runs equal --no-cache runs, and a second run restores every cached phase")
    func realSchemas() async throws {
        for url in Corpus.realSchemas {
            var oracle = Oracle()
            defer { oracle.tmp.cleanup() }
            let text = try String(contentsOf: url, encoding: .utf8)
            let first = try await oracle.check(text, url.lastPathComponent)
            #expect(first.status == .succeeded, "\(url.lastPathComponent)")
            let second = try await oracle.check(text, url.lastPathComponent + " again")
            #expect(second.cache?.misses == 0 && (second.cache?.hits ?? 0) >= 9, "\(url.lastPathComponent): \(String(describing: second.cache))")
            let cached = second.phases.filter { $0.status == .cached }.map(\.phase.name)
            #expect(!cached.contains("setupOutputDir") && !cached.contains("writeManifest"))
        }
    }

    @Test("garbled, truncated, foreign and deleted cache files are ignored and rewritten")
    func corruption() async throws {
        var oracle = Oracle()
        defer { oracle.tmp.cleanup() }
        try await oracle.check(Self.base, "first run")
        var rng = SystemRandomNumberGenerator()
        var sawCorrupt = false
        for round in 0..<6 {
            let files = Self.files(under: oracle.cacheDir).filter { $0.path.contains("/objects/") || $0.path.contains("/entries/") }
            #expect(!files.isEmpty)
            for url in files.shuffled(using: &rng).prefix(max(1, files.count / 3)) {
                guard var data = FileManager.default.contents(atPath: url.path) else { continue }
                switch (round + Int.random(in: 0..<4, using: &rng)) % 4 {
                case 0 where !data.isEmpty: data[Int.random(in: 0..<data.count, using: &rng)] ^= 0x5a
                case 1: data = data.prefix(data.count / 2)
                case 2: data = Data("{\"format\": 99, \"foreign\": true}".utf8)
                default: try FileManager.default.removeItem(at: url); continue
                }
                try data.write(to: url)
            }
            // Edit now and then, so both whole phases and per-model pieces are read back.
            let text = round % 2 == 0 ? Self.base : Edit.addField(Self.base, "Tag", "r\(round) String?")
            let report = try await oracle.check(text, "after damaging the cache (round \(round))")
            #expect(report.status == .succeeded)
            sawCorrupt = sawCorrupt || (report.cache?.corrupt ?? 0) > 0
        }
        #expect(sawCorrupt, "damaged entries were never noticed")
        // What was damaged has been rewritten: a run on an unchanged schema restores everything.
        // (A damaged blob is found when it is read; one run reads them, the next rewrites what it found.)
        try await oracle.check(Self.base, "settle")
        try await oracle.check(Self.base, "settle again")
        let clean = try await oracle.check(Self.base, "after the damage")
        #expect(clean.cache?.misses == 0 && clean.cache?.corrupt == 0,
                "\(String(describing: clean.cache)); executed: \(clean.phases.filter { $0.status == .succeeded }.map(\.phase.name))")
    }

    @Test("a blob is a hard link to the file it was staged as; a generated file edited in place (damaging that blob) costs a miss, never a wrong file")
    func linkedBlobs() async throws {
        var oracle = Oracle()
        defer { oracle.tmp.cleanup() }
        try await oracle.check(Self.base, "first run")
        // The blobs of the first generation share their files' inodes (no second copy of the bytes).
        let service = oracle.cached.appendingPathComponent("src/services/user/user.service.ts")
        var st = stat()
        #expect(lstat(service.path, &st) == 0 && st.st_nlink == 2, "links: \(st.st_nlink)")
        let blobs = Self.files(under: oracle.cacheDir.appendingPathComponent("objects"))
        #expect(blobs.contains { lstat($0.path, &st) == 0 && st.st_nlink == 2 })
        // Never a hook file: the user owns it, and no damage to the cache may reach it.
        let hook = oracle.cached.appendingPathComponent("src/hooks/secrets.ts")
        #expect(lstat(hook.path, &st) == 0 && st.st_nlink == 1, "hook links: \(st.st_nlink)")
        // Edited in place (an editor that writes into the same file): the blob changes with it.
        let handle = try FileHandle(forWritingTo: service)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("// edited in place\n".utf8))
        try handle.close()
        // The cached run puts the generated file back (its bytes from a fresh emission, not
        // from the damaged blob) ...
        try await oracle.check(Self.base, "after an in-place edit")
        // ... and with the output gone, every file comes from the cache, the damaged blob too.
        try FileManager.default.removeItem(at: oracle.cached)
        try await oracle.check(Self.base, "output removed")
        try FileManager.default.removeItem(at: oracle.cached)
        let report = try await oracle.check(Edit.addField(Self.base, "Tag", "note String?"), "an edit, output removed")
        #expect(report.status == .succeeded)
    }

    @Test("a headless run lets go of staged text: its cache entries and output are the same, the files read back from staging")
    func stagedTextLetGo() async throws {
        var oracle = Oracle()
        oracle.keepsText = false
        defer { oracle.tmp.cleanup() }
        try await oracle.check(Self.base, "first run")
        let hit = try await oracle.check(Self.base, "no change")
        #expect(hit.phases.filter { $0.status == .cached }.count >= 8, "cached phases: \(hit.phases.filter { $0.status == .cached }.map(\.phase.name))")
        try await oracle.check(Edit.addField(Self.base, "Tag", "note String?"), "an edit")
        // Every file from the cache, whose blobs were linked to (or copied from) staging.
        try FileManager.default.removeItem(at: oracle.cached)
        try await oracle.check(Edit.addField(Self.base, "Tag", "note String?"), "output removed")
    }

    @Test("two runs sharing one cache folder at once leave it whole")
    func sharedCacheConcurrently() async throws {
        let tmp = TempDir("cache-shared")
        defer { tmp.cleanup() }
        let schema = tmp.path("schema.prisma")
        try Self.base.write(to: schema, atomically: true, encoding: .utf8)
        let cache = CacheSetting.directory(tmp.path("cache").path)
        func config(_ out: String, _ cache: CacheSetting) -> GeneratorConfig {
            GeneratorConfig(schemaPath: schema.path, outputDir: tmp.path(out).path, projectName: "shared", cache: cache)
        }
        async let a = StandardPhases.runner(config: config("a", cache)).run()
        async let b = StandardPhases.runner(config: config("b", cache)).run()
        async let c = StandardPhases.runner(config: config("c", cache)).run()
        let reports = await [a, b, c]
        #expect(reports.allSatisfy { $0.status == .succeeded })
        _ = await StandardPhases.runner(config: config("reference", .disabled)).run()
        let reference = TempDir.snapshot(tmp.path("reference"))
        for out in ["a", "b", "c"] { #expect(TempDir.snapshot(tmp.path(out)) == reference, "\(out)") }
        let again = await StandardPhases.runner(config: config("d", cache)).run()
        #expect(again.cache?.misses == 0 && again.cache?.corrupt == 0, "\(String(describing: again.cache))")
        #expect(TempDir.snapshot(tmp.path("d")) == reference)
    }

    @Test("--no-cache neither reads nor writes a cache; the default cache sits beside the output")
    func noCacheAndDefaultLocation() async throws {
        let tmp = TempDir("cache-location")
        defer { tmp.cleanup() }
        let schema = tmp.path("schema.prisma")
        try Self.base.write(to: schema, atomically: true, encoding: .utf8)
        let off = await StandardPhases.runner(config: GeneratorConfig(schemaPath: schema.path, outputDir: tmp.path("out").path, cache: .disabled)).run()
        #expect(off.cache == nil && off.phases.allSatisfy { $0.status != .cached })
        #expect(!FileManager.default.fileExists(atPath: tmp.path(".out.phaserunner-cache").path))
        _ = await StandardPhases.runner(config: GeneratorConfig(schemaPath: schema.path, outputDir: tmp.path("out").path)).run()
        #expect(FileManager.default.fileExists(atPath: tmp.path(".out.phaserunner-cache/entries").path))
        #expect(CacheSetting.from(noCache: false, cacheDir: nil, environment: ["PHASERUNNER_CACHE_DIR": "/x"]) == .directory("/x"))
        #expect(CacheSetting.from(noCache: false, cacheDir: "/y", environment: ["PHASERUNNER_CACHE_DIR": "/x"]) == .directory("/y"))
        #expect(CacheSetting.from(noCache: true, cacheDir: "/y") == .disabled)
    }

    @Test("eviction keeps the cache under its limit, least recently used first, and what is left still works")
    func eviction() async throws {
        var oracle = Oracle()
        defer { oracle.tmp.cleanup() }
        try await oracle.check(Self.base, "fill")
        let store = CacheStore(directory: oracle.cacheDir, limitBytes: 64 * 1024, unreferencedGrace: 0)
        let before = store.info()
        #expect(before.bytes > 64 * 1024)
        store.account(addedBytes: 1)
        let after = store.info()
        #expect(after.bytes <= 64 * 1024, "\(after.bytes) bytes left")
        #expect(after.entries < before.entries)
        try await oracle.check(Self.base, "after eviction")
        #expect(try store.clean() > 0)
        #expect(store.info().entries == 0)
    }

    static func files(under dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return e.compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }
}
