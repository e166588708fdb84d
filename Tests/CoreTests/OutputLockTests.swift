import Core
import Foundation
import Testing

/// The output lock inside one process (a TUI re-runs from a phase while something else holds
/// the folder); between processes it is tested in `OutputLockCLITests`.
@Suite("Output lock")
struct OutputLockTests {
    static let shop = EmitterTests.fixtures.appendingPathComponent("shop.prisma")

    @Test("a re-run from a phase takes the lock at commit: while another holder has it the commit is refused and nothing changes; once free it commits")
    func rerunCommitsUnderTheLock() async throws {
        let tmp = TempDir("lock"); defer { tmp.cleanup() }
        let out = tmp.path("out")
        var config = GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path, standalone: false)
        config.cache = .disabled
        let runner = StandardPhases.runner(config: config)
        #expect(await runner.run().status == .succeeded)
        let manifest = out.appendingPathComponent("src/manifests/generation.json")
        let before = try Data(contentsOf: manifest)

        let other = try #require(try OutputLock.tryAcquire(outputDir: out))
        #expect(try OutputLock.tryAcquire(outputDir: out) == nil, "held: a second taker gets nothing")
        let refused = await runner.run(from: 5)
        #expect(refused.status == .failed)
        #expect(refused.finalizeFailure?.description.contains("another phaserunner run (pid \(getpid()), started ") == true,
                "\(String(describing: refused.finalizeFailure))")
        #expect(try Data(contentsOf: manifest) == before)

        other.release()
        #expect(await runner.run(from: 5).status == .succeeded)
        // Released after the commit: anyone may take it now.
        let again = try #require(try OutputLock.tryAcquire(outputDir: out))
        #expect(again.tookOver == nil, "a run that ended normally leaves nothing to take over")
        again.release()
    }
}
