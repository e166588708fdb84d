import Foundation
import Core

/// Rows of the output tree, derived from the file list, collapsed folders and the filter.
public enum FileTree {
    public struct Row: Sendable, Hashable {
        public let path: String
        public let name: String
        public let depth: Int
        public let isDir: Bool
        public let bytes: Int
        public let change: FileEntry.Change
        public let expanded: Bool
        public let fileCount: Int
    }

    /// The folder structure of a file list, children sorted (folders first, then files, each
    /// alphabetically), with per-folder sizes and markers. Built once per file list and filter;
    /// opening and closing folders only walks it.
    public struct Tree: Sendable {
        public struct Node: Sendable {
            public var name: String
            public var file: FileEntry?
            public var bytes = 0
            public var files = 0
            public var change: FileEntry.Change = .same
            public var children: [Node] = []
        }
        public var root: Node
        /// Built under a filter: every folder shows open.
        public var filtered: Bool
    }

    private final class Builder {
        var children: [String: Builder] = [:]
        var file: FileEntry?
        var bytes = 0
        var files = 0
        var changed = false
        var new = false

        func freeze(_ name: String) -> Tree.Node {
            var node = Tree.Node(name: name, file: file, bytes: bytes, files: files,
                                 change: file?.change ?? (new ? .new : changed ? .changed : .same))
            node.children = children.sorted { a, b in
                let ad = a.value.file == nil, bd = b.value.file == nil
                return ad != bd ? ad : a.key < b.key
            }.map { $0.value.freeze($0.key) }
            return node
        }
    }

    public static func tree(_ files: [FileEntry], filter: String) -> Tree {
        let f = filter.lowercased()
        let root = Builder()
        for file in files where f.isEmpty || file.path.lowercased().contains(f) {
            var node = root
            let parts = file.path.split(separator: "/").map(String.init)
            for (i, part) in parts.enumerated() {
                node.bytes += file.bytes
                node.files += 1
                if file.change == .changed { node.changed = true }
                if file.change == .new { node.new = true }
                let next = node.children[part] ?? Builder()
                node.children[part] = next
                node = next
                if i == parts.count - 1 { node.file = file; node.bytes = file.bytes; node.files = 1 }
            }
        }
        return Tree(root: root.freeze(""), filtered: !f.isEmpty)
    }

    /// The visible rows of a tree: closed folders hide their contents (not under a filter).
    public static func rows(_ tree: Tree, collapsed: Set<String>) -> [Row] {
        var out: [Row] = []
        func walk(_ node: Tree.Node, path: String, depth: Int) {
            for child in node.children {
                let p = path.isEmpty ? child.name : "\(path)/\(child.name)"
                if let f = child.file {
                    out.append(Row(path: p, name: child.name, depth: depth, isDir: false, bytes: f.bytes, change: f.change, expanded: false, fileCount: 1))
                } else {
                    let expanded = tree.filtered || !collapsed.contains(p)
                    out.append(Row(path: p, name: child.name, depth: depth, isDir: true, bytes: child.bytes, change: child.change, expanded: expanded, fileCount: child.files))
                    if expanded { walk(child, path: p, depth: depth + 1) }
                }
            }
        }
        walk(tree.root, path: "", depth: 0)
        return out
    }

    public static func rows(_ o: OutputState) -> [Row] {
        rows(tree(o.files, filter: o.filter), collapsed: o.collapsed)
    }

    /// Default view of a fresh generation: the per-model folders are closed.
    public static func defaultCollapsed(_ files: [FileEntry]) -> Set<String> {
        var dirs = Set<String>()
        for f in files {
            let parts = f.path.split(separator: "/")
            if parts.count >= 4 { dirs.insert(parts.prefix(3).joined(separator: "/")) }
        }
        return dirs
    }

    public static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f K", Double(bytes) / 1024) }
        return String(format: "%.1f M", Double(bytes) / 1024 / 1024)
    }
}

/// The schema explorer's lists, derived from the schema model and the search text.
public enum SchemaExplorer {
    public static func entities(_ s: SchemaState) -> [SchemaState.Entity] {
        guard let m = s.model else { return [] }
        let all = m.models.map { SchemaState.Entity.model($0.name) } + m.compositeTypes.map { .composite($0.name) }
            + m.enums.map { .enumeration($0.name) }
        let q = s.search.lowercased()
        return q.isEmpty ? all : all.filter { $0.name.lowercased().contains(q) }
    }

    /// `Model.field`, as a reference list shows it.
    public struct FieldPath: Sendable, Hashable {
        public let model: String
        public let field: String
        public init(model: String, field: String) {
            self.model = model
            self.field = field
        }
    }

    /// A row of the detail right of the list: a field (or enum value), and for a model what
    /// the generator makes of it: an endpoint, a generated file, a field elsewhere that points
    /// at it. Enter follows a field or a reference, and opens a file (an endpoint: its routes
    /// file) in the Output pane.
    public enum DetailItem: Sendable, Hashable {
        case field(Int)
        case endpoint(ApiEndpoints.Endpoint)
        case file(String)
        case reference(FieldPath)
    }

    /// Each model's endpoints and the fields pointing at it (see `SchemaState.endpoints`).
    public static func index(_ model: SchemaModel, apiPrefix: String) -> (endpoints: [String: [ApiEndpoints.Endpoint]], referencedBy: [String: [FieldPath]]) {
        let api = ApiEndpoints(ApiPlan(schema: model), prefix: apiPrefix)
        let endpoints = Dictionary(api.models.map { ($0.model, $0.endpoints) }, uniquingKeysWith: { a, _ in a })
        var referencedBy: [String: [FieldPath]] = [:]
        for m in model.models {
            for f in m.fields {
                if case .model(let target) = f.type { referencedBy[target, default: []].append(FieldPath(model: m.name, field: f.name)) }
            }
        }
        return (endpoints, referencedBy)
    }

    /// The detail rows of the selected entity, in order: fields, then (for a model) endpoints,
    /// generated files and references.
    public static func items(_ s: AppState) -> [DetailItem] {
        let list = entities(s.schema)
        guard list.indices.contains(s.schema.selected) else { return [] }
        switch list[s.schema.selected] {
        case .model(let n):
            let count = s.schema.model?.model(n)?.fields.count ?? 0
            return (0..<count).map(DetailItem.field)
                + (s.schema.endpoints[n] ?? []).map(DetailItem.endpoint)
                + files(of: n, in: s.output).map { DetailItem.file($0.path) }
                + (s.schema.referencedBy[n] ?? []).map(DetailItem.reference)
        case .composite(let n): return (0..<(s.schema.model?.compositeType(n)?.fields.count ?? 0)).map(DetailItem.field)
        case .enumeration(let n): return (0..<(s.schema.model?.enumType(n)?.values.count ?? 0)).map(DetailItem.field)
        }
    }

    /// The generated files of a model (from the last generation's manifest), by path.
    public static func files(of model: String, in output: OutputState) -> [FileEntry] {
        output.files.filter { $0.model == model }.sorted { $0.path < $1.path }
    }

    /// The fields of a model or composite type (what Enter follows).
    public static func fields(_ s: SchemaState, _ e: SchemaState.Entity) -> [Field] {
        switch e {
        case .model(let n): return s.model?.model(n)?.fields ?? []
        case .composite(let n): return s.model?.compositeType(n)?.fields ?? []
        case .enumeration: return []
        }
    }
}

/// What the toggles will change on the next run, against the last one.
public enum NextRun {
    public struct Change: Sendable, Hashable {
        /// Phases that ran last time and will be skipped (turned off, or needing one that is).
        public var skipped: [String] = []
        /// Phases skipped last time that will run.
        public var added: [String] = []
        /// Files of the last generation that the skipped phases wrote: the next run removes them.
        public var removedFiles = 0
        /// Some (not all) plugins will be skipped: their files are removed too, but not counted.
        public var pluginFilesUncounted = false
        public var isEmpty: Bool { skipped.isEmpty && added.isEmpty }
    }

    public static func change(_ s: AppState) -> Change? {
        guard let last = s.lastReport else { return nil }
        var c = Change()
        for info in s.phases.map(\.info) {
            guard let status = last.phases.first(where: { $0.phase.name == info.name })?.status else { continue }
            let runs = s.willRun(info)
            if status.hasOutput && !runs { c.skipped.append(info.name) }
            if status == .skipped && runs { c.added.append(info.name) }
        }
        let skipped = Set(c.skipped)
        c.removedFiles = s.output.files.filter { $0.kind.flatMap(StandardPhases.producer(of:)).map(skipped.contains) == true }.count
        // Plugins' files are all of kind `plugin`: they are counted when every plugin that ran
        // will be skipped; with only some of them, which files are whose is not known.
        let ranPlugins = last.phases.filter { $0.phase.plugin != nil && $0.status.hasOutput }.map(\.phase.name)
        let skippedPlugins = ranPlugins.filter(skipped.contains)
        if !skippedPlugins.isEmpty {
            if skippedPlugins.count == ranPlugins.count {
                c.removedFiles += s.output.files.filter { $0.kind == .plugin }.count
            } else {
                c.pluginFilesUncounted = true
            }
        }
        return c
    }

    /// "writeStandalone, writeTests will be skipped; 11 files will be removed".
    public static func summary(_ c: Change) -> String {
        if c.isEmpty { return "the same phases as the last run" }
        var parts: [String] = []
        if !c.skipped.isEmpty {
            var p = "\(c.skipped.joined(separator: ", ")) will be skipped"
            if c.removedFiles > 0 { p += "; \(Plural.count(c.removedFiles, "file"))\(c.pluginFilesUncounted ? " and the skipped plugins' files" : "") will be removed" }
            else if c.pluginFilesUncounted { p += "; the skipped plugins' files will be removed" }
            parts.append(p)
        }
        if !c.added.isEmpty { parts.append("\(c.added.joined(separator: ", ")) will run") }
        return parts.joined(separator: "; ")
    }
}
