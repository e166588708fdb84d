import Foundation
import Logging

/// A context value a phase read or wrote, as the phase inspector lists it: the key, whether
/// the phase read or wrote it, and a one-line account of the value when the phase ended
/// (`apiPlan: 51 models, 412 endpoints`; `generatedFiles: 765 files, 2.3 MB`).
public struct ContextEntry: Sendable {
    public enum Access: String, Sendable, Hashable { case read, wrote }
    public let key: String
    public let access: Access
    /// The value (nil: not set, e.g. a read that failed). Observers summarise it on their own
    /// thread (`ContextSummary.line`), so the run pays nothing for it.
    public let value: (any Sendable)?
    /// Restored from the phase cache and not loaded (no phase that executed needed it).
    public let deferred: Bool

    public init(key: String, access: Access, value: (any Sendable)?, deferred: Bool = false) {
        self.key = key
        self.access = access
        self.value = value
        self.deferred = deferred
    }

    /// The one line the inspector shows for it.
    public var summary: String {
        if deferred { return "restored from the cache (loaded when a phase reads it)" }
        guard let value else { return "not set" }
        return ContextSummary.line(value)
    }
}

/// One-line accounts of the values the standard phases share; another type (a plugin's) is
/// named by its type.
public enum ContextSummary {
    /// The output transaction as it stood when a phase ended (it keeps changing after).
    public struct Staged: Sendable, Hashable {
        public let files: Int
    }

    public static func line(_ value: any Sendable) -> String {
        switch value {
        case let c as GeneratorConfig:
            return "\(c.schemaPath) → \(c.outputDir)\(c.standalone ? ", standalone" : "")"
        case is Logger:
            return "the run's logger"
        case let p as RunPlan:
            let skipped = p.entries.filter { $0.skipReason != nil }.count
            return "\(Plural.count(p.entries.count, "phase"))\(skipped > 0 ? ", \(skipped) skipped" : "")"
        case let u as URL:
            return u.path
        case let t as OutputTransaction:
            return "\(Plural.count(t.stagedCount, "file")) staged"
        case let staged as Staged:
            return "\(Plural.count(staged.files, "file")) staged"
        case let s as SourceSet:
            let bytes = s.files.reduce(0) { $0 + $1.bytes.count }
            return "\(Plural.count(s.files.count, "file")), \(size(bytes))"
        case let p as ParsedSchema:
            return "\(Plural.count(p.ast.tops.count, "declaration"))\(p.diagnostics.isEmpty ? "" : ", \(Plural.count(p.diagnostics.count, "diagnostic"))")"
        case let s as String:
            return "\(size(s.utf8.count)) of text"
        case let c as CompiledSchema:
            return model(c.model) + (c.diagnostics.isEmpty ? "" : ", \(Plural.count(c.diagnostics.count, "diagnostic"))")
        case let m as SchemaModel:
            return model(m)
        case let names as [String]:
            return names.count <= 3 ? names.joined(separator: ", ") : "\(names.prefix(3).joined(separator: ", ")), … (\(names.count))"
        case let g as RelationGraph:
            return Plural.count(g.relations.count, "relation")
        case let n as Int:
            return String(n)
        case let p as ApiPlan:
            let endpoints = p.models.reduce(0) { $0 + RouteEmitter.routes($1, plan: p).count }
            return "\(Plural.count(p.models.count, "model")), \(Plural.count(endpoints, "endpoint"))"
        case let l as GeneratedListing:
            return Plural.count(l.entries.count, "file")
        case let a as ApiSummary:
            return "\(Plural.count(a.models.count, "model"))\(a.excluded.isEmpty ? "" : ", \(a.excluded.count) excluded")"
        case let files as [StageableFile]:
            return "\(Plural.count(files.count, "file")), \(size(files.reduce(0) { $0 + $1.bytes }))"
        default:
            return "a value of type \(type(of: value))"
        }
    }

    static func model(_ m: SchemaModel) -> String {
        var parts = [Plural.count(m.models.count, "model")]
        if !m.enums.isEmpty { parts.append(Plural.count(m.enums.count, "enum")) }
        if !m.compositeTypes.isEmpty { parts.append(Plural.count(m.compositeTypes.count, "composite type")) }
        return parts.joined(separator: ", ")
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}
