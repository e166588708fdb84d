import Crypto
import Foundation

/// A SHA-256 digest naming a piece of content: a cache key, a context value's fingerprint or
/// a stored blob. Stable across processes and machines (never Swift's seeded `Hasher`).
public struct Fingerprint: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let hex: String

    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
        self.hex = hex
    }

    init<D: Digest>(digest: D) {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for b in digest {
            bytes.append(digits[Int(b >> 4)])
            bytes.append(digits[Int(b & 0x0f)])
        }
        hex = String(decoding: bytes, as: UTF8.self)
    }

    /// The SHA-256 of these bytes (a blob's name).
    public static func of(bytes: some DataProtocol) -> Fingerprint { Fingerprint(digest: SHA256.hash(data: bytes)) }
    public static func of(_ text: String) -> Fingerprint {
        var t = text
        return t.withUTF8 { Fingerprint(digest: SHA256.hash(data: UnsafeRawBufferPointer($0))) }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let f = Fingerprint(hex: try c.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a sha256")
        }
        self = f
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }

    public var description: String { hex }
    /// The first 12 digits, for messages.
    public var short: String { String(hex.prefix(12)) }
    public static func < (a: Fingerprint, b: Fingerprint) -> Bool { a.hex < b.hex }
}

/// Builds a fingerprint from typed parts. Every part is written with a tag and, for
/// variable-length parts, its length, so that two different sequences of parts never hash
/// the same bytes ("ab" + "c" differs from "a" + "bc").
public struct Fingerprinter {
    private var hasher = SHA256()
    /// Parts are gathered here and hashed in large blocks: most parts are a few bytes, and
    /// one digest update per part would cost more than the hashing itself.
    private var pending: [UInt8] = []
    private static let block = 1 << 14

    /// `domain` says what is being fingerprinted (two kinds of value never collide).
    public init(_ domain: String) {
        pending.reserveCapacity(256)
        add(domain)
    }

    private mutating func tag(_ t: UInt8) { pending.append(t) }
    private mutating func raw(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { pending.append(contentsOf: $0) } }
    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if pending.count + bytes.count > Self.block { flush() }
        if bytes.count >= Self.block { hasher.update(bufferPointer: bytes) } else { pending.append(contentsOf: bytes) }
    }
    private mutating func flush() {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        pending.removeAll(keepingCapacity: true)
    }

    public mutating func add(_ s: String) {
        tag(1)
        var s = s
        s.withUTF8 { buf in
            raw(UInt64(buf.count))
            append(UnsafeRawBufferPointer(buf))
        }
    }
    public mutating func add(_ i: Int) { tag(2); raw(UInt64(bitPattern: Int64(i))) }
    public mutating func add(_ b: Bool) { tag(b ? 3 : 4) }
    public mutating func add(_ f: Fingerprint) { tag(5); add(f.hex) }
    public mutating func add(bytes: [UInt8]) {
        tag(6)
        raw(UInt64(bytes.count))
        bytes.withUnsafeBytes { append($0) }
    }
    public mutating func addNil() { tag(7) }
    /// A string that may be absent (nil and "" differ).
    public mutating func add(optional s: String?) {
        if let s { add(s) } else { addNil() }
    }
    mutating func add(_ d: Double) { tag(8); raw(d.bitPattern) }
    mutating func beginContainer(_ kind: UInt8) { tag(9); tag(kind) }
    mutating func endContainer() { tag(10) }

    /// Any `Encodable` value, through a canonical encoding: struct fields in declaration order
    /// with their names, source positions (`Span`) left out, dictionaries and string sets sorted.
    public mutating func add<T: Encodable>(encodable value: T) {
        let encoder = StableEncoder(self)
        // An encoding error would mean a type that cannot be written: fingerprint its type name
        // plus a fresh marker instead, so the value is never mistaken for another.
        do { try encoder.encodeValue(value) } catch { encoder.fingerprinter.add("unencodable \(T.self) \(UUID().uuidString)") }
        self = encoder.fingerprinter
    }

    public func finalize() -> Fingerprint {
        var h = hasher
        pending.withUnsafeBytes { h.update(bufferPointer: $0) }
        return Fingerprint(digest: h.finalize())
    }
}

/// An `Encoder` that writes straight into a `Fingerprinter` (no intermediate JSON).
final class StableEncoder: Encoder {
    /// Unchecked: one encoder is used by one thread, each access a whole mutation; the dynamic
    /// exclusivity check on every part cost more than hashing it.
    @exclusivity(unchecked) var fingerprinter: Fingerprinter
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ f: Fingerprinter) { fingerprinter = f }

    /// Values whose encoding would depend on process-seeded order, or that must not count.
    /// Told apart by their static type (a pointer comparison; dynamic casts on every value
    /// cost more than the hashing).
    func encodeValue<T: Encodable>(_ value: T) throws {
        if T.self == String.self, let s = value as? String { fingerprinter.add(s); return }
        if T.self == Span.self { fingerprinter.addNil(); return }
        if T.self == Bool.self, let b = value as? Bool { fingerprinter.add(b); return }
        if T.self == Int.self, let i = value as? Int { fingerprinter.add(i); return }
        if T.self == Set<String>.self, let set = value as? Set<String> {
            fingerprinter.beginContainer(1)
            for s in set.sorted() { fingerprinter.add(s) }
            fingerprinter.endContainer()
            return
        }
        if T.self == [String: String].self, let dict = value as? [String: String] {
            fingerprinter.beginContainer(2)
            for (k, v) in dict.sorted(by: { $0.key < $1.key }) { fingerprinter.add(k); fingerprinter.add(v) }
            fingerprinter.endContainer()
            return
        }
        try value.encode(to: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        fingerprinter.beginContainer(3)
        return KeyedEncodingContainer(Keyed<Key>(encoder: self))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        fingerprinter.beginContainer(4)
        return Unkeyed(encoder: self)
    }
    func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: StableEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        func key(_ k: Key) { encoder.fingerprinter.add(k.stringValue) }
        mutating func encodeNil(forKey k: Key) throws { key(k); encoder.fingerprinter.addNil() }
        mutating func encode(_ v: Bool, forKey k: Key) throws { key(k); encoder.fingerprinter.add(v) }
        mutating func encode(_ v: String, forKey k: Key) throws { key(k); encoder.fingerprinter.add(v) }
        mutating func encode(_ v: Double, forKey k: Key) throws { key(k); encoder.fingerprinter.add(v) }
        mutating func encode(_ v: Float, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Double(v)) }
        mutating func encode(_ v: Int, forKey k: Key) throws { key(k); encoder.fingerprinter.add(v) }
        mutating func encode(_ v: Int8, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: Int16, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: Int32, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: Int64, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: UInt, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Int(bitPattern: v)) }
        mutating func encode(_ v: UInt8, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: UInt16, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: UInt32, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: UInt64, forKey k: Key) throws { key(k); encoder.fingerprinter.add(Int(bitPattern: UInt(v))) }
        mutating func encode<T: Encodable>(_ v: T, forKey k: Key) throws { key(k); try encoder.encodeValue(v) }
        mutating func nestedContainer<N: CodingKey>(keyedBy: N.Type, forKey k: Key) -> KeyedEncodingContainer<N> {
            key(k)
            return encoder.container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer(forKey k: Key) -> any UnkeyedEncodingContainer {
            key(k)
            return encoder.unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { encoder }
        mutating func superEncoder(forKey k: Key) -> any Encoder { key(k); return encoder }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: StableEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count = 0
        mutating func item() { count += 1; encoder.fingerprinter.add(count) }
        mutating func encodeNil() throws { item(); encoder.fingerprinter.addNil() }
        mutating func encode(_ v: Bool) throws { item(); encoder.fingerprinter.add(v) }
        mutating func encode(_ v: String) throws { item(); encoder.fingerprinter.add(v) }
        mutating func encode(_ v: Double) throws { item(); encoder.fingerprinter.add(v) }
        mutating func encode(_ v: Int) throws { item(); encoder.fingerprinter.add(v) }
        mutating func encode<T: Encodable>(_ v: T) throws { item(); try encoder.encodeValue(v) }
        mutating func nestedContainer<N: CodingKey>(keyedBy: N.Type) -> KeyedEncodingContainer<N> {
            item()
            return encoder.container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            item()
            return encoder.unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { encoder }
    }

    struct Single: SingleValueEncodingContainer {
        let encoder: StableEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        mutating func encodeNil() throws { encoder.fingerprinter.addNil() }
        mutating func encode(_ v: Bool) throws { encoder.fingerprinter.add(v) }
        mutating func encode(_ v: String) throws { encoder.fingerprinter.add(v) }
        mutating func encode(_ v: Double) throws { encoder.fingerprinter.add(v) }
        mutating func encode(_ v: Float) throws { encoder.fingerprinter.add(Double(v)) }
        mutating func encode(_ v: Int) throws { encoder.fingerprinter.add(v) }
        mutating func encode(_ v: Int8) throws { encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: Int16) throws { encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: Int32) throws { encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: Int64) throws { encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: UInt) throws { encoder.fingerprinter.add(Int(bitPattern: v)) }
        mutating func encode(_ v: UInt8) throws { encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: UInt16) throws { encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: UInt32) throws { encoder.fingerprinter.add(Int(v)) }
        mutating func encode(_ v: UInt64) throws { encoder.fingerprinter.add(Int(bitPattern: UInt(v))) }
        mutating func encode<T: Encodable>(_ v: T) throws { try encoder.encodeValue(v) }
    }
}
