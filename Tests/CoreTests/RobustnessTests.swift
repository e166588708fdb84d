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

    private func compile(_ bytes: [UInt8]) -> Bool {
        let compiled = CompiledSchema(sources: SourceSet(SourceFile(path: "fuzz.prisma", bytes: bytes)))
        // Every diagnostic must resolve to a real position and render.
        for d in compiled.resolved() {
            if d.line < 1 || d.column < 1 || d.rendered().isEmpty { return false }
        }
        // An error-free result must have produced a model for every declared block.
        if !compiled.hasErrors {
            let declared = compiled.ast.tops.filter { if case .model = $0 { return true } else { return false } }.count
            return compiled.model.models.count + compiled.model.compositeTypes.count == declared
        }
        return true
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
