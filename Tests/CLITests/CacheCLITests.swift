import Foundation
import Testing

/// The phase cache through the real binary: processes sharing a cache folder, `cache info`,
/// `cache clean`, `--no-cache` and `PHASERUNNER_CACHE_DIR`.
@Suite("phaserunner cache")
struct CacheCLITests {
    static let shop = GenerateCLITests.shop

    static func report(_ r: CLITests.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
    }

    @Test("three processes at once share one cache folder: all succeed, outputs equal --no-cache, the folder stays whole")
    func processesShareACache() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cache-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache").path
        let results = try await withThrowingTaskGroup(of: CLITests.Output.self) { group in
            for name in ["a", "b", "c"] {
                group.addTask {
                    try CLITests.run(["generate", Self.shop.path, "--out", dir.appendingPathComponent(name).path, "--name", "shared", "--cache-dir", cache, "--json"])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let reference = try CLITests.run(["generate", Self.shop.path, "--out", dir.appendingPathComponent("reference").path, "--name", "shared", "--no-cache", "--json"])
        #expect(reference.status == 0)
        #expect(try Self.report(reference)["cache"] == nil)
        let expected = GenerateCLITests.snapshot(dir.appendingPathComponent("reference"))
        for name in ["a", "b", "c"] { #expect(GenerateCLITests.snapshot(dir.appendingPathComponent(name)) == expected, "\(name)") }

        // Through the environment variable this time: every cached phase is restored, nothing is damaged.
        let again = try CLITests.run(["generate", Self.shop.path, "--out", dir.appendingPathComponent("d").path, "--name", "shared", "--json"],
                                     environment: ["PHASERUNNER_CACHE_DIR": cache])
        let stats = try #require(try Self.report(again)["cache"] as? [String: Any])
        #expect(stats["misses"] as? Int == 0 && stats["corrupt"] as? Int == 0 && (stats["hits"] as? Int ?? 0) >= 9, "\(stats)")
        let phases = try #require(try Self.report(again)["phases"] as? [[String: Any]])
        #expect(phases.contains { $0["status"] as? String == "cached" && ($0["savedMs"] as? Double) != nil })
        #expect(GenerateCLITests.snapshot(dir.appendingPathComponent("d")) == expected)

        let info = try CLITests.run(["cache", "info", "--cache-dir", cache, "--json"])
        let infoJSON = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        #expect((infoJSON["entries"] as? Int ?? 0) > 0 && (infoJSON["bytes"] as? Int ?? 0) > 0)
        let last = try #require(infoJSON["lastRun"] as? [String: Any])
        #expect(last["misses"] as? Int == 0 && last["hitRate"] as? Double == 1)
        let text = try CLITests.run(["cache", "info", "--cache-dir", cache])
        #expect(text.stdout.contains("last run:") && text.stdout.contains("100%"), "\(text.stdout)")

        let clean = try CLITests.run(["cache", "clean", "--cache-dir", cache])
        #expect(clean.status == 0 && clean.stdout.contains("removed the phase cache"))
        let empty = try JSONSerialization.jsonObject(with: Data(try CLITests.run(["cache", "info", "--cache-dir", cache, "--json"]).stdout.utf8)) as? [String: Any]
        #expect(empty?["entries"] as? Int == 0)
    }
}
