import Testing
@testable import TUI

@Suite("Unified diff of a changed file")
struct UnifiedDiffTests {
    @Test("hunks with three lines of context, numbered as diff -u numbers them; nearby changes share a hunk")
    func hunks() throws {
        let old = (1...20).map { "line \($0)" }
        var new = old
        new[4] = "line 5 changed"          // a change near the top
        new.insert("inserted", at: 6)      // close to it: the same hunk
        new.remove(at: 17)                 // far below: a second hunk ("line 17")
        let diff = try #require(UnifiedDiff.lines(old: old, new: new))
        #expect(diff == [
            .hunk("@@ -2,8 +2,9 @@"),
            .same("line 2"), .same("line 3"), .same("line 4"),
            .removed("line 5"), .added("line 5 changed"),
            .same("line 6"), .added("inserted"), .same("line 7"), .same("line 8"), .same("line 9"),
            .hunk("@@ -14,7 +15,6 @@"),
            .same("line 14"), .same("line 15"), .same("line 16"), .removed("line 17"), .same("line 18"), .same("line 19"), .same("line 20"),
        ])
    }

    @Test("the same lines: no hunks; lines added to an empty file start at 0; too long: no diff")
    func edges() {
        #expect(UnifiedDiff.lines(old: ["a", "b"], new: ["a", "b"]) == [])
        #expect(UnifiedDiff.lines(old: [], new: ["a", "b"]) == [.hunk("@@ -0,0 +1,2 @@"), .added("a"), .added("b")])
        #expect(UnifiedDiff.lines(old: ["a", "b"], new: ["b"]) == [.hunk("@@ -1,2 +1,1 @@"), .removed("a"), .same("b")])
        let long = Array(repeating: "x", count: UnifiedDiff.maximumLines + 1)
        #expect(UnifiedDiff.lines(old: long, new: ["x"]) == nil)
    }
}
