import Foundation
import Testing
@testable import Core

@Suite("phase graph as text, JSON and Graphviz")
struct PhaseGraphFormatTests {
    struct Phase: GenerationPhase {
        let name: String
        let order: Int
        var description: String { name }
        var reads: [AnyContextKey] = []
        var writes: [AnyContextKey] = []
        var outputs: [OutputPattern] = []
        func execute(_ context: PhaseContext) async throws -> PhaseResult { .empty }
    }

    static let a = ContextKey<Int>("a", producedBy: "first"), b = ContextKey<Int>("b", producedBy: "second")

    static var phases: [any GenerationPhase] {
        [Phase(name: "first", order: 0, writes: [a.erased], outputs: ["src/x/**"]),
         Phase(name: "second", order: 1, reads: [a.erased], writes: [b.erased]),
         Phase(name: "third", order: 2, reads: [a.erased, b.erased], outputs: ["src/x/y.ts"]),
         Phase(name: "quoted \"one\"", order: 3)]
    }

    @Test("text: direct dependencies with their reasons, implied ones through which, undeclared phases in order")
    func text() {
        let text = PhaseGraphFormat.text(PhaseGraph(phases: Self.phases))
        #expect(text.contains("00 first\n    waits for nothing: starts at once\n"))
        // Names are padded to the longest label ("03 quoted \"one\"") plus two.
        #expect(text.contains("02 third\n    after   01 second        reads b\n    implied 00 first         reads a; stages src/x/y.ts, it stages src/x/** (through 01 second)\n"), "\(text)")
        #expect(text.contains("    after   02 third         declares no reads, writes or outputs (runs in order)\n"), "\(text)")
        #expect(!text.contains("problems:"))
    }

    @Test("json is stable and lists direct dependencies only; dot quotes names and labels")
    func jsonAndDot() throws {
        let graph = PhaseGraph(phases: Self.phases)
        let json = PhaseGraphFormat.json(graph)
        #expect(json == PhaseGraphFormat.json(PhaseGraph(phases: Self.phases)))
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(items.map { $0["after"] as? [String] } == [[], ["first"], ["second"], ["third"]])
        let dot = PhaseGraphFormat.dot(graph)
        #expect(dot.contains("\"quoted \\\"one\\\"\" [label=\"03 quoted \\\"one\\\"\"];"), "\(dot)")
        #expect(dot.contains("\"first\" -> \"second\" [label=\"reads a\"];"))
        #expect(!dot.contains("\"first\" -> \"third\""))
    }

    @Test("a read no phase writes is listed as a problem")
    func problems() {
        let graph = PhaseGraph(phases: [Phase(name: "lonely", order: 0, reads: [Self.b.erased])])
        #expect(graph.problems.count == 1)
        #expect(PhaseGraphFormat.text(graph).contains("problems:\n  lonely reads b, which no registered phase writes (expected from second)\n"))
    }
}
