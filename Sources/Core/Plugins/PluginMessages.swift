import Foundation

/// Plugin protocol version 1 (`docs/plugins.md`): JSON-RPC 2.0, one JSON object per line,
/// UTF-8, on the plugin's stdin (requests) and stdout (answers and notifications); its stderr
/// is its log. Requests go `describe` (id 1), then `execute` (id 2); then stdin is closed.
public enum PluginProtocol {
    /// The protocol versions this runner speaks.
    public static let version = 1
    public static let supportedVersions: Set<Int> = [1]

    static let describeID = 1
    static let executeID = 2

    /// `{"jsonrpc":"2.0","id":1,"method":"describe","params":{"protocolVersion":1}}` and a newline.
    static func describeRequest() -> Data {
        Data("{\"jsonrpc\":\"2.0\",\"id\":\(describeID),\"method\":\"describe\",\"params\":{\"protocolVersion\":\(version)}}\n".utf8)
    }

    /// The `execute` request, on one line. `schema` is the document `inspect --json` prints
    /// (rendered on one line); it is spliced in as bytes, never re-encoded.
    static func executeRequest(schema: Data, api: ApiEndpoints, config: ExecuteConfig) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = Data("{\"jsonrpc\":\"2.0\",\"id\":\(executeID),\"method\":\"execute\",\"params\":{\"protocolVersion\":\(version),\"schema\":".utf8)
        line.append(schema)
        line.append(Data(",\"api\":".utf8))
        line.append(try encoder.encode(api))
        line.append(Data(",\"config\":".utf8))
        line.append(try encoder.encode(config))
        line.append(Data("}}\n".utf8))
        return line
    }

    /// `params.config` of `execute`.
    public struct ExecuteConfig: Sendable, Hashable, Codable {
        /// The output folder, absolute.
        public let outputDir: String
        public let standalone: Bool
    }
}

/// The `describe` result: who the plugin is and where it runs.
public struct PluginDescription: Sendable, Hashable, Codable {
    /// The phase name (`--skip NAME`, reports): letters, digits, `_` and `-`, starting with a letter.
    public let name: String
    /// Its place among the phases (the standard ones are 0–12); ties keep declaration order.
    public let order: Int
    public let description: String
    /// When true, a failure of the plugin does not fail the run (the run goes on without its files).
    public let optional: Bool?
    /// The protocol version the plugin speaks (absent: 1).
    public let protocolVersion: Int?

    public init(name: String, order: Int, description: String, optional: Bool? = nil, protocolVersion: Int? = nil) {
        self.name = name
        self.order = order
        self.description = description
        self.optional = optional
        self.protocolVersion = protocolVersion
    }

    public var isOptional: Bool { optional ?? false }

    /// Why the description cannot be used (nil when it can).
    var problem: String? {
        if let v = protocolVersion, !PluginProtocol.supportedVersions.contains(v) {
            return "it speaks plugin protocol version \(v); this phaserunner speaks version \(PluginProtocol.supportedVersions.sorted().map(String.init).joined(separator: ", "))"
        }
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }) else {
            return "its name `\(name)` is not a phase name (letters, digits, `_` and `-`, starting with a letter)"
        }
        return nil
    }
}

/// One file of an `execute` result: text in `content`, or bytes in `base64`.
public struct PluginFile: Sendable, Hashable, Codable {
    public let path: String
    public let content: String?
    public let base64: String?
}

/// The `execute` result.
public struct PluginExecuteResult: Sendable, Hashable, Codable {
    public let files: [PluginFile]
    public let warnings: [String]?
    public let message: String?
}

/// The `progress` notification's params.
public struct PluginProgress: Sendable, Hashable, Codable {
    public let done: Int?
    public let total: Int?
    public let message: String?
}

/// A JSON-RPC error object.
struct RPCErrorObject: Decodable {
    let code: Int?
    let message: String?
}

/// A JSON-RPC id: a number, a string or null.
enum RPCId: Decodable, Equatable, CustomStringConvertible {
    case number(Int), string(String), null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let n = try? c.decode(Int.self) { self = .number(n) }
        else { self = .string(try c.decode(String.self)) }
    }

    var description: String {
        switch self {
        case .number(let n): return String(n)
        case .string(let s): return "\"\(s)\""
        case .null: return "null"
        }
    }
}

/// Any message the plugin sends: a response (`id` + `result` or `error`) or a notification
/// (`method` + `params`), with the result decoded as `Result`.
struct RPCMessage<Result: Decodable>: Decodable {
    let jsonrpc: String?
    let id: RPCId?
    let method: String?
    let params: PluginProgress?
    let result: Result?
    let error: RPCErrorObject?

    enum CodingKeys: String, CodingKey { case jsonrpc, id, method, params, result, error }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jsonrpc = try c.decodeIfPresent(String.self, forKey: .jsonrpc)
        id = c.contains(.id) ? try c.decode(RPCId.self, forKey: .id) : nil
        method = try c.decodeIfPresent(String.self, forKey: .method)
        // Params of notifications other than progress are not ours to judge.
        params = method == "progress" ? try c.decodeIfPresent(PluginProgress.self, forKey: .params) : nil
        result = try c.decodeIfPresent(Result.self, forKey: .result)
        error = try c.decodeIfPresent(RPCErrorObject.self, forKey: .error)
    }
}
