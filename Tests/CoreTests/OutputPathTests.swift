import Foundation
import Testing
@testable import Core

/// Every staged path is checked before anything is written: relative, not empty, no `..` part,
/// no backslash. The check scans bytes; it must refuse exactly what the rule says.
@Suite("Staged path check")
struct OutputPathTests {
    /// The rule, written plainly.
    static func refused(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return path.hasPrefix("/") || parts.contains("..") || parts.isEmpty || path.contains("\\")
    }

    @Test("the byte scan refuses exactly the absolute, empty, `..` and backslash paths")
    func sameAsTheRule() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "b", ".", "..", "...", "/", "//", "\\", "é", "src", ".a", "a."]
        var paths = ["", "/", "..", "../a", "a/..", "a/../b", "a/..b", "..a/b", "a\\b", "./a", "a/./b", "src/a.ts", "é/..", "//a", "a//b"]
        for _ in 0..<3_000 {
            paths.append((0..<Int.random(in: 1...6, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "a" }.joined())
        }
        for path in paths {
            let scan = (try? OutputTransaction.checkPath(path)) == nil
            #expect(scan == Self.refused(path), "\(path.debugDescription): refused \(scan), the rule says \(Self.refused(path))")
        }
    }
}
