import Foundation
import Core

/// Runs generated TypeScript for real: Debian's `tsc` compiles a generated project's `src/`
/// (base, contracts, validators, services, controllers) to CommonJS against Zod 3.25.76's own
/// sources (`../shared/vendor`), and Node runs a driver script over the result. Only Prisma
/// Client is a stand-in (`Fixtures/runtime/prisma-client.cjs`): everything up to the database
/// call is the generated code itself.
enum NodeRuntime {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/runtime")
    static let zodSources = Corpus.shared.appendingPathComponent("vendor/zod-3.25.76/src")

    static var nodePath: String? {
        ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Zod compiled once (CommonJS + declarations) and shared by every project, kept in the
    /// temporary folder for later test runs: it is built into a private folder and renamed
    /// into place, so concurrent test processes never see half of it.
    static let zod: Result<URL, Failure> = {
        guard let tsc = TypeScriptCheck.tscPath else { return .failure(Failure(description: "tsc not found: install Debian's node-typescript")) }
        let tmp = FileManager.default.temporaryDirectory
        let out = tmp.appendingPathComponent("phaserunner-zod-3.25.76-v1")
        if FileManager.default.fileExists(atPath: out.appendingPathComponent("package.json").path) { return .success(out) }
        let root = tmp.appendingPathComponent("phaserunner-zod-build-\(ProcessInfo.processInfo.processIdentifier)")
        let built = root.appendingPathComponent("zod")
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            try? FileManager.default.removeItem(at: root)
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let config: [String: Any] = [
                "compilerOptions": [
                    "module": "commonjs", "moduleResolution": "node", "target": "ES2022", "skipLibCheck": true,
                    "strict": false, "declaration": true, "outDir": built.path, "rootDir": zodSources.path,
                    "types": [], "lib": ["ES2022", "DOM"],
                ] as [String: Any],
                "include": [zodSources.path + "/**/*.ts"],
            ]
            try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(to: root.appendingPathComponent("tsconfig.json"))
            let r = try run(tsc, ["-p", root.appendingPathComponent("tsconfig.json").path, "--pretty", "false"])
            guard FileManager.default.fileExists(atPath: built.appendingPathComponent("index.js").path) else {
                return .failure(Failure(description: "compiling Zod failed:\n\(r.stdout)\(r.stderr)"))
            }
            // Resolvable as the package `zod` by Node (require) and by tsc (node and NodeNext).
            try #"{"name":"zod","version":"3.25.76","main":"index.js","types":"index.d.ts"}"#
                .write(to: built.appendingPathComponent("package.json"), atomically: true, encoding: .utf8)
            // Another process may have won the race: then its copy is used.
            if (try? FileManager.default.moveItem(at: built, to: out)) == nil,
               !FileManager.default.fileExists(atPath: out.appendingPathComponent("package.json").path) {
                return .failure(Failure(description: "could not place the compiled Zod at \(out.path)"))
            }
            return .success(out)
        } catch {
            return .failure(Failure(description: "compiling Zod failed: \(error)"))
        }
    }()

    /// A compiled project: `dist/` mirrors `src/`.
    struct Project {
        let root: URL
        var dist: URL { root.appendingPathComponent("dist") }
    }

    /// Writes `files`, compiles their `src/` (but the Express app, server and db glue, which need
    /// packages we cannot install) and returns the project. tsc errors in generated files fail.
    static func build(_ files: [GeneratedFile], name: String) throws -> Project {
        guard let tsc = TypeScriptCheck.tscPath else { throw Failure(description: "tsc not found: install Debian's node-typescript") }
        let zodDir = try zod.get()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("phaserunner-node/\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.removeItem(at: root)
        let src = root.appendingPathComponent("src")
        let compiled = files.filter { f in
            f.path.hasPrefix("src/") && !["src/app.ts", "src/server.ts", "src/db.ts", "src/config.ts", "src/logger.ts", "src/docs.ts"].contains(f.path)
        }
        for f in compiled {
            let url = root.appendingPathComponent(f.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try f.contents.write(to: url, atomically: true, encoding: .utf8)
        }
        _ = src
        // node_modules: the compiled Zod and the Prisma Client stand-in.
        let modules = try linkZod(into: root, zodDir)
        let prisma = modules.appendingPathComponent("@prisma/client")
        try FileManager.default.createDirectory(at: prisma, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("prisma-client.cjs"), to: prisma.appendingPathComponent("index.js"))
        try FileManager.default.copyItem(at: TypeScriptCheck.stubs, to: root.appendingPathComponent("stubs.d.ts"))
        let config: [String: Any] = [
            "compilerOptions": [
                "module": "commonjs", "moduleResolution": "node", "target": "ES2022", "strict": true, "noImplicitAny": true,
                "skipLibCheck": true, "outDir": "dist", "rootDir": "src", "types": [], "lib": ["ES2022"], "esModuleInterop": true,
            ] as [String: Any],
            "files": ["stubs.d.ts"],
            "include": ["src/**/*.ts"],
        ]
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(to: root.appendingPathComponent("tsconfig.json"))
        let r = try run(tsc, ["-p", root.appendingPathComponent("tsconfig.json").path, "--pretty", "false"])
        guard r.status == 0 else {
            try? FileManager.default.removeItem(at: root)
            throw Failure(description: "tsc failed for \(name):\n\((r.stdout + r.stderr).prefix(6000))")
        }
        return Project(root: root)
    }

    /// `root/node_modules/zod` → the compiled Zod; returns `node_modules`.
    @discardableResult
    static func linkZod(into root: URL, _ zodDir: URL) throws -> URL {
        let modules = root.appendingPathComponent("node_modules")
        try FileManager.default.createDirectory(at: modules, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: modules.appendingPathComponent("zod"), withDestinationURL: zodDir)
        return modules
    }

    /// Runs a driver script from `Fixtures/runtime` with `args`, in the project's folder.
    static func node(_ script: String, in project: Project, args: [String] = []) throws -> Output {
        guard let node = nodePath else { throw Failure(description: "node not found") }
        // Copied into the project so its own requires resolve from the project's node_modules.
        let local = project.root.appendingPathComponent(script)
        try? FileManager.default.removeItem(at: local)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(script), to: local)
        return try run(node, [local.path, project.dist.path] + args, cwd: project.root)
    }

    static func remove(_ project: Project) {
        try? FileManager.default.removeItem(at: project.root)
    }

    static func run(_ executable: String, _ args: [String], cwd: URL? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("phaserunner-run-\(UUID().uuidString).out")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("phaserunner-run-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        let out = try FileHandle(forWritingTo: outFile), err = try FileHandle(forWritingTo: errFile)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        return Output(status: p.terminationStatus,
                      stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }
}
