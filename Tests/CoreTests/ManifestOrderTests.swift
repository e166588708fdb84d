import Foundation
import Testing
@testable import Core

/// The manifest lists every file in `String` order of its path, whatever order they were
/// staged in: ASCII paths are sorted as bytes, any other list by `String` comparison.
@Suite("Manifest order")
struct ManifestOrderTests {
    static func listedPaths(_ paths: [String]) -> [String]? {
        let plan = ApiSummary(ApiPlan(schema: SchemaModel()))
        let files = paths.map { ManifestEmitter.Listed(path: $0, sha256: "0", bytes: 1, kind: .contract, model: nil) }
        let manifest = ManifestEmitter.file(plan: plan, schemaText: "", options: CodeGenerator.Options(), files: files)
        return ManifestEmitter.listedPaths(in: manifest.contents)
    }

    @Test("paths are listed in String order: prefixes, digits, case, punctuation, non-ASCII")
    func stringOrder() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("aAbB09_-./zZ")
        var ascii: Set<String> = ["src", "src/a", "src/a/", "src/a.ts", "src/a/b.ts", "src/A", "src/ab", ""]
        while ascii.count < 300 {
            ascii.insert(String((0..<Int.random(in: 1...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "a" }))
        }
        let shuffled = ascii.shuffled(using: &rng)
        #expect(Self.listedPaths(shuffled) == shuffled.sorted())
        // One non-ASCII path: the whole list is sorted as `String`s (é composed and decomposed
        // are one string to Swift; bytes would part them).
        let mixed = shuffled + ["src/caf\u{E9}.ts", "src/cafe\u{301}x.ts", "src/\u{1F600}.ts"]
        #expect(Self.listedPaths(mixed.shuffled(using: &rng)) == mixed.sorted())
    }
}
