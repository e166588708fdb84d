import Foundation

/// Where plugins are declared besides `--plugin`: `phaserunner.json` beside the schema, else
/// the `"phaserunner"` key of the nearest `package.json` above it, both
/// `{"plugins": [{"command": "python3 tools/api-docs.py", "timeoutSeconds": 60}]}`. Their
/// commands run in the schema's folder.
public enum PluginConfig {
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    struct File: Decodable {
        var plugins: [PluginDeclaration]?
    }

    struct PackageJSON: Decodable {
        var phaserunner: File?
    }

    /// The schema's folder: the folder of a `.prisma` file, or the schema folder itself.
    public static func schemaFolder(_ schemaPath: String) -> URL {
        let url = URL(fileURLWithPath: schemaPath).standardizedFileURL
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue { return url }
        return url.deletingLastPathComponent()
    }

    /// The plugins the configuration beside `schemaPath` declares, with the file they came
    /// from (nil when none declares any).
    public static func declarations(schemaPath: String) throws -> (plugins: [PluginDeclaration], source: String?) {
        let folder = schemaFolder(schemaPath)
        let own = folder.appendingPathComponent("phaserunner.json")
        if let data = FileManager.default.contents(atPath: own.path) {
            let file: File
            do { file = try JSONDecoder().decode(File.self, from: data) } catch {
                throw LoadError(message: "\(own.path): not a phaserunner configuration: \(PluginSession.describe(error))")
            }
            return (located(file.plugins ?? [], in: folder), own.path)
        }
        var dir = folder
        while true {
            let package = dir.appendingPathComponent("package.json")
            if let data = FileManager.default.contents(atPath: package.path) {
                let decoded: PackageJSON
                do { decoded = try JSONDecoder().decode(PackageJSON.self, from: data) } catch {
                    throw LoadError(message: "\(package.path): its \"phaserunner\" key is not a phaserunner configuration: \(PluginSession.describe(error))")
                }
                return (located(decoded.phaserunner?.plugins ?? [], in: folder), decoded.phaserunner == nil ? nil : package.path)
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return ([], nil) }
            dir = parent
        }
    }

    private static func located(_ plugins: [PluginDeclaration], in folder: URL) -> [PluginDeclaration] {
        plugins.map { var p = $0; p.directory = folder.path; return p }
    }

    /// Describes every plugin (each is started once and asked `describe`) and checks that
    /// their names are new: the phases to register beside `existing`.
    public static func phases(_ declarations: [PluginDeclaration], existing: [String], limits: PluginLimits = PluginLimits()) async throws -> [PluginPhase] {
        var names = Set(existing)
        var out: [PluginPhase] = []
        for d in declarations {
            let phase = try await PluginPhase.describe(d, limits: limits)
            guard names.insert(phase.name).inserted else {
                throw PluginError(command: d.command, kind: .invalidResult, message: "its name `\(phase.name)` is already the name of another phase")
            }
            out.append(phase)
        }
        return out
    }
}
