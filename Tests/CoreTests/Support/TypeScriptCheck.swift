import Foundation
import Core

/// Writes generated files into a temp folder and runs Debian's `tsc` over them
/// (strict, no emit) against Zod's real declarations, with the other npm packages stubbed
/// by `Fixtures/externals.d.ts`.
enum TypeScriptCheck {
    struct Result {
        let exitCode: Int32
        let output: String
        let directory: URL
    }

    static var tscPath: String? {
        for p in ["/usr/bin/tsc", "/usr/local/bin/tsc"] where FileManager.default.isExecutableFile(atPath: p) { return p }
        return nil
    }

    static let stubs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/externals.d.ts")

    static func write(_ files: [GeneratedFile], to dir: URL) throws {
        for f in files {
            let url = dir.appendingPathComponent(f.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try f.contents.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    static func run(_ files: [GeneratedFile], name: String) throws -> Result {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("phaserunner-tsc/\(name)")
        try? FileManager.default.removeItem(at: root)
        let out = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try write(files, to: out)
        try NodeRuntime.linkZod(into: root, try NodeRuntime.zod.get())
        let config: [String: Any] = [
            "compilerOptions": [
                "strict": true, "noEmit": true, "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
                "types": [], "lib": ["ES2022"], "skipLibCheck": true, "noUnusedLocals": true, "noImplicitReturns": true,
                "esModuleInterop": true, "forceConsistentCasingInFileNames": true,
            ] as [String: Any],
            "files": [stubs.path],
            "include": ["out/src/**/*.ts", "out/tests/**/*.ts", "out/*.ts"],
        ]
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: root.appendingPathComponent("tsconfig.json"))
        guard let tsc = tscPath else {
            return Result(exitCode: -1, output: "tsc not found: install Debian's node-typescript", directory: out)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tsc)
        p.arguments = ["-p", root.appendingPathComponent("tsconfig.json").path, "--pretty", "false"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(exitCode: p.terminationStatus, output: String(decoding: output, as: UTF8.self), directory: out)
    }
}
