import ArgumentParser
import Core
import Foundation

/// `--cache-dir` / `--no-cache`, shared by `generate`, `tui` and `cache`.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"), help: "Phase cache folder (default: $PHASERUNNER_CACHE_DIR, else .<out>.phaserunner-cache beside the output folder).")
    var cacheDir: String?

    @Flag(name: .customLong("no-cache"), help: "Run every phase, without reading or writing the phase cache.")
    var noCache = false

    var setting: CacheSetting { CacheSetting.from(noCache: noCache, cacheDir: cacheDir) }
}

/// `phaserunner cache info|clean`.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Inspect or empty the phase cache.",
        subcommands: [Info.self, Clean.self]
    )

    /// Which cache: `--cache-dir`, else `PHASERUNNER_CACHE_DIR`, else the one beside `--out`.
    struct Location: ParsableArguments {
        @Option(name: .long, help: "The output folder whose cache is meant (default: generated).")
        var out: String = "generated"

        @Option(name: .customLong("cache-dir"), help: "The cache folder (default: $PHASERUNNER_CACHE_DIR, else beside --out).")
        var cacheDir: String?

        var store: CacheStore? {
            CacheSetting.from(noCache: false, cacheDir: cacheDir).directory(outputDir: out).map { CacheStore(directory: $0) }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Entries, size and the last run's hit rate.")
        @OptionGroup var location: Location
        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            guard let store = location.store else { throw ExitCode(2) }
            let info = store.info()
            if json {
                var pairs: [(String, JSONValue)] = [
                    ("directory", .string(info.directory)), ("entries", .integer(info.entries)), ("blobs", .integer(info.blobs)),
                    ("bytes", .integer(info.bytes)), ("limitBytes", .integer(info.limitBytes)),
                ]
                if let last = info.lastRun {
                    pairs.append(("lastRun", .object([
                        ("outputDir", .string(last.outputDir)), ("finished", .string(ISO8601DateFormatter().string(from: last.finished))),
                        ("hits", .integer(last.stats.hits)), ("misses", .integer(last.stats.misses)),
                        ("hitRate", .number((last.stats.hitRate * 1000).rounded() / 1000)), ("savedMs", .number(last.stats.savedMs.rounded())),
                        ("modelHits", .integer(last.stats.partHits)), ("modelMisses", .integer(last.stats.partMisses)),
                        ("corrupt", .integer(last.stats.corrupt)),
                    ])))
                }
                print(JSONValue.object(pairs).rendered(), terminator: "")
                return
            }
            print("cache:    \(info.directory)")
            print("entries:  \(info.entries) (\(info.blobs) blobs)")
            print("size:     \(Self.mib(info.bytes)) of \(Self.mib(info.limitBytes)) (least recently used entries are evicted past it)")
            if let last = info.lastRun {
                let s = last.stats
                let rate = Int((s.hitRate * 100).rounded())
                print("last run: \(s.hits) of \(s.hits + s.misses) phases cached (\(rate)%), saved \(Int(s.savedMs.rounded())) ms; models reused \(s.partHits), emitted \(s.partMisses)"
                      + (s.corrupt > 0 ? "; \(s.corrupt) damaged entries ignored" : ""))
                print("          into \(last.outputDir), \(ISO8601DateFormatter().string(from: last.finished))")
            } else {
                print("last run: none recorded")
            }
        }

        static func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
    }

    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove every entry of the phase cache.")
        @OptionGroup var location: Location

        func run() throws {
            guard let store = location.store else { throw ExitCode(2) }
            guard FileManager.default.fileExists(atPath: store.directory.path) else {
                print("no cache at \(store.directory.path)")
                return
            }
            let freed = try store.clean()
            print("removed the phase cache at \(store.directory.path) (\(Info.mib(freed)))")
        }
    }
}
