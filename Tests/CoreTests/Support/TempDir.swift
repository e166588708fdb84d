import Foundation

/// A fresh temporary folder, removed by `cleanup()`.
struct TempDir {
    let url: URL
    init(_ label: String = "phaserunner") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ p: String) -> URL { url.appendingPathComponent(p) }
    func write(_ p: String, _ text: String) throws {
        let u = path(p)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: u, atomically: true, encoding: .utf8)
    }
    func cleanup() { try? FileManager.default.removeItem(at: url) }

    /// Every file below `dir` with its bytes, by relative path (for byte-identical comparisons).
    static func snapshot(_ dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
        let base = dir.standardizedFileURL.path
        for case let url as URL in e {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let rel = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            out[rel] = FileManager.default.contents(atPath: url.path)
        }
        return out
    }
}
