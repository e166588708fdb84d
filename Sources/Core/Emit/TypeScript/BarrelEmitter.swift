/// Phase 07: `src/<layer>/<kebab>/index.ts` and `src/<layer>/index.ts` re-exporting what was generated.
enum BarrelEmitter {
    static let layers = ["contracts", "validators", "services", "controllers", "routes"]

    static func files(for generated: GeneratedListing) -> [GeneratedFile] {
        var out: [GeneratedFile] = []
        for layer in layers {
            let prefix = "src/\(layer)/"
            let inLayer = generated.entries.filter { $0.path.hasPrefix(prefix) && !$0.path.hasSuffix("/index.ts") }
            guard !inLayer.isEmpty else { continue }
            var folders: [String: [String]] = [:]
            var topLevel: [String] = []
            var models: [String: String] = [:]
            for f in inLayer {
                let rest = f.path.dropFirst(prefix.count).split(separator: "/").map(String.init)
                if rest.count == 2 {
                    folders[rest[0], default: []].append(rest[1])
                    if let m = f.model { models[rest[0]] = m }
                } else if rest.count == 1 {
                    topLevel.append(rest[0])
                }
            }
            for folder in folders.keys.sorted() {
                var w = CodeWriter()
                w.line(BaseEmitter.headerLine)
                for file in folders[folder, default: []].sorted() {
                    w.line("export * from './\(jsName(file))';")
                }
                out.append(GeneratedFile(path: "\(prefix)\(folder)/index.ts", contents: w.text, kind: .barrel, model: models[folder]))
            }
            var w = CodeWriter()
            w.line(BaseEmitter.headerLine)
            for file in topLevel.sorted() { w.line("export * from './\(jsName(file))';") }
            for folder in folders.keys.sorted() { w.line("export * from './\(folder)/index.js';") }
            out.append(GeneratedFile(path: "\(prefix)index.ts", contents: w.text, kind: .barrel))
        }
        return out
    }

    /// ESM import specifier of a TypeScript file: `user.service.ts` → `user.service.js`.
    static func jsName(_ file: String) -> String {
        file.hasSuffix(".ts") ? String(file.dropLast(3)) + ".js" : file
    }
}
