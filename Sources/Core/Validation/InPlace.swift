/// Reading large values where they are stored. Reading a property of a large struct element
/// through an array's subscript (`models[i].fields[j].isList`, `let model = models[i]`) can
/// copy the whole element first: a retain of each of its strings and lists, and a release
/// later. The validator's loops over every model and field read through these instead.
extension Array {
    /// `body` applied to the element at `i` where it is stored.
    @inline(__always)
    func inPlace<R>(_ i: Int, _ body: (Element) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { try body($0[i]) }
    }
}

extension Array where Element == Model {
    /// `body` given the fields of model `mi` where they are stored.
    @inline(__always)
    func withFields<R>(of mi: Int, _ body: (UnsafeBufferPointer<Field>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { try $0[mi].fields.withUnsafeBufferPointer(body) }
    }
}
