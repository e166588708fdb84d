import Foundation
import Testing
@testable import Core

/// Runs Prisma's own parser/validator test corpus and measures how closely we agree: the
/// schemas accepted and rejected, and for the rejected ones whether our first error is Prisma's
/// (message, line and column), whether we give as many errors, and the same (line, message)
/// pairs; for the schemas Prisma accepts with warnings, the same warnings.
@Suite("PSL conformance corpus")
struct ConformanceTests {
    struct Figures {
        var accepted = 0, shouldAccept = 0
        var rejected = 0, shouldReject = 0
        var firstMessage = 0, firstPosition = 0, firstLine = 0
        var sameCount = 0, sameSet = 0
        var warningFiles = 0, sameWarnings = 0
        var misses: [String] = []
    }

    static func measure() throws -> Figures {
        var figures = Figures()
        for e in try Corpus.expectations() where e.shouldAccept || e.shouldReject {
            let url = Corpus.psl.appendingPathComponent(e.path)
            let resolved = try Corpus.compile(url).resolved()
            let errors = resolved.filter { $0.severity == .error }
            func pairs(_ list: [ResolvedDiagnostic]) -> [String] { list.map { "\($0.line) \($0.message)" }.sorted() }
            func pairs(_ list: [Corpus.Expectation.Diagnostic]) -> [String] { list.map { "\($0.line) \($0.message)" }.sorted() }
            if e.shouldAccept {
                figures.shouldAccept += 1
                if errors.isEmpty { figures.accepted += 1 } else {
                    figures.misses.append("FALSE-REJECT \(e.path): \(errors[0].line):\(errors[0].column) \(errors[0].message.prefix(160))")
                }
                // Only `validation/` checks warnings (upstream's other tests never looked at them).
                if !e.warnings.isEmpty {
                    figures.warningFiles += 1
                    let ours = resolved.filter { $0.severity == .warning }
                    if pairs(ours) == pairs(e.warnings) { figures.sameWarnings += 1 } else {
                        figures.misses.append("WARNINGS \(e.path): \(ours.map { "\($0.line) \($0.message.prefix(80))" }) against \(e.warnings.map { "\($0.line) \($0.message.prefix(80))" })")
                    }
                }
                continue
            }
            figures.shouldReject += 1
            guard let ours = errors.first, let theirs = e.errors.first else {
                figures.misses.append("MISSED \(e.path): \(e.errors.first?.message.prefix(160) ?? "")")
                continue
            }
            figures.rejected += 1
            if ours.message == theirs.message { figures.firstMessage += 1 } else {
                figures.misses.append("MESSAGE \(e.path): \(ours.line):\(ours.column) \(ours.message.prefix(160)) | Prisma \(theirs.line):\(theirs.column) \(theirs.message.prefix(160))")
            }
            if ours.line == theirs.line { figures.firstLine += 1 }
            if (ours.line, ours.column) == (theirs.line, theirs.column) { figures.firstPosition += 1 } else if ours.message == theirs.message {
                figures.misses.append("POSITION \(e.path): \(ours.line):\(ours.column) against \(theirs.line):\(theirs.column)")
            }
            if errors.count == e.errors.count { figures.sameCount += 1 }
            if pairs(errors) == pairs(e.errors) { figures.sameSet += 1 }
        }
        return figures
    }

    @Test("accepts, rejects and locates errors like Prisma")
    func corpusFigures() throws {
        let f = try Self.measure()
        func share(_ n: Int, _ of: Int) -> String { String(format: "%d/%d (%.1f%%)", n, of, Double(n) / Double(max(1, of)) * 100) }
        print("PSL conformance: accepted \(share(f.accepted, f.shouldAccept)), rejected \(share(f.rejected, f.shouldReject)), "
              + "first error's message \(share(f.firstMessage, f.shouldReject)), first error on Prisma's line and column \(share(f.firstPosition, f.shouldReject)) "
              + "(line \(share(f.firstLine, f.shouldReject))), as many errors \(share(f.sameCount, f.shouldReject)), "
              + "the same (line, message) pairs \(share(f.sameSet, f.shouldReject)), the same warnings \(share(f.sameWarnings, f.warningFiles))")
        if let out = ProcessInfo.processInfo.environment["CONFORMANCE_REPORT"] {
            try f.misses.joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
        #expect(f.shouldAccept == 182)
        #expect(f.shouldReject == 501)
        #expect(f.warningFiles == 21)
        // Issue 15's targets: every valid schema accepted, 496 rejected, Prisma's first message
        // and its line and column for 476, the same warnings for all 21. The floors above them
        // are what is reached now, so nothing slips back.
        #expect(f.accepted == f.shouldAccept, "every schema Prisma accepts is accepted")
        #expect(f.rejected >= 499, "rejected \(f.rejected) of \(f.shouldReject) (target 496)")
        #expect(f.firstMessage >= 482, "first error's message as Prisma's in \(f.firstMessage) (target 476)")
        #expect(f.firstPosition >= 482, "first error at Prisma's line and column in \(f.firstPosition) (target 476)")
        #expect(f.sameCount >= 430, "as many errors as Prisma in \(f.sameCount)")
        #expect(f.sameSet >= 421, "the same (line, message) pairs in \(f.sameSet)")
        #expect(f.sameWarnings == f.warningFiles, "the same warnings in \(f.sameWarnings) of \(f.warningFiles)")
    }
}
