import Foundation
import Testing

/// Faults of the file system around a run, with the real binary: each fails with one clear
/// line naming the phase (or the commit) and the path, and leaves the output as it was — and
/// never touches what the user put there, nor anything outside the output folder.
@Suite("file-system faults", .serialized)
struct FaultCLITests {
    static let schema = CLITests.real.appendingPathComponent("lukevella__rallly.prisma")

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fault-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        return dir
    }

    func generate(_ out: URL, _ extra: [String] = []) throws -> CLITests.Output {
        try CLITests.run(["generate", Self.schema.path, "--out", out.path, "--no-standalone"] + extra)
    }

    /// Every file and folder under `dir` (symbolic links not followed), with file bytes.
    func snapshot(_ dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(atPath: dir.path) else { return out }
        while let rel = e.nextObject() as? String {
            let path = dir.path + "/" + rel
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFREG: out[rel] = FileManager.default.contents(atPath: path) ?? Data()
            case S_IFLNK: out[rel] = Data(("-> " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")).utf8)
            default: out[rel + "/"] = Data()
            }
        }
        return out
    }

    /// Runs the binary as `nobody` when we are root (modes do not stop root).
    func runUnprivileged(_ args: [String]) throws -> CLITests.Output {
        guard getuid() == 0 else { return try CLITests.run(args) }
        let setpriv = "/usr/bin/setpriv"
        try #require(FileManager.default.isExecutableFile(atPath: setpriv), "root needs setpriv to run the binary unprivileged")
        return try CLITests.run(["--reuid=65534", "--regid=65534", "--clear-groups", CLITests.binary.path] + args, executable: URL(fileURLWithPath: setpriv))
    }

    /// Mounts a tmpfs of `megabytes` at `dir` (nil where mounting is not permitted).
    func mountTmpfs(_ dir: URL, megabytes: Int, readOnly: Bool = false) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0755\(readOnly ? ",ro" : "")", "tmpfs", dir.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    func unmount(_ dir: URL) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/umount")
        p.arguments = [dir.path]
        try? p.run()
        p.waitUntilExit()
    }

    @Test("an output folder that cannot be written (mode 0555, an unprivileged user) fails at setupOutputDir naming it")
    func readOnlyOutput() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        // Its parent is writable for everyone: only the output folder itself refuses.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir.path)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out.path) }
        let r = try runUnprivileged(["generate", Self.schema.path, "--out", out.path, "--no-standalone", "--no-cache"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("failed at phase 00 setupOutputDir: \(out.path): folder is not writable"), "\(r.stdout)\(r.stderr)")
        #expect(snapshot(out).isEmpty)
    }

    @Test("an output folder on a read-only file system fails at setupOutputDir naming it (a read-only tmpfs; skipped where mounting is not permitted)")
    func readOnlyFileSystem() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let mount = dir.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        guard mountTmpfs(mount, megabytes: 1, readOnly: true) else {
            print("notice: read-only file system test skipped: mounting a tmpfs is not permitted here")
            return
        }
        defer { unmount(mount) }
        let r = try generate(mount.appendingPathComponent("out"), ["--no-cache"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("failed at phase 00 setupOutputDir: \(mount.path): folder is not writable"), "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("Read-only file system"), "\(r.stdout)")
    }

    @Test("a generated file replaced by a folder, and a generated folder replaced by a file: the commit is refused naming the path; the user's things stay; nothing changes")
    func swaps() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        #expect(try generate(out).status == 0)

        // openapi.json is now a folder with the user's file in it.
        try FileManager.default.removeItem(at: out.appendingPathComponent("openapi.json"))
        try FileManager.default.createDirectory(at: out.appendingPathComponent("openapi.json"), withIntermediateDirectories: true)
        try "mine".write(to: out.appendingPathComponent("openapi.json/notes.txt"), atomically: true, encoding: .utf8)
        var before = snapshot(out)
        var r = try generate(out)
        #expect(r.status == 1)
        #expect(r.stdout.contains("failed while committing: \(out.path)/openapi.json is a folder, where phaserunner writes a file; move it away and run again (nothing was changed)"), "\(r.stdout)")
        #expect(snapshot(out) == before)
        try FileManager.default.removeItem(at: out.appendingPathComponent("openapi.json"))
        #expect(try generate(out).status == 0)

        // src/base is now a file of the user's.
        try FileManager.default.removeItem(at: out.appendingPathComponent("src/base"))
        try "mine".write(to: out.appendingPathComponent("src/base"), atomically: true, encoding: .utf8)
        before = snapshot(out)
        r = try generate(out)
        #expect(r.status == 1)
        #expect(r.stdout.contains("failed while committing: \(out.path)/src/base is a file, where phaserunner needs a folder (for src/base/"), "\(r.stdout)")
        #expect(snapshot(out) == before)
    }

    @Test("symbolic links in the output: never written or deleted through; a link at a file's own path is replaced, not what it points to")
    func symlinks() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let outside = dir.appendingPathComponent("outside")
        #expect(try generate(out).status == 0)

        // A generated folder replaced by a link to a folder outside, with different contents.
        try FileManager.default.moveItem(at: out.appendingPathComponent("src/base"), to: outside)
        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: outside.path).sorted().first)
        try "changed outside".write(to: outside.appendingPathComponent(first), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("src/base"), withDestinationURL: outside)
        let outsideBefore = snapshot(outside), before = snapshot(out)
        let r = try generate(out)
        #expect(r.status == 1)
        #expect(r.stdout.contains("\(out.path)/src/base is a symbolic link, and phaserunner never writes through one"), "\(r.stdout)")
        #expect(snapshot(outside) == outsideBefore && snapshot(out) == before)
        try FileManager.default.removeItem(at: out.appendingPathComponent("src/base"))
        try FileManager.default.moveItem(at: outside, to: out.appendingPathComponent("src/base"))
        #expect(try generate(out).status == 0)

        // A generated file replaced by a link to a file outside: the link is replaced, the file it pointed to is not touched.
        let target = dir.appendingPathComponent("precious.json")
        try "precious".write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: out.appendingPathComponent("openapi.json"))
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("openapi.json"), withDestinationURL: target)
        #expect(try generate(out).status == 0)
        #expect(try String(contentsOf: target, encoding: .utf8) == "precious")
        var st = stat()
        #expect(lstat(out.appendingPathComponent("openapi.json").path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG)
    }

    @Test("an output folder that is a symbolic link to an empty folder stays a link; the generation goes into its target")
    func linkedOutput() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("real-out"), out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: out, withDestinationURL: target)
        let r = try generate(out)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        var st = stat()
        #expect(lstat(out.path, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK, "still a symbolic link")
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("openapi.json").path))
        #expect(try generate(out).status == 0, "a second run through the link")
    }

    @Test("the schema deleted (a dangling link) or unreadable (mode 000, an unprivileged user) when parseSchema reads it: a failure naming the phase and the file")
    func schemaGone() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("schema.prisma")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: dir.appendingPathComponent("deleted.prisma"))
        let out = dir.appendingPathComponent("out")
        var r = try CLITests.run(["generate", link.path, "--out", out.path, "--no-cache"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("failed at phase 01 parseSchema: \(link.path): schema not found"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let locked = dir.appendingPathComponent("locked.prisma")
        try FileManager.default.copyItem(at: Self.schema, to: locked)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
        r = try runUnprivileged(["generate", locked.path, "--out", out.path, "--no-cache"])
        // nobody cannot write into the temp folder either: whichever comes first names its path.
        #expect(r.status == 1)
        #expect(r.stdout.contains("failed at phase"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir.path)
        r = try runUnprivileged(["generate", locked.path, "--out", out.path, "--no-cache"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("failed at phase 01 parseSchema: \(locked.path): cannot read"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("the file system fills up between staging and the commit (a small tmpfs filled by a plugin): the commit fails naming the folder and the cause; the output is unchanged; skipped where mounting is not permitted")
    func fullAtCommit() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let mount = dir.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        guard mountTmpfs(mount, megabytes: 16) else {
            print("notice: full file system test skipped: mounting a tmpfs is not permitted here")
            return
        }
        defer { unmount(mount) }
        let out = mount.appendingPathComponent("out")
        #expect(try generate(out, ["--no-cache"]).status == 0)
        let before = snapshot(out)

        // A plugin, the last phase, fills the file system the output is on, then answers.
        let plugin = dir.appendingPathComponent("fill.py")
        try """
        import json, os, sys
        def send(m):
            sys.stdout.write(json.dumps(m) + "\\n"); sys.stdout.flush()
        for line in sys.stdin:
            req = json.loads(line)
            if req["method"] == "describe":
                send({"jsonrpc": "2.0", "id": req["id"], "result": {"name": "fill", "order": 13, "description": "fills the disk"}})
            elif req["method"] == "execute":
                out = req["params"]["config"]["outputDir"]
                with open(os.path.join(os.path.dirname(out), "filler"), "wb") as f:
                    try:
                        while True:
                            f.write(b"x" * 65536); f.flush()
                    except OSError:
                        pass
                send({"jsonrpc": "2.0", "id": req["id"], "result": {"files": []}})
        """.write(to: plugin, atomically: true, encoding: .utf8)
        let r = try generate(out, ["--no-cache", "--name", "changed", "--plugin", "python3 '\(plugin.path)'"])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("failed while committing: \(mount.path)/"), "the message names the path: \(r.stdout)")
        #expect(r.stdout.contains("enough space") || r.stdout.contains("No space left on device"), "\(r.stdout)\n\(r.stderr)")
        #expect(snapshot(out) == before)
        #expect(!FileManager.default.fileExists(atPath: mount.appendingPathComponent(".out.phaserunner").path), "no work folder left behind")

        try FileManager.default.removeItem(at: mount.appendingPathComponent("filler"))
        #expect(try generate(out, ["--no-cache"]).status == 0)
    }
}
