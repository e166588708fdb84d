/// A unified diff of two texts' lines (`diff -u`): hunks of changed lines with `context` lines
/// of unchanged text around them, each hunk headed `@@ -a,b +c,d @@`. The edit script is the
/// standard library's `difference(from:)` (Myers' algorithm).
public enum UnifiedDiff {
    public enum Line: Sendable, Hashable {
        case hunk(String)
        case same(String)
        case removed(String)
        case added(String)
    }

    /// Texts of more lines than this are not diffed (the edit script costs up to the product).
    public static let maximumLines = 20_000

    /// The hunks; empty when the texts have the same lines, nil when one is too long to diff.
    public static func lines(old: [String], new: [String], context: Int = 3) -> [Line]? {
        guard old.count <= maximumLines, new.count <= maximumLines else { return nil }
        let difference = new.difference(from: old)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // The edit script, in order: (old index, new index) per step, nil on the side without it.
        var steps: [(old: Int?, new: Int?)] = []
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count, removed.contains(i) {
                steps.append((i, nil)); i += 1
            } else if j < new.count, inserted.contains(j) {
                steps.append((nil, j)); j += 1
            } else {
                steps.append((i, j)); i += 1; j += 1
            }
        }
        let changed = steps.indices.filter { steps[$0].old == nil || steps[$0].new == nil }
        guard !changed.isEmpty else { return [] }
        // Hunks: runs of changes closer than twice the context, widened by the context.
        var ranges: [ClosedRange<Int>] = []
        for c in changed {
            let lo = max(0, c - context), hi = min(steps.count - 1, c + context)
            if let last = ranges.last, lo <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, hi)
            } else {
                ranges.append(lo...hi)
            }
        }
        var out: [Line] = []
        for r in ranges {
            let part = steps[r]
            let oldLines = part.compactMap(\.old), newLines = part.compactMap(\.new)
            // Line numbers start at 1; an empty side is numbered by the line before it.
            let before = steps[..<r.lowerBound]
            let oldStart = oldLines.first.map { $0 + 1 } ?? (before.last { $0.old != nil }?.old.map { $0 + 1 } ?? 0)
            let newStart = newLines.first.map { $0 + 1 } ?? (before.last { $0.new != nil }?.new.map { $0 + 1 } ?? 0)
            out.append(.hunk("@@ -\(oldStart),\(oldLines.count) +\(newStart),\(newLines.count) @@"))
            for step in part {
                switch (step.old, step.new) {
                case (let o?, nil): out.append(.removed(old[o]))
                case (nil, let n?): out.append(.added(new[n]))
                case (_, let n?): out.append(.same(new[n]))
                case (nil, nil): break
                }
            }
        }
        return out
    }
}
