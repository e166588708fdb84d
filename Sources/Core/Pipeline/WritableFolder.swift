import Foundation

/// Whether a run can create files in a folder, found out the way the run would: by creating
/// and removing a probe file (access(2) says yes to root whatever the mode, and a file system
/// may refuse creation whatever the mode says).
enum WritableFolder {
    /// Throws, naming the folder, unless a file can be created in `folder` or, when it does not
    /// exist yet, in the nearest existing folder above it (where it would be created).
    /// `purpose` says what the folder is for.
    static func require(_ folder: URL, purpose: String) throws {
        let fm = FileManager.default
        var dir = folder.standardizedFileURL
        var isDir: ObjCBool = false
        while !fm.fileExists(atPath: dir.path, isDirectory: &isDir) {
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        guard isDir.boolValue else {
            throw PhaseFailure.denied(path: dir.path, message: "not a writable folder: it is a file; \(purpose)")
        }
        let probe = dir.appendingPathComponent(".phaserunner-probe-\(getpid())-\(UUID().uuidString.prefix(8))")
        let fd = open(probe.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            let code = errno
            let message = "folder is not writable (\(String(cString: strerror(code)))); \(purpose)"
            if PhaseFailure.deniedErrnos.contains(code) { throw PhaseFailure.denied(path: dir.path, message: message) }
            throw PhaseFailure.io(path: dir.path, message: message)
        }
        close(fd)
        unlink(probe.path)
    }
}
