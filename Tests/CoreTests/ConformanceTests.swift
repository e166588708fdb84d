import Foundation
import Testing
@testable import Core

/// Runs Prisma's own parser/validator test corpus and measures how closely we agree.
@Suite("PSL conformance corpus")
struct ConformanceTests {
    struct Figures {
        var accepted = 0, shouldAccept = 0
        var rejected = 0, shouldReject = 0
        var lineMatched = 0
        var misses: [String] = []
    }

    static func measure() throws -> Figures {
        var figures = Figures()
        for e in try Corpus.expectations() where e.shouldAccept || e.shouldReject {
            let url = Corpus.psl.appendingPathComponent(e.path)
            let compiled = try Corpus.compile(url)
            let errors = compiled.resolved().filter { $0.severity == .error }
            if e.shouldAccept {
                figures.shouldAccept += 1
                if errors.isEmpty { figures.accepted += 1 } else {
                    figures.misses.append("FALSE-REJECT \(e.path): \(errors[0].line):\(errors[0].column) \(errors[0].message.prefix(160))")
                }
            } else {
                figures.shouldReject += 1
                if !errors.isEmpty { figures.rejected += 1 } else {
                    figures.misses.append("MISSED \(e.path)")
                }
                if let line = e.firstErrorLine, errors.contains(where: { $0.line == line }) {
                    figures.lineMatched += 1
                } else if !errors.isEmpty {
                    figures.misses.append("WRONG-LINE \(e.path): expected \(e.firstErrorLine ?? 0), got \(errors.map { String($0.line) }.joined(separator: ","))")
                }
            }
        }
        return figures
    }

    @Test("accepts, rejects and locates errors like Prisma")
    func corpusFigures() throws {
        let f = try Self.measure()
        let accept = Double(f.accepted) / Double(max(1, f.shouldAccept)) * 100
        let reject = Double(f.rejected) / Double(max(1, f.shouldReject)) * 100
        let line = Double(f.lineMatched) / Double(max(1, f.shouldReject)) * 100
        print(String(format: "PSL conformance: accepted %d/%d (%.1f%%), rejected %d/%d (%.1f%%), first-error line %d/%d (%.1f%%)",
                     f.accepted, f.shouldAccept, accept, f.rejected, f.shouldReject, reject, f.lineMatched, f.shouldReject, line))
        if let out = ProcessInfo.processInfo.environment["CONFORMANCE_REPORT"] {
            try f.misses.joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
        #expect(f.shouldAccept == 182)
        #expect(f.shouldReject == 501)
        #expect(accept >= 98.0, "accepted \(accept)% of valid files; goal 98%")
        #expect(reject >= 85.0, "rejected \(reject)% of invalid files; goal 85%")
        #expect(line >= 80.0, "first-error line found in \(line)% of invalid files; goal 80%")
    }
}
