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

    final class Node {
        var children: [String: Node] = [:]
        var file: FileEntry?
        var bytes = 0
        var files = 0
        var changed = false
        var new = false
    }

    public static func rows(_ o: OutputState) -> [Row] {
        let filter = o.filter.lowercased()
        let files = filter.isEmpty ? o.files : o.files.filter { $0.path.lowercased().contains(filter) }
        let root = Node()
        for f in files {
            var node = root
            let parts = f.path.split(separator: "/").map(String.init)
            for (i, part) in parts.enumerated() {
                node.bytes += f.bytes
                node.files += 1
                if f.change == .changed { node.changed = true }
                if f.change == .new { node.new = true }
                let next = node.children[part] ?? Node()
                node.children[part] = next
                node = next
                if i == parts.count - 1 { node.file = f; node.bytes = f.bytes; node.files = 1 }
            }
        }
        var out: [Row] = []
        func walk(_ node: Node, path: String, depth: Int) {
            // Folders first, then files, each alphabetically.
            let sorted = node.children.sorted { a, b in
                let ad = a.value.file == nil, bd = b.value.file == nil
                return ad != bd ? ad : a.key < b.key
            }
            for (name, child) in sorted {
                let p = path.isEmpty ? name : "\(path)/\(name)"
                if let f = child.file {
                    out.append(Row(path: p, name: name, depth: depth, isDir: false, bytes: f.bytes, change: f.change, expanded: false, fileCount: 1))
                } else {
                    let expanded = !filter.isEmpty || !o.collapsed.contains(p)
                    let change: FileEntry.Change = child.new ? .new : child.changed ? .changed : .same
                    out.append(Row(path: p, name: name, depth: depth, isDir: true, bytes: child.bytes, change: change, expanded: expanded, fileCount: child.files))
                    if expanded { walk(child, path: p, depth: depth + 1) }
                }
            }
        }
        walk(root, path: "", depth: 0)
        return out
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

    public static func fieldCount(_ s: SchemaState) -> Int {
        let list = entities(s)
        guard list.indices.contains(s.selected) else { return 0 }
        switch list[s.selected] {
        case .model(let n): return s.model?.model(n)?.fields.count ?? 0
        case .composite(let n): return s.model?.compositeType(n)?.fields.count ?? 0
        case .enumeration(let n): return s.model?.enumType(n)?.values.count ?? 0
        }
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
