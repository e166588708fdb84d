import Foundation

/// Actions posted from any thread (run hooks, effect results); the UI thread drains them.
public final class ActionQueue: @unchecked Sendable {
    private var items: [Action] = []
    private let lock = NSLock()
    public init() {}
    public func post(_ action: Action) { lock.withLock { items.append(action) } }
    public func drain() -> [Action] {
        lock.withLock {
            let out = items
            items.removeAll(keepingCapacity: true)
            return out
        }
    }
}
