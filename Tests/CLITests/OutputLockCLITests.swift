import Foundation
import Testing

/// Runs that meet at one output folder: the lock beside it (`.<out>.phaserunner.lock`), held by
/// real processes. Nothing waits for a time: waits are for states (a process holding the lock
/// file open, a process ending), bounded only as hang guards.
@Suite("output lock", .serialized)
struct OutputLockCLITests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lock-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Holds the lock of `out` the way a run does (flock on the lock file, holder JSON in it).
    final class Holder {
        let fd: Int32
        init(out: URL, pid: Int32 = getpid()) throws {
            let url = out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).phaserunner.lock")
            fd = open(url.path, O_RDWR | O_CREAT, 0o644)
            try #require(fd >= 0)
            try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
            let json = #"{"pid":\#(pid),"started":0,"command":"the test"}"#
            _ = ftruncate(fd, 0)
            _ = json.withCString { pwrite(fd, $0, strlen($0), 0) }
        }
        func release() { _ = flock(fd, LOCK_UN); close(fd) }
    }

    static func lockPath(_ out: URL) -> String {
        out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).phaserunner.lock").path
    }

    /// Every file the manifest lists exists, and nothing else but the manifest is there.
    func expectWhole(_ out: URL) throws {
        let manifest = try String(contentsOf: out.appendingPathComponent("src/manifests/generation.json"), encoding: .utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(!files.isEmpty)
        for f in files { #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "\(f) missing") }
        #expect(!FileManager.default.fileExists(atPath: out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).phaserunner").path),
                "no work folder left behind")
    }

    @Test("a run into a folder another run is writing to fails at setupOutputDir, naming that run; the folder is unchanged; exit 1")
    func heldFails() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let schema = CLITests.real.appendingPathComponent("lukevella__rallly.prisma")
        let out = dir.appendingPathComponent("out")
        #expect(try CLITests.run(["generate", schema.path, "--out", out.path, "--no-standalone"]).status == 0)
        let before = try String(contentsOf: out.appendingPathComponent("src/manifests/generation.json"), encoding: .utf8)
        let holder = try Holder(out: out)
        let r = try CLITests.run(["generate", schema.path, "--out", out.path, "--no-standalone", "--no-cache"])
        holder.release()
        #expect(r.status == 1)
        #expect(r.stderr.contains("setupOutputDir"), "\(r.stderr)")
        #expect(r.stderr.contains("another phaserunner run (pid \(getpid()), started ") && r.stderr.contains("is writing to \(out.path)"), "\(r.stderr)")
        #expect(r.stderr.contains("--wait"))
        #expect(try String(contentsOf: out.appendingPathComponent("src/manifests/generation.json"), encoding: .utf8) == before)
    }

    @Test("--wait: a run waits for the holder to let go, then generates")
    func waits() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let schema = CLITests.real.appendingPathComponent("lukevella__rallly.prisma")
        let out = dir.appendingPathComponent("out")
        let holder = try Holder(out: out)
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = ["generate", schema.path, "--out", out.path, "--no-standalone", "--wait", "600"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Release only once the run is waiting on the lock: it has the lock file open.
        let lock = Self.lockPath(out)
        let deadline = Date().addingTimeInterval(300)
        func holdsOpen() -> Bool {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(p.processIdentifier)/fd")) ?? []
            return fds.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(p.processIdentifier)/fd/\($0)")) == lock }
        }
        while p.isRunning, !holdsOpen(), Date() < deadline { usleep(2000) }
        #expect(p.isRunning, "the run waits while the lock is held")
        holder.release()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        try expectWhole(out)
    }

    @Test("a lock left by a run that died is taken over, with a warning")
    func staleTakenOver() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let schema = CLITests.real.appendingPathComponent("lukevella__rallly.prisma")
        let out = dir.appendingPathComponent("out")
        // A process that has exited: its pid is written in the file, but it holds nothing.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        try #"{"pid":\#(dead.processIdentifier),"started":0,"command":"phaserunner generate"}"#.write(toFile: Self.lockPath(out), atomically: true, encoding: .utf8)
        let r = try CLITests.run(["generate", schema.path, "--out", out.path, "--no-standalone"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("took over the lock of an earlier run (pid \(dead.processIdentifier), started "), "\(r.stderr)")
        // Released: the file is empty, and the next run has nothing to take over.
        #expect((try? String(contentsOfFile: Self.lockPath(out), encoding: .utf8)) == "")
        let again = try CLITests.run(["generate", schema.path, "--out", out.path, "--no-standalone"])
        #expect(again.status == 0 && !again.stderr.contains("took over"))
    }

    @Test("three runs at once into one folder: each succeeds or fails cleanly naming the other run; with --wait all succeed; the output is always whole")
    func threeAtOnce() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let schema = dir.appendingPathComponent("schema.prisma")
        try CLITests.largeSchema(models: 150).write(to: schema, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        for wait in ["0", "600"] {
            let results = try (0..<3).map { i -> (Process, URL) in
                let err = dir.appendingPathComponent("err-\(wait)-\(i)")
                FileManager.default.createFile(atPath: err.path, contents: nil)
                let p = Process()
                p.executableURL = CLITests.binary
                p.arguments = ["generate", schema.path, "--out", out.path, "--wait", wait, "--cache-dir", dir.appendingPathComponent("cache-\(i)").path]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = try FileHandle(forWritingTo: err)
                try p.run()
                return (p, err)
            }
            var succeeded = 0
            for (p, err) in results {
                p.waitUntilExit()
                let text = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
                if p.terminationStatus == 0 {
                    succeeded += 1
                } else {
                    #expect(wait == "0", "with --wait every run succeeds: \(text)")
                    #expect(p.terminationStatus == 1)
                    #expect(text.contains("another phaserunner run (pid ") && text.contains("is writing to \(out.path)"), "\(text)")
                    #expect(!text.contains("commit failed"), "\(text)")
                }
            }
            #expect(succeeded >= 1)
            try expectWhole(out)
        }
    }
}
