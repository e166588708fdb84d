/// The generator preview features Prisma knows, and what naming each one gets: those of
/// Prisma 6.19 (whose diagnostics the conformance corpus records) and Prisma 7's (which
/// stabilized `driverAdapters`, `queryCompiler`, `multiSchema`, … and added `partialIndexes`).
/// Names match as Prisma matches them, ignoring ASCII case (`VIEWS` is `views`).
enum PreviewFeatures {
    enum Status: Equatable {
        /// Valid, and listed in the "Expected one of" of an unknown feature.
        case active
        /// Valid on PostgreSQL only (and listed there).
        case postgresOnly
        /// Valid, but never listed.
        case hidden
        /// Stabilized: the functionality needs no flag (a warning).
        case stabilized
        /// On its way out (a warning saying so): `metrics`, which Prisma 7 no longer knows.
        case removed
    }

    /// Every known feature by its lowercased name: (its name as Prisma writes it, its status).
    private static let table: [String: (name: String, status: Status)] = {
        var t: [String: (String, Status)] = [:]
        func add(_ names: [String], _ status: Status) {
            for n in names { t[n.lowercased()] = (n, status) }
        }
        add(["nativeDistinct", "partialIndexes", "postgresqlExtensions", "relationJoins", "schemaEngineDriverAdapters",
             "shardKeys", "strictUndefinedChecks", "views"], .active)
        add(["fullTextSearchPostgres"], .postgresOnly)
        add(["reactNative", "typedSql"], .hidden)
        add(["metrics"], .removed)
        add(["aggregateApi", "atomicNumberOperations", "clientExtensions", "cockroachdb", "connectOrCreate", "createMany",
             "dataProxy", "deno", "distinct", "driverAdapters", "extendedIndexes", "extendedWhereUnique", "fieldReference",
             "filteredRelationCount", "filterJson", "fullTextIndex", "fullTextSearch", "groupBy", "improvedQueryRaw",
             "interactiveTransactions", "jsonProtocol", "microsoftSqlServer", "middlewares", "mongoDb", "multiSchema",
             "namedConstraints", "nApi", "nativeTypes", "omitApi", "orderByAggregateGroup", "orderByNulls", "orderByRelation",
             "prismaSchemaFolder", "queryCompiler", "referentialActions", "referentialIntegrity", "selectRelationCount",
             "tracing", "transactionApi", "uncheckedScalarInputs"], .stabilized)
        return t
    }()

    /// The feature `name` stands for (any ASCII case), as Prisma writes it, with its status.
    static func lookup(_ name: String) -> (name: String, status: Status)? {
        table[name.lowercased()]
    }

    /// The features an unknown one's message lists, in Prisma's (alphabetical) order.
    static func listed(provider: Provider?) -> [String] {
        table.values.filter { $0.status == .active || $0.status == .removed || ($0.status == .postgresOnly && provider == .postgresql) }
            .map(\.name).sorted()
    }

    /// Checks one name written in `previewFeatures` (once the provider is known).
    static func check(_ written: String, span: Span, _ ctx: ValidationContext) {
        func unknown() {
            let list = listed(provider: ctx.provider).joined(separator: ", ")
            ctx.error("The preview feature \"\(written)\" is not known. Expected one of: \(list)", span)
        }
        guard let (name, status) = lookup(written) else { return unknown() }
        switch status {
        case .active, .hidden:
            break
        case .postgresOnly:
            if ctx.provider != .postgresql, ctx.provider != nil { unknown() }
        case .removed:
            ctx.warning("Preview feature \"\(written)\" is deprecated. It will be removed in a future version of Prisma.", span)
        case .stabilized where name == "fullTextSearch" && ctx.provider == .postgresql:
            ctx.warning("On `provider = \"postgresql\"`, preview feature \"\(written)\" has been renamed to \"fullTextSearchPostgres\". Learn more at https://pris.ly/d/fts-postgres.", span)
        case .stabilized:
            ctx.warning("Preview feature \"\(written)\" is deprecated. The functionality can be used without specifying it as a preview feature.", span)
        }
    }
}
