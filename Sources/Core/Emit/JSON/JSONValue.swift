import Foundation

/// An ordered JSON value: object keys keep insertion order, so generated JSON
/// files (OpenAPI, manifest, package.json) are byte-identical across runs.
/// (Not `indirect`: arrays already box the children, so a leaf costs no allocation of its own.)
public enum JSONValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }
    public func hash(into h: inout Hasher) { h.combine(rendered()) }

    /// Pretty-printed with two-space indentation and a trailing newline.
    public func rendered() -> String {
        let out = JSONBuffer()
        write(to: out, indent: 0)
        out.put(UInt8(ascii: "\n"))
        return out.joined()
    }

    /// Writes the pretty-printed value (no trailing newline) into `out`; `indent` is the
    /// nesting level of the line the value starts on.
    func write(to out: JSONBuffer, indent: Int) {
        switch self {
        case .string(let s): out.putQuoted(s, quote: UInt8(ascii: "\""))
        case .number(let d): out.put(d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d))
        case .integer(let i): out.putInteger(i)
        case .bool(let b): out.put(b ? "true" : "false")
        case .null: out.put("null")
        case .array(let items):
            if items.isEmpty { out.put("[]"); return }
            out.put(UInt8(ascii: "["))
            items.withUnsafeBufferPointer { items in
                for i in items.indices {
                    out.putLineStart(comma: i > 0, spaces: 2 * (indent + 1))
                    items[i].write(to: out, indent: indent + 1)
                }
            }
            out.putLineStart(comma: false, spaces: 2 * indent)
            out.put(UInt8(ascii: "]"))
        case .object(let pairs):
            if pairs.isEmpty { out.put("{}"); return }
            out.put(UInt8(ascii: "{"))
            pairs.withUnsafeBufferPointer { pairs in
                for i in pairs.indices {
                    JSONValue.writeMember(pairs[i].0, pairs[i].1, first: i == 0, indent: indent, to: out)
                }
            }
            out.putLineStart(comma: false, spaces: 2 * indent)
            out.put(UInt8(ascii: "}"))
        }
    }

    /// One member of an object whose `{` is at nesting level `indent`: `,` unless first, then
    /// the key on its own line one level deeper, `: ` and the value.
    static func writeMember(_ key: String, _ value: JSONValue, first: Bool, indent: Int, to out: JSONBuffer) {
        JSONObjectStream.putKey(key, first: first, indent: indent, to: out)
        value.write(to: out, indent: indent + 1)
    }

    /// Object access for tests and emitters that extend objects.
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}

/// An object written member by member (as `JSONValue.object` renders), for documents too big
/// to hold as one tree: each member can be built, rendered and dropped in turn, and runs of
/// members rendered apart (on other threads) can be joined in order.
struct JSONObjectWriter {
    /// Nesting level of the line the object starts on.
    let indent: Int
    private var body: JSONBuffer
    private(set) var count = 0

    init(indent: Int, chunkSize: Int = JSONBuffer.defaultChunkSize) {
        self.indent = indent
        body = JSONBuffer(chunkSize: chunkSize)
    }

    /// An object whose members were rendered before (`rendered`, `count` of them, at `indent`).
    init(indent: Int, rendered: Data, count: Int, chunkSize: Int = JSONBuffer.defaultChunkSize) {
        self.init(indent: indent, chunkSize: chunkSize)
        body.put(borrowing: rendered)
        self.count = count
    }

    /// The members as rendered (what `init(indent:rendered:count:)` takes back).
    var rendered: Data { body.data() }

    mutating func add(_ key: String, _ value: JSONValue) {
        JSONValue.writeMember(key, value, first: count == 0, indent: indent, to: body)
        count += 1
    }

    mutating func add(contentsOf pairs: [(String, JSONValue)]) {
        for (key, value) in pairs { add(key, value) }
    }

    /// `other`'s members after these (its bytes move, not copied).
    mutating func add(contentsOf other: consuming JSONObjectWriter) {
        precondition(other.indent == indent, "members of objects at the same level")
        guard other.count > 0 else { return }
        // `other` wrote its first member as a first one: without the comma it needs here.
        if count > 0 { body.put(UInt8(ascii: ",")) }
        body.append(other.body)
        count += other.count
    }

    /// A member whose value `fill` writes member by member, straight into this object's bytes.
    mutating func object(_ key: String, _ fill: (inout JSONObjectStream) -> Void) {
        var member = JSONObjectStream(key: key, first: count == 0, indent: indent, into: body)
        fill(&member)
        member.end()
        count += 1
    }

    /// A member whose value is an object written member by member.
    mutating func add(_ key: String, _ object: consuming JSONObjectWriter) {
        precondition(object.indent == indent + 1, "a member object starts one level deeper")
        JSONObjectStream.putKey(key, first: count == 0, indent: indent, to: body)
        object.close(into: body)
        count += 1
    }

    /// Writes `{`, the members and `}` (or `{}` when there are none) into `out`.
    consuming func close(into out: JSONBuffer) {
        if count == 0 {
            out.put(UInt8(ascii: "{"))
            out.put(UInt8(ascii: "}"))
            return
        }
        out.put(UInt8(ascii: "{"))
        out.append(body)
        out.putLineStart(comma: false, spaces: 2 * indent)
        out.put(UInt8(ascii: "}"))
    }
}

/// An object written straight into a buffer as `JSONValue.object` renders it: `{` when it
/// starts, members one by one, `}` at `end()`. For big documents whose parts are best not
/// built as trees first.
struct JSONObjectStream {
    let out: JSONBuffer
    /// Nesting level of the line the object starts on.
    let indent: Int
    private var count = 0

    /// The object as the value of member `key` of an object whose line is at level `parent`.
    init(key: String, first: Bool, indent parent: Int, into out: JSONBuffer) {
        JSONObjectStream.putKey(key, first: first, indent: parent, to: out)
        self.init(out, indent: parent + 1)
    }

    /// The object as a value whose line is at level `indent`.
    init(_ out: JSONBuffer, indent: Int) {
        self.out = out
        self.indent = indent
        out.put(UInt8(ascii: "{"))
    }

    /// `,` unless first, a new line one level deeper than `indent`, the quoted key and `: `.
    static func putKey(_ key: String, first: Bool, indent: Int, to out: JSONBuffer) {
        out.putLineStart(comma: !first, spaces: 2 * (indent + 1))
        out.putQuoted(key, quote: UInt8(ascii: "\""))
        out.put(UInt8(ascii: ":"))
        out.put(UInt8(ascii: " "))
    }

    mutating func add(_ key: String, _ value: JSONValue) {
        JSONValue.writeMember(key, value, first: count == 0, indent: indent, to: out)
        count += 1
    }

    /// A member whose value was rendered before: `bytes` are `value` written at level
    /// `renderedAt`, used when this member's value is at that level too.
    mutating func add(_ key: String, _ value: JSONValue, rendered bytes: [UInt8], at renderedAt: Int) {
        guard renderedAt == indent + 1 else { return add(key, value) }
        JSONObjectStream.putKey(key, first: count == 0, indent: indent, to: out)
        bytes.withUnsafeBufferPointer { out.put($0) }
        count += 1
    }

    mutating func object(_ key: String, _ fill: (inout JSONObjectStream) -> Void) {
        var member = JSONObjectStream(key: key, first: count == 0, indent: indent, into: out)
        fill(&member)
        member.end()
        count += 1
    }

    mutating func array(_ key: String, _ fill: (inout JSONArrayStream) -> Void) {
        JSONObjectStream.putKey(key, first: count == 0, indent: indent, to: out)
        var member = JSONArrayStream(out, indent: indent + 1)
        fill(&member)
        member.end()
        count += 1
    }

    func end() {
        if count > 0 { out.putLineStart(comma: false, spaces: 2 * indent) }
        out.put(UInt8(ascii: "}"))
    }
}

/// An array written straight into a buffer as `JSONValue.array` renders it (see `JSONObjectStream`).
struct JSONArrayStream {
    let out: JSONBuffer
    let indent: Int
    private var count = 0

    init(_ out: JSONBuffer, indent: Int) {
        self.out = out
        self.indent = indent
        out.put(UInt8(ascii: "["))
    }

    mutating func add(_ value: JSONValue) {
        out.putLineStart(comma: count > 0, spaces: 2 * (indent + 1))
        value.write(to: out, indent: indent + 1)
        count += 1
    }

    mutating func object(_ fill: (inout JSONObjectStream) -> Void) {
        out.putLineStart(comma: count > 0, spaces: 2 * (indent + 1))
        var element = JSONObjectStream(out, indent: indent + 1)
        fill(&element)
        element.end()
        count += 1
    }

    func end() {
        if count > 0 { out.putLineStart(comma: false, spaces: 2 * indent) }
        out.put(UInt8(ascii: "]"))
    }
}

/// A string literal in `quote` marks with JSON/JavaScript escapes (shared by JSON and TypeScript output).
func escapedLiteral(_ s: String, quote: Character) -> String {
    guard quote.unicodeScalars.count == 1, let mark = quote.asciiValue else { return slowEscapedLiteral(s, quote: quote) }
    var text = s
    if !text.withUTF8({ JSONBuffer.needsEscape($0, quote: mark) }) { return String(quote) + text + String(quote) }
    let out = JSONBuffer(chunkSize: 6 * text.utf8.count + 2)
    out.putQuoted(text, quote: mark)
    return out.joined()
}

/// The general case of `escapedLiteral` (a quote mark outside ASCII; no emitter uses one).
private func slowEscapedLiteral(_ s: String, quote: Character) -> String {
    var out = String(quote)
    let mark = quote.unicodeScalars.first
    for u in s.unicodeScalars {
        if u == mark {
            out += "\\" + String(quote)
            continue
        }
        switch u {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
        }
    }
    out.append(quote)
    return out
}

/// Rendered bytes in chunks (64 KB unless told): growing never moves what is written, and
/// `joined()` copies everything once into a string of exactly the right size.
/// (A class that owns raw memory: appending a byte is a bounds check and a store.)
final class JSONBuffer {
    static let defaultChunkSize = 1 << 16
    private let chunkSize: Int
    /// What comes before the chunk being written, in order: filled chunks (owned), and bytes
    /// rendered elsewhere (kept as they are, copied only into the final string or data).
    private enum Segment {
        case owned(UnsafeMutablePointer<UInt8>, count: Int)
        case borrowed(Data)

        var count: Int {
            switch self {
            case .owned(_, let count): count
            case .borrowed(let data): data.count
            }
        }
    }
    private var filled: [Segment] = []
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0

    init(chunkSize: Int = JSONBuffer.defaultChunkSize) {
        self.chunkSize = max(1, chunkSize)
        capacity = self.chunkSize
        start = .allocate(capacity: capacity)
    }

    deinit {
        for case .owned(let p, _) in filled { p.deallocate() }
        start.deallocate()
    }

    var count: Int { filled.reduce(used) { $0 + $1.count } }

    /// `bytes` after what is written so far, without copying them now.
    func put(borrowing bytes: Data) {
        guard !bytes.isEmpty else { return }
        if used > 0 {
            filled.append(.owned(start, count: used))
            start = .allocate(capacity: chunkSize)
            capacity = chunkSize
            used = 0
        }
        filled.append(.borrowed(bytes))
    }

    /// Copies every segment, then the chunk being written, to `out` (room for `count` bytes).
    private func copy(to out: UnsafeMutablePointer<UInt8>) {
        var next = out
        for segment in filled {
            switch segment {
            case .owned(let p, let n):
                next.initialize(from: p, count: n)
                next += n
            case .borrowed(let data):
                data.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { next.initialize(from: base.assumingMemoryBound(to: UInt8.self), count: raw.count) }
                }
                next += data.count
            }
        }
        next.initialize(from: start, count: used)
    }

    /// Where the next `n` bytes go (room for them guaranteed); `used += n` once they are written.
    private func room(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if n > capacity - used { startChunk(room: n) }
        return start + used
    }

    private func startChunk(room: Int) {
        filled.append(.owned(start, count: used))
        capacity = max(chunkSize, room)
        start = .allocate(capacity: capacity)
        used = 0
    }

    func put(_ byte: UInt8) {
        room(1).initialize(to: byte)
        used += 1
    }

    func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        room(bytes.count).initialize(from: source, count: bytes.count)
        used += bytes.count
    }

    func put(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ put($0) }) != nil { return }
        var s = s
        s.withUTF8 { put($0) }
    }

    /// A line break (after a `,` when `comma`) and `spaces` spaces.
    func putLineStart(comma: Bool, spaces: Int) {
        let n = (comma ? 2 : 1) + spaces
        var p = room(n)
        if comma {
            p.initialize(to: UInt8(ascii: ","))
            p += 1
        }
        p.initialize(to: UInt8(ascii: "\n"))
        (p + 1).initialize(repeating: UInt8(ascii: " "), count: spaces)
        used += n
    }

    /// `s` in `quote` marks with JSON/JavaScript escapes: `quote` and `\` get a backslash, so do
    /// newline, carriage return and tab (`\n`, `\r`, `\t`); other control characters become `\u00xx`.
    /// Works on UTF-8 bytes: every byte of a multi-byte sequence is >= 0x80 and passes through,
    /// so this equals escaping scalar by scalar.
    func putQuoted(_ s: String, quote: UInt8) {
        if s.utf8.withContiguousStorageIfAvailable({ putQuoted(utf8: $0, quote: quote) }) != nil { return }
        var s = s
        s.withUTF8 { putQuoted(utf8: $0, quote: quote) }
    }

    /// `v` in decimal (as `String(v)`).
    func putInteger(_ v: Int) {
        var digits = 1
        var rest = v.magnitude / 10
        while rest > 0 { digits += 1; rest /= 10 }
        let n = digits + (v < 0 ? 1 : 0)
        let p = room(n)
        if v < 0 { p.initialize(to: UInt8(ascii: "-")) }
        var magnitude = v.magnitude
        for k in stride(from: n - 1, through: n - digits, by: -1) {
            (p + k).initialize(to: UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        used += n
    }

    private func putQuoted(utf8: UnsafeBufferPointer<UInt8>, quote: UInt8) {
        // Copy while no byte needs an escape (the usual case: all of them), then escape the rest.
        let n = utf8.count
        let p = room(n + 2)
        p.initialize(to: quote)
        var i = 0
        if let source = utf8.baseAddress {
            // Eight bytes at a time: a byte below 0x20 or equal to the quote or `\` ends the run
            // (bit tricks: for y = x ^ c, (y - 0x01…) & ~y & 0x80… is non-zero iff some byte of x is c).
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let quotes = ones &* UInt64(quote), backslashes = ones &* UInt64(UInt8(ascii: "\\"))
            let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(p + 1)
            while i + 8 <= n {
                let x = from.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let q = x ^ quotes, b = x ^ backslashes
                let control = (x &- ones &* 0x20) & ~x
                if (control | ((q &- ones) & ~q) | ((b &- ones) & ~b)) & highs != 0 { break }
                to.storeBytes(of: x, toByteOffset: i, as: UInt64.self)
                i += 8
            }
        }
        while i < n {
            let b = utf8[i]
            if b < 0x20 || b == quote || b == UInt8(ascii: "\\") { break }
            (p + 1 + i).initialize(to: b)
            i += 1
        }
        if i == n {
            (p + 1 + n).initialize(to: quote)
            used += n + 2
            return
        }
        used += 1 + i
        for b in utf8[i...] {
            switch b {
            case quote, UInt8(ascii: "\\"): put(UInt8(ascii: "\\")); put(b)
            case UInt8(ascii: "\n"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "t"))
            case 0..<0x20:
                for c in "\\u00".utf8 { put(c) }
                put(Self.hexDigit(b >> 4))
                put(Self.hexDigit(b & 0xf))
            default: put(b)
            }
        }
        put(quote)
    }

    static func needsEscape(_ utf8: UnsafeBufferPointer<UInt8>, quote: UInt8) -> Bool {
        for b in utf8 where b < 0x20 || b == quote || b == UInt8(ascii: "\\") { return true }
        return false
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10 }

    /// Moves `other`'s bytes after these (no copy); `other` is left empty.
    func append(_ other: JSONBuffer) {
        if used > 0 { filled.append(.owned(start, count: used)) } else { start.deallocate() }
        filled += other.filled
        start = other.start
        capacity = other.capacity
        used = other.used
        other.filled = []
        other.capacity = other.chunkSize
        other.start = .allocate(capacity: other.capacity)
        other.used = 0
    }

    /// Everything written, as bytes.
    func data() -> Data {
        var out = Data(count: count)
        out.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { copy(to: base.assumingMemoryBound(to: UInt8.self)) }
        }
        return out
    }

    /// Everything written, as one string.
    func joined() -> String {
        let total = count
        return String(unsafeUninitializedCapacity: total) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            copy(to: base)
            return total
        }
    }
}
