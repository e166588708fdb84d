import Foundation

/// What a `generator` block asks of a run, checked: the output Prisma resolved, and the
/// block's own keys, which mirror `generate`'s options:
///
///     generator api {
///       provider   = "phaserunner prisma-generator"
///       output     = "../generated"
///       standalone = "false"                      // --no-standalone
///       skip       = ["writeTests"]               // --skip (a list, or names split by commas)
///       name       = "bookshop-api"               // --name
///       jobs       = "2"                          // --jobs
///       cacheDir   = "../.cache/phaserunner"      // --cache-dir; cache = "false" is --no-cache
///       force      = "true"                       // --force
///       report     = "../phaserunner-report.json" // the --json report, written to this file
///       wait       = "30"                         // --wait: for another run writing to the output
///     }
///
/// Values may be quoted or not (`standalone = false` arrives as the string "false"); `env()`
/// is not resolved for these keys. Paths are relative to the folder of the file the block is
/// written in. A key PhaseRunner
/// does not know, or a value it cannot read, is an error naming the block and the key.
public struct PrismaGeneratorSettings: Sendable, Hashable {
    public var config: GeneratorConfig
    /// Where to write the JSON report, absolute (nil: none).
    public var reportPath: String?

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static let keys = ["standalone", "skip", "name", "jobs", "cache", "cacheDir", "force", "report", "wait"]

    public init(_ options: PrismaGeneratorOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let block = options.generator
        let label = "generator `\(block.name)`"
        guard let output = block.output?.value, !output.isEmpty else {
            let why = block.output?.fromEnvVar.map { "its output comes from the environment variable \($0), which is not set" } ?? "it has no output"
            throw Problem(message: "\(label): \(why); set `output` in the generator block")
        }
        // As Prisma resolves `output`: from the folder of the block's file (of `schemaPath`
        // before Prisma 6 gave `sourceFilePath`).
        let base = URL(fileURLWithPath: block.sourceFilePath ?? options.schemaPath).deletingLastPathComponent()
        func path(_ p: String) -> String {
            p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardizedFileURL.path
        }
        func string(_ key: String, _ value: PrismaConfigValue) throws -> String {
            guard case .string(let s) = value else { throw Problem(message: "\(label): `\(key)` must be a single value, not a list") }
            return s
        }
        func bool(_ key: String, _ value: PrismaConfigValue) throws -> Bool {
            switch try string(key, value).lowercased() {
            case "true": return true
            case "false": return false
            case let other: throw Problem(message: "\(label): `\(key)` must be \"true\" or \"false\" (got \"\(other)\")")
            }
        }

        var config = GeneratorConfig(schemaPath: options.schemaPath, outputDir: path(output))
        var noCache = false, cacheDir: String?
        for key in block.config.keys.sorted() {
            guard let value = block.config[key] else { continue }
            switch key {
            case "standalone": config.standalone = try bool(key, value)
            case "force": config.force = try bool(key, value)
            case "cache": noCache = !(try bool(key, value))
            case "cacheDir": cacheDir = path(try string(key, value))
            case "name": config.projectName = try string(key, value)
            case "report": reportPath = path(try string(key, value))
            case "jobs":
                let text = try string(key, value)
                guard let n = Int(text), n >= 1 else { throw Problem(message: "\(label): `jobs` must be a whole number of at least 1 (got \"\(text)\")") }
                config.jobs = n
            case "wait":
                let text = try string(key, value)
                guard let seconds = Double(text), seconds >= 0, seconds.isFinite else {
                    throw Problem(message: "\(label): `wait` must be a number of seconds, 0 or more (got \"\(text)\")")
                }
                config.lockWait = .milliseconds(Int64((seconds * 1000).rounded()))
            case "skip":
                let names: [String]
                switch value {
                case .string(let s): names = s.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
                case .list(let l): names = l
                case .other: throw Problem(message: "\(label): `skip` must be a list of phase names")
                }
                config.disabledPhases = Set(names)
            default:
                throw Problem(message: "\(label): unknown key `\(key)`; PhaseRunner reads \(Self.keys.map { "`\($0)`" }.joined(separator: ", ")) (see docs/prisma-generator.md)")
            }
        }
        config.cache = CacheSetting.from(noCache: noCache, cacheDir: cacheDir, environment: environment)
        self.config = config
    }
}
