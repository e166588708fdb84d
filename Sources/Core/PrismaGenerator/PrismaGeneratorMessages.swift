import Foundation

/// The messages of Prisma's generator protocol, as `@prisma/generator-helper` (Prisma 5–7)
/// defines them: the Prisma CLI starts the generator's `provider` command through a shell,
/// writes one JSON-RPC 2.0 request per line to its stdin, and reads the answers, one JSON
/// object per line, from its **stderr** (stderr lines that are not JSON are the generator's
/// log; stdout is the user's terminal). Two methods exist:
///
///     → {"jsonrpc":"2.0","method":"getManifest","params":<GeneratorConfig>,"id":1}
///     ← {"jsonrpc":"2.0","result":{"manifest":{"prettyName":…,"defaultOutput":…}},"id":1}
///     → {"jsonrpc":"2.0","method":"generate","params":<GeneratorOptions>,"id":2}
///     ← {"jsonrpc":"2.0","result":null,"id":2}
///       or {"jsonrpc":"2.0","error":{"code":-32000,"message":"…","data":null},"id":2}
///
/// Ids are numbers the CLI counts across all generators of a schema, so they need not start
/// at 1. Only the fields PhaseRunner reads are decoded; the rest (the DMMF, datasources, the
/// schema text) is skipped.
public enum PrismaGeneratorRequest: Sendable {
    /// Its params (the block, its output not yet resolved) are not read: nothing in them
    /// changes the manifest, and `generatorHandler` never checks them either.
    case getManifest(id: Int)
    case generate(id: Int, PrismaGeneratorOptions)
    /// A method this protocol does not have (answered with "method not found" when it has an id).
    case unknown(id: Int?, method: String)

    /// Decodes one line; the error describes what is wrong with it.
    public static func decode(_ line: Data) throws -> PrismaGeneratorRequest {
        try JSONDecoder().decode(Envelope.self, from: line).request
    }

    /// The numeric id of a line that is JSON but not a request that can be read.
    public static func id(of line: Data) -> Int? {
        (try? JSONDecoder().decode(Head.self, from: line))?.id
    }

    private struct Head: Decodable { let id: Int }

    private struct Envelope: Decodable {
        let request: PrismaGeneratorRequest

        enum Key: String, CodingKey { case jsonrpc, id, method, params }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            let version = try c.decodeIfPresent(String.self, forKey: .jsonrpc)
            guard version == "2.0" else {
                throw DecodingError.dataCorruptedError(forKey: .jsonrpc, in: c, debugDescription: "not a JSON-RPC 2.0 message")
            }
            let id = try c.decodeIfPresent(Int.self, forKey: .id)
            let method = try c.decode(String.self, forKey: .method)
            switch (method, id) {
            case ("getManifest", let id?):
                request = .getManifest(id: id)
            case ("generate", let id?):
                request = .generate(id: id, try c.decode(PrismaGeneratorOptions.self, forKey: .params))
            default:
                request = .unknown(id: id, method: method)
            }
        }
    }
}

/// A value Prisma may read from the environment (`env("OUT")`): `value` is what it resolved.
public struct PrismaEnvValue: Codable, Sendable, Hashable {
    public var fromEnvVar: String?
    public var value: String?

    public init(fromEnvVar: String? = nil, value: String?) {
        self.fromEnvVar = fromEnvVar
        self.value = value
    }
}

/// A value of a generator block's own keys: a string, a list of strings, or anything else
/// Prisma's parser allows (nested lists): only PhaseRunner's own keys are checked, when a
/// generation starts, so another generator's values never stop a run.
public enum PrismaConfigValue: Decodable, Sendable, Hashable {
    case string(String)
    case list([String])
    /// Any other JSON value (e.g. `[["a", "b"]]`).
    case other

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let l = try? c.decode([String].self) {
            self = .list(l)
        } else {
            self = .other
        }
    }
}

/// A `generator` block as Prisma hands it over (`GeneratorConfig`), the parts PhaseRunner
/// reads: `output` is resolved to an absolute path by the time `generate` is sent; `config`
/// holds every key but the reserved `output`, `provider`, `binaryTargets` and `previewFeatures`.
public struct PrismaGeneratorBlock: Decodable, Sendable, Hashable {
    public var name: String
    public var output: PrismaEnvValue?
    public var config: [String: PrismaConfigValue]
    /// The file the block is written in (Prisma 6+).
    public var sourceFilePath: String?

    public init(name: String, output: PrismaEnvValue?, config: [String: PrismaConfigValue] = [:], sourceFilePath: String? = nil) {
        self.name = name
        self.output = output
        self.config = config
        self.sourceFilePath = sourceFilePath
    }

    enum CodingKeys: String, CodingKey { case name, output, config, sourceFilePath }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        output = try c.decodeIfPresent(PrismaEnvValue.self, forKey: .output)
        // `undefined` values are dropped by JSON.stringify; a `null` is treated the same way.
        let raw = try c.decodeIfPresent([String: PrismaConfigValue?].self, forKey: .config) ?? [:]
        config = raw.compactMapValues { $0 }
        sourceFilePath = try c.decodeIfPresent(String.self, forKey: .sourceFilePath)
    }
}

/// `generate`'s params (`GeneratorOptions`), the parts PhaseRunner uses: its own block and the
/// schema's path (a file, or the folder of a multi-file schema). PhaseRunner parses the schema
/// itself, so the DMMF is not read, nor are the other generators' blocks.
public struct PrismaGeneratorOptions: Decodable, Sendable, Hashable {
    public var generator: PrismaGeneratorBlock
    public var schemaPath: String

    public init(generator: PrismaGeneratorBlock, schemaPath: String) {
        self.generator = generator
        self.schemaPath = schemaPath
    }
}

/// What `getManifest` answers (`GeneratorManifest`): the name Prisma prints ("Generated
/// PhaseRunner REST API (0.1.0) to … in 1.2s") and the output used when the block has none.
public struct PrismaGeneratorManifest: Encodable, Sendable, Hashable {
    public var prettyName: String
    public var defaultOutput: String
    public var version: String

    public static let phaseRunner = PrismaGeneratorManifest(
        prettyName: "PhaseRunner REST API", defaultOutput: "../generated", version: ManifestEmitter.generatorVersion)
}

/// The answers, one line each (without the newline).
public enum PrismaGeneratorResponse {
    /// JSON-RPC's "server error" code, the one `generatorHandler` uses for a failed call.
    public static let failureCode = -32000
    public static let methodNotFound = -32601

    public static func manifest(id: Int, _ manifest: PrismaGeneratorManifest) -> String {
        let body = encoded(manifest) ?? "null"
        return #"{"jsonrpc":"2.0","result":{"manifest":\#(body)},"id":\#(id)}"#
    }

    public static func generated(id: Int) -> String {
        #"{"jsonrpc":"2.0","result":null,"id":\#(id)}"#
    }

    public static func error(id: Int, code: Int = failureCode, message: String) -> String {
        #"{"jsonrpc":"2.0","error":{"code":\#(code),"message":\#(encoded(message) ?? "\"\""),"data":null},"id":\#(id)}"#
    }

    /// JSON with every non-ASCII character escaped (`\u00e9`): Prisma 5, 6 and early 7 decode
    /// each chunk of the generator's stderr on its own, which breaks a character split
    /// between chunks; ASCII cannot be split.
    private static func encoded<T: Encodable>(_ value: T) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return nil }
        var out = ""
        out.reserveCapacity(data.count)
        for scalar in String(decoding: data, as: UTF8.self).unicodeScalars {
            if scalar.isASCII {
                out.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 { out += String(format: "\\u%04x", unit) }
            }
        }
        return out
    }
}
