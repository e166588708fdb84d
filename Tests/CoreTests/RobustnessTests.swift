import Foundation
import Testing
@testable import Core

/// Truncated and byte-mutated schemas must always yield diagnostics or a model, never a trap.
@Suite("Parser robustness")
struct RobustnessTests {
    /// Deterministic PRNG so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds: [URL] = {
        let psl = ["validation/relations", "rs_extracted/parsing", "extra/query-engine/dmmf/test_files"]
            .flatMap { dir -> [URL] in
                let url = Corpus.psl.appendingPathComponent(dir)
                let items = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
                return items.filter { $0.pathExtension == "prisma" }.sorted { $0.path < $1.path }.prefix(12).map { $0 }
            }
        return Corpus.realSchemas + psl
    }()

    static let tokens: [[UInt8]] = ["{", "}", "(", ")", "[", "]", "@", "@@", "\"", "\\", "\n", "//", "///", "/*", ",", ":", "=", "?", "!", "é", "\u{0}", "model", "enum", "-1"].map { Array($0.utf8) }

    /// The front end's invariants on `bytes` (`FrontEndCheck`, what the fuzzer checks too).
    private func compile(_ bytes: [UInt8]) -> Bool {
        FrontEndCheck.run(bytes) == nil
    }

    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    @Test("every kept fuzz regression input holds the front end's invariants")
    func fuzzRegressions() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.regressions, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension != "md" }
        #expect(!files.isEmpty)
        for url in files {
            let violation = FrontEndCheck.run([UInt8](try Data(contentsOf: url)))
            #expect(violation == nil, "\(url.lastPathComponent): \(String(describing: violation))")
        }
    }

    static let datasource = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"X\")\n}\n"

    /// Compiles `text` and returns its errors.
    private func errors(_ text: String) -> [ResolvedDiagnostic] {
        CompiledSchema(sources: SourceSet(SourceFile(path: "p.prisma", text: text))).resolved().filter { $0.severity == .error }
    }

    @Test("pathological inputs finish or are refused with a limit error: 100,000 nested brackets, a 4 MB line, a 5,000-type composite ring")
    func pathological() throws {
        let deep = Self.datasource + "model A {\n  id Int @id\n  v Int[] @default(" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + ")\n}\n"
        let deepErrors = errors(deep)
        #expect(deepErrors.count == 1)
        #expect(deepErrors.first?.message == "Error parsing: this expression nests deeper than \(Parser.maxExpressionDepth) levels of brackets and calls, the limit.")
        #expect(deepErrors.first.map { $0.line == 7 && $0.column == 20 + Parser.maxExpressionDepth } == true, "\(String(describing: deepErrors.first))")
        // The code frame shows an excerpt of the 200,000-character line, not all of it.
        #expect((deepErrors.first?.rendered().count ?? 0) < 1_000)

        let long = Self.datasource + "model A {\n  id Int @id\n" + String(repeating: "a b ", count: 1_000_000) + "\n}\n"
        let longErrors = errors(long)
        #expect(longErrors.count == 1 && longErrors.first?.sourceLine.hasSuffix("…") == true)
        #expect((longErrors.first?.rendered().count ?? 0) < 1_000)

        let ring = "datasource db {\n  provider = \"mongodb\"\n  url = env(\"X\")\n}\n"
            + (0..<5_000).map { "type T\($0) {\n  a T\(($0 + 1) % 5_000)\n}\n" }.joined()
        let ringErrors = errors(ring)
        #expect(ringErrors.count == 101, "the first 100 cycles are listed, then one line counts the rest")
        #expect(ringErrors.last?.message.hasPrefix("4900 more required fields of composite types cause endless cycles") == true)
    }

    @Test("truncated schemas never trap")
    func truncations() throws {
        var cases = 0
        for url in Self.seeds {
            let bytes = [UInt8](try Data(contentsOf: url))
            let step = max(1, bytes.count / 60)
            var cut = 0
            while cut <= bytes.count {
                #expect(compile(Array(bytes[0..<cut])), "\(url.lastPathComponent) cut at \(cut)")
                cut += step
                cases += 1
            }
        }
        #expect(cases > 1000)
    }

    @Test("byte-mutated schemas never trap")
    func mutations() throws {
        var rng = SplitMix64(state: 0x5EED)
        var cases = 0
        for url in Self.seeds {
            let original = [UInt8](try Data(contentsOf: url))
            guard !original.isEmpty else { continue }
            for _ in 0..<80 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                    case 1: bytes.remove(at: at); if bytes.isEmpty { bytes = [0x20] }
                    case 2: bytes.insert(contentsOf: Self.tokens.randomElement(using: &rng)!, at: at)
                    default:
                        let len = min(bytes.count - at, Int.random(in: 1...40, using: &rng))
                        bytes.insert(contentsOf: bytes[at..<(at + len)], at: Int.random(in: 0..<bytes.count, using: &rng))
                    }
                }
                #expect(compile(bytes))
                cases += 1
            }
        }
        #expect(cases > 2000)
    }
}
