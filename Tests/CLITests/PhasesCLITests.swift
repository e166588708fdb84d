import Foundation
import Testing

/// `phaserunner phases --graph / --json / --dot` and `--jobs`.
@Suite("phaserunner phases and --jobs")
struct PhasesCLITests {
    @Test("phases --json: 13 phases in order with what each waits for, reads, writes and stages; stable")
    func json() throws {
        let a = try CLITests.run(["phases", "--json"])
        let b = try CLITests.run(["phases", "--json"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout == b.stdout)
        let phases = try #require(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [[String: Any]])
        #expect(phases.count == 13)
        #expect(phases.map { $0["order"] as? Int } == Array(0..<13))
        func entry(_ name: String) throws -> [String: Any] { try #require(phases.first { $0["name"] as? String == name }) }
        let after = { (name: String) throws -> [String] in try entry(name)["after"] as? [String] ?? [] }
        #expect(try after("generateOpenAPI").contains("analyzeRelationships"))
        #expect(try Set(after("writeFiles")).isSuperset(of: ["generateCode", "setupOutputDir"]))
        #expect(try after("setupOutputDir").isEmpty && after("parseSchema").isEmpty)
        // Only direct dependencies: generateBarrels waits for writeFiles, which waits for generateCode.
        #expect(try after("generateBarrels") == ["writeFiles"])
        #expect(try (entry("writeFiles")["reads"] as? [String]) == ["generatedFiles", "transaction"])
        #expect(try (entry("setupOutputDir")["writes"] as? [String])?.contains("transaction") == true)
        #expect(try (entry("generateOpenAPI")["outputs"] as? [String]) == ["openapi.json"])
        let reasons = try #require(try entry("writeFiles")["reasons"] as? [String: [String]])
        #expect(reasons["generateCode"] == ["reads generatedFiles"])
    }

    @Test("phases --graph: for each phase what it waits for and why, and the implied dependencies")
    func graph() throws {
        let r = try CLITests.run(["phases", "--graph"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.components(separatedBy: "\n")
        let writeFiles = try #require(lines.firstIndex(of: "05 writeFiles"))
        #expect(lines[writeFiles + 1].hasPrefix("    after   00 setupOutputDir") && lines[writeFiles + 1].hasSuffix("reads transaction"))
        #expect(lines[writeFiles + 2].hasPrefix("    after   04 generateCode") && lines[writeFiles + 2].hasSuffix("reads generatedFiles"))
        let setup = try #require(lines.firstIndex(of: "00 setupOutputDir"))
        #expect(lines[setup + 1].contains("starts at once"))
        let barrels = try #require(lines.firstIndex(of: "07 generateBarrels"))
        #expect(lines[barrels + 1].contains("after   05 writeFiles") && lines[barrels + 1].contains("both stage src/contracts/**"))
        #expect(lines[(barrels + 2)...].prefix(2).allSatisfy { $0.hasPrefix("    implied ") && $0.hasSuffix("(through 05 writeFiles)") }, "\(r.stdout)")
        for name in ["setupOutputDir", "writeTests"] { #expect(r.stdout.contains(name)) }
    }

    @Test("phases --dot: Graphviz, one node per phase, one labelled edge per direct dependency")
    func dot() throws {
        let r = try CLITests.run(["phases", "--dot"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("digraph"))
        #expect(r.stdout.hasSuffix("}\n"))
        #expect(r.stdout.contains("\"generateCode\" -> \"writeFiles\" [label=\"reads generatedFiles\"];"))
        #expect(r.stdout.contains("\"analyzeRelationships\" -> \"generateOpenAPI\""))
        #expect(!r.stdout.contains("\"generateCode\" -> \"generateBarrels\""))
        let nodes = r.stdout.components(separatedBy: "\n").filter { $0.contains("[label=\"") && !$0.contains("->") }
        #expect(nodes.count == 13)
    }

    @Test("--graph, --json and --dot are one at a time; --jobs below 1 is a usage error (exit 2) for generate and tui")
    func usage() throws {
        #expect(try CLITests.run(["phases", "--graph", "--dot"]).status == 2)
        let shop = GenerateCLITests.shop.path
        for args in [["generate", shop, "--jobs", "0"], ["tui", shop, "--plain", "--jobs", "0"], ["tui", shop, "--jobs", "-3"],
                     ["generate", shop, "--jobs", "two"]] {
            let r = try CLITests.run(args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("--jobs"), "\(args): \(r.stderr)")
        }
    }

    @Test("--jobs N reaches the run: generate and the TUI's plain mode succeed with it")
    func jobs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shop = GenerateCLITests.shop.path
        let one = try CLITests.run(["generate", shop, "--out", dir.appendingPathComponent("a").path, "--jobs", "1", "--json"])
        #expect(one.status == 0, "\(one.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        #expect(report["jobs"] as? Int == 1)
        let plain = try CLITests.run(["tui", shop, "--out", dir.appendingPathComponent("b").path, "--plain", "--jobs", "2"])
        #expect(plain.status == 0, "\(plain.stderr)")
        // One whole line per phase on stderr, whatever order they finish in.
        let phaseLines = plain.stderr.components(separatedBy: "\n").filter { $0.range(of: #"^[✓+–-] \d\d "#, options: .regularExpression) != nil }
        #expect(phaseLines.count == 13, "\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("generated "))
    }
}
