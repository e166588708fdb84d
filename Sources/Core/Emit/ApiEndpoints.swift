import Foundation

/// Every endpoint the generated app mounts, per model: the routes `RouteEmitter` writes into
/// each router, with the API prefix and the model's mount point in front (`GET /api/books/:id`).
/// Plugins receive it as the `api` field of `execute`.
public struct ApiEndpoints: Sendable, Hashable, Codable {
    public struct Endpoint: Sendable, Hashable, Codable {
        /// `GET`, `POST`, `PATCH`, `DELETE`.
        public let method: String
        /// The full path, Express style: `/api/books/:id`, `/api/loans/:personId/:bookId`.
        public let path: String
        /// The controller handler: `list`, `create`, `get`, `update`, `remove`, or `list<Relation>`.
        public let operation: String
        /// The list relation a sub-route reads (`/api/authors/:id/books` → `books`).
        public let relation: String?
    }

    public struct ModelEndpoints: Sendable, Hashable, Codable {
        public let model: String
        /// Where the model is mounted: `/api/books`.
        public let route: String
        public let readOnly: Bool
        public let endpoints: [Endpoint]
    }

    /// The API prefix (`/api`).
    public let prefix: String
    public let models: [ModelEndpoints]

    public init(_ plan: ApiPlan, prefix: String) {
        var base = prefix
        while base.hasSuffix("/") { base.removeLast() }
        self.prefix = prefix
        models = plan.models.map { m in
            let mount = "\(base)/\(m.route)"
            let endpoints = RouteEmitter.routes(m, plan: plan).map { r in
                Endpoint(method: r.method.uppercased(), path: r.path == "/" ? mount : mount + r.path, operation: r.handler, relation: r.relation)
            }
            return ModelEndpoints(model: m.name, route: mount, readOnly: m.isReadOnly, endpoints: endpoints)
        }
    }
}
