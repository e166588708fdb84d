import Foundation

/// The order of a list of paths as `String`'s `<` gives it, worked out without comparing
/// `String`s: a manifest sorts every generated path (170,000 at 10,000 models), and comparing
/// them as strings retained and released both strings in each of the n log n comparisons.
enum PathOrder {
    /// Positions `0..<count` ordered by `path(i)`. ASCII paths (every path we generate) are
    /// copied once into one buffer and compared there as bytes, which for ASCII is exactly
    /// `String`'s order; a list with any other path is sorted by `String` comparison.
    static func positions(_ count: Int, path: (Int) -> String) -> [Int] {
        var bytes: [UInt8] = []
        var bounds: [Int] = [0] // path i is bytes[bounds[i]..<bounds[i + 1]]
        bounds.reserveCapacity(count + 1)
        var ascii = true
        for i in 0..<count {
            var p = path(i)
            p.withUTF8 { utf8 in
                bytes.append(contentsOf: utf8)
                for b in utf8 where b >= 0x80 { ascii = false; break }
            }
            bounds.append(bytes.count)
        }
        var order = Array(0..<count)
        guard ascii else {
            order.sort { path($0) < path($1) }
            return order
        }
        bytes.withUnsafeBufferPointer { all in
            bounds.withUnsafeBufferPointer { bounds in
                guard let base = all.baseAddress else { return }
                order.sort { a, b in
                    let aStart = bounds[a], aCount = bounds[a + 1] - aStart
                    let bStart = bounds[b], bCount = bounds[b + 1] - bStart
                    let common = memcmp(base + aStart, base + bStart, min(aCount, bCount))
                    return common != 0 ? common < 0 : aCount < bCount
                }
            }
        }
        return order
    }
}
