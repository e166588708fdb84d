import Foundation
import Testing
@testable import Core

@Suite("Real-world schemas")
struct RealSchemaTests {
    static let schemas = Corpus.realSchemas

    @Test("corpus is present")
    func corpusPresent() {
        #expect(Self.schemas.count == 12)
    }

    @Test("parses and validates with no errors", arguments: schemas)
    func validates(_ url: URL) throws {
        let compiled = try Corpus.compile(url)
        let errors = compiled.resolved().filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(url.lastPathComponent): \(errors.map { $0.rendered() }.joined())")
        #expect(!compiled.model.models.isEmpty)
    }
}
