import Foundation

/// Splitting front-end work (parsing a large file, building its models) into parts for all cores.
enum Concurrent {
    /// Set (for a task) to fix the number of parts: 1 does the work in one pass, what the
    /// parts must add up to (tests compare the two); nil: one part per core.
    @TaskLocal static var partsOverride: Int?

    /// How many parts to make at most.
    static var cores: Int { partsOverride ?? machineCores }
    private static let machineCores = ProcessInfo.processInfo.activeProcessorCount

    /// `count` items as consecutive ranges, one per core (at most), each with at least
    /// `minimumPerPart` items; one range when the machine has one core or the work is small.
    static func parts(_ count: Int, minimumPerPart: Int) -> [Range<Int>] {
        let n = max(1, min(cores, count / max(1, minimumPerPart)))
        guard n > 1 else { return [0..<count] }
        return (0..<n).map { k in (count * k / n)..<(count * (k + 1) / n) }
    }

    /// Runs `body(0) … body(count - 1)` on all cores and returns when all have run.
    static func run(_ count: Int, _ body: @Sendable (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}

extension Concurrent {
    /// Runs `body` on consecutive parts of `count` items on all cores, each part reporting into
    /// a child of `ctx`, and returns the parts' results in order, their diagnostics added to
    /// `ctx` in order: the same as one pass over the items. With one part, `body` runs once
    /// with `ctx` itself. `body` runs on several threads at once: it may only read what it
    /// shares with the other parts.
    static func map<T>(_ count: Int, minimumPerPart: Int, ctx: ValidationContext,
                       _ body: @escaping (Range<Int>, ValidationContext) -> T) -> [T] {
        let parts = Concurrent.parts(count, minimumPerPart: minimumPerPart)
        guard parts.count > 1 else { return [body(0..<count, ctx)] }
        let shared = PartsShared(value: (body: body, ctx: ctx))
        let results = ResultSlots<(T, ValidationContext)>(count: parts.count)
        run(parts.count) { k in
            let child = shared.value.ctx.child()
            results[k] = (shared.value.body(parts[k], child), child)
        }
        return parts.indices.compactMap { k in
            guard let (result, child) = results[k] else { return nil }
            ctx.diagnostics += child.diagnostics
            return result
        }
    }
}

/// A value the parts of a `Concurrent.run` share across threads. They only read it (a
/// validation context and builder: each part reports into a child of its own), or, for a
/// buffer, each writes only the elements of its own range, so no two threads touch one element.
struct PartsShared<Value>: @unchecked Sendable {
    let value: Value
}

extension Array {
    /// Appends `other`'s elements and leaves it empty. When this array is empty it takes
    /// `other`'s buffer as it is: joining the parts of a `Concurrent.map` then copies (retains
    /// and later releases) the elements of every part but the first, not of all of them.
    mutating func appendTaking(_ other: inout [Element]) {
        if isEmpty {
            swap(&self, &other)
        } else {
            append(contentsOf: other)
            other = []
        }
    }
}
