import Foundation
import Testing
@testable import Core

/// setupOutputDir refuses a place it cannot write to, naming the folder; the file system's
/// refusals (permissions, read-only) are never retried.
@Suite("Output folder access", .serialized)
struct OutputFolderTests {
    static let shop = PipelineTests.shop

    @Test("an output whose parent is a file fails at setupOutputDir, naming that file")
    func parentIsAFile() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        try tmp.write("plain-file", "not a folder\n")
        let out = tmp.path("plain-file/out")
        let report = await PipelineTests.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path))
        let failed = try #require(report.failedPhase)
        #expect(failed.phase.name == "setupOutputDir")
        #expect(failed.attempts == 1)
        let message = failed.failure?.description ?? ""
        #expect(message.hasPrefix(tmp.path("plain-file").standardizedFileURL.path + ": not a writable folder"), "\(message)")
        #expect(failed.failure?.isRecoverable == false)
        #expect(try String(contentsOf: tmp.path("plain-file"), encoding: .utf8) == "not a folder\n")
    }

    @Test("a folder the file system refuses to create files in (/sys, even for root) fails at setupOutputDir, once")
    func refusedFolder() async throws {
        // sysfs refuses new files with EACCES whatever the caller's privileges.
        #expect(open("/sys/phaserunner-probe", O_WRONLY | O_CREAT | O_EXCL, 0o600) == -1)
        let report = await PipelineTests.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: "/sys/phaserunner-out"))
        let failed = try #require(report.failedPhase)
        #expect(failed.phase.name == "setupOutputDir")
        // setupOutputDir may retry transient failures; a refusal is not one.
        #expect(failed.phase.recovery == .retry(attempts: 2))
        #expect(failed.attempts == 1)
        guard case .denied(let path, let message)? = failed.failure else {
            Issue.record("not a .denied failure: \(String(describing: failed.failure))")
            return
        }
        #expect(path == "/sys")
        #expect(message.contains("not writable") && message.contains("phaserunner-out"))
    }

    @Test("permission and read-only errors are not recoverable; other I/O errors are")
    func classification() throws {
        for error in [POSIXError(.EACCES), POSIXError(.EPERM), POSIXError(.EROFS)] as [any Error] {
            #expect(PhaseFailure.wrap(error).isRecoverable == false, "\(error)")
        }
        #expect(PhaseFailure.wrap(CocoaError(.fileWriteNoPermission)).isRecoverable == false)
        #expect(PhaseFailure.wrap(CocoaError(.fileWriteVolumeReadOnly)).isRecoverable == false)
        #expect(PhaseFailure.wrap(NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))).isRecoverable == false)
        #expect(PhaseFailure.fileSystem(path: "x", POSIXError(.EACCES)) == .denied(path: "x", message: POSIXError(.EACCES).localizedDescription))
        // A real one: Foundation's error for a refused write.
        let real = try #require(Self.refusedWriteError())
        #expect(PhaseFailure.wrap(real).isRecoverable == false, "\(real)")
        #expect(PhaseFailure.fileSystem(path: "/sys/x", real).isRecoverable == false)
        // Transient ones still are.
        #expect(PhaseFailure.wrap(POSIXError(.EIO)).isRecoverable)
        #expect(PhaseFailure.fileSystem(path: "x", POSIXError(.ENOSPC)).isRecoverable)
    }

    static func refusedWriteError() -> (any Error)? {
        do {
            try Data("x".utf8).write(to: URL(fileURLWithPath: "/sys/phaserunner-probe"))
            return nil
        } catch {
            return error
        }
    }

    final class Attempts: @unchecked Sendable {
        private var n = 0
        private let lock = NSLock()
        func next() -> Int { lock.withLock { n += 1; return n } }
    }

    struct WritingPhase: GenerationPhase {
        let name = "writeSomewhere"
        let order = 13
        let description = "writes a file where it is told"
        var recovery: PhaseRecovery { .retry(attempts: 3) }
        let target: URL
        let attempts: Attempts
        func execute(_ context: PhaseContext) async throws -> PhaseResult {
            _ = attempts.next()
            try Data("x".utf8).write(to: target)
            return .empty
        }
    }

    @Test("the runner retries a transient failure but not a refused write")
    func noRetryOfRefusal() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let refused = Attempts()
        let report = await PipelineTests.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path, standalone: false),
                                             extra: [WritingPhase(target: URL(fileURLWithPath: "/sys/phaserunner-probe"), attempts: refused)])
        #expect(report.failedPhase?.phase.name == "writeSomewhere")
        #expect(report.failedPhase?.attempts == 1)
        #expect(refused.next() == 2)
        // A missing folder is retried (it might appear): three attempts.
        let missing = Attempts()
        let retried = await PipelineTests.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out2").path, standalone: false),
                                              extra: [WritingPhase(target: tmp.path("no/such/folder/file"), attempts: missing)])
        #expect(retried.failedPhase?.attempts == 3)
    }
}
