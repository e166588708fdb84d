import CNCurses
import Core
import Foundation

/// Wires the core's runner to the UI: hook events become actions on a queue, one UI
/// thread owns the terminal, drains the queue, reduces, renders and performs effects.
public final class TUIApp: @unchecked Sendable {
    public struct Options: Sendable {
        public var schemaPath: String
        public var outputDir: String
        public var standalone: Bool
        /// Write into a non-empty folder that has no manifest (`--force`).
        public var force: Bool
        /// The generated project's name (`--name`); nil: derived as `generate` does.
        public var projectName: String?
        /// How many independent phases may run at once (`--jobs`); nil: the number of cores.
        public var jobs: Int?
        /// Where the phase cache lives (`--cache-dir`, `--no-cache`).
        public var cache: CacheSetting
        /// Phases run besides the standard ones (plugins).
        public var extraPhases: [any GenerationPhase] = []
        /// How long a run waits for another run that is writing to the output folder (`--wait`).
        public var lockWait: Duration = .zero
        public init(schemaPath: String, outputDir: String, standalone: Bool, force: Bool = false, projectName: String? = nil,
                    jobs: Int? = nil, cache: CacheSetting = .besideOutput) {
            self.schemaPath = schemaPath
            self.outputDir = outputDir
            self.standalone = standalone
            self.force = force
            self.projectName = projectName
            self.jobs = jobs
            self.cache = cache
        }

        /// The configuration the first run uses (the toggles change it later).
        public var generatorConfig: GeneratorConfig {
            var config = GeneratorConfig(schemaPath: schemaPath, outputDir: outputDir, standalone: standalone, force: force, projectName: projectName)
            config.jobs = jobs
            config.cache = cache
            config.lockWait = lockWait
            return config
        }
    }

    /// Whether the interactive UI can run here (else: plain line output).
    public static func canRunInteractive(plainRequested: Bool) -> Bool {
        let env = ProcessInfo.processInfo.environment
        if plainRequested || env["CI"].map({ !$0.isEmpty }) == true { return false }
        let term = env["TERM"] ?? ""
        if term.isEmpty || term == "dumb" { return false }
        return isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    let options: Options
    let runner: PhaseRunner
    let queue = ActionQueue()
    private var runTask: Task<RunReport, Never>?
    private var previousHashes: [String: String]
    /// The hashes of the generation before the one on screen (what a changed file is diffed against).
    private var priorHashes: [String: String] = [:]
    private let lock = NSLock()

    public init(options: Options) {
        self.options = options
        runner = StandardPhases.runner(config: options.generatorConfig)
        runner.register(contentsOf: options.extraPhases)
        previousHashes = Self.manifestHashes(outputDir: options.outputDir)
        let queue = self.queue
        runner.addObserver(ClosureObserver { event in queue.post(.run(event)) })
    }

    /// Runs the UI until the user quits. Returns the process exit status
    /// (0 when the last run succeeded, 1 when it failed). Returns nil when the
    /// terminal could not be initialised (the caller falls back to plain output).
    public func run() -> Int32? {
        setlocale(LC_ALL, "")
        let unicode = nc_locale_is_utf8() == 1
        let env = ProcessInfo.processInfo.environment
        let color = env["NO_COLOR"].map { $0.isEmpty } ?? true
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        // One thread owns the terminal for the whole session; ncurses is never touched elsewhere.
        let thread = Thread { [self] in
            defer { done.signal() }
            let session = TerminalSession(color: color)
            guard session.start() else { return }
            let end = loop(session, unicode: unicode, color: color)
            session.stop()
            switch end {
            case .finished(let report):
                outcome.status = report.map { $0.status == .succeeded ? 0 : 1 } ?? 0
                if let report, report.status != .succeeded { Self.printFailure(report) }
            case .abandoned:
                outcome.status = 1
                FileHandle.standardError.write(Data("quit while a run was still stopping; its output was not committed (the next run cleans up)\n".utf8))
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
        done.wait()
        return outcome.status
    }

    private final class Outcome: @unchecked Sendable {
        var status: Int32?
    }

    /// How the UI loop ended: with the last run's report, or quitting before a cancelled run stopped.
    enum LoopEnd {
        case finished(RunReport?)
        case abandoned
    }

    private func loop(_ session: TerminalSession, unicode: Bool, color: Bool) -> LoopEnd {
        let clock = ContinuousClock()
        let size = session.size
        var state = AppState(width: size.width, height: size.height, schemaPath: options.schemaPath, outputDir: options.outputDir,
                             standalone: options.standalone, phases: runner.orderedPhases.map { PhaseRunner.info($0) },
                             now: clock.now, glyphs: unicode ? .unicode : .ascii, color: color)
        state.debugCrash = ProcessInfo.processInfo.environment["PHASERUNNER_DEBUG_CRASH"].flatMap(DebugCrash.init(rawValue:))
        var effects: [Effect] = [.loadSchema, .scanOutput, .startRun(fromOrder: nil)]
        queue.post(.planPreviewed(runner.preview(runner.config)))
        var dirty = true
        var lastWatch = clock.now
        var schemaStamp = Self.modificationStamp(options.schemaPath)
        var quitting = false
        var quitAskedAt: ContinuousClock.Instant?
        while !quitting {
            var actions: [Action] = []
            if let input = session.read() {
                switch input {
                case .key(let k): actions.append(.key(k))
                case .mouse(let m): actions.append(.mouse(m))
                case .resize:
                    session.resized()
                    let s = session.size
                    actions.append(.resize(width: s.width, height: s.height))
                }
            }
            actions += queue.drain()
            if nc_termination_requested() != 0 { actions.append(.terminate) }
            let now = clock.now
            // One stat (a few for a folder) every 100 ms: with the phase cache a re-run takes
            // about as long as this wait, so a shorter one is what makes a save feel instant.
            if lastWatch.duration(to: now) > .milliseconds(100) {
                lastWatch = now
                let stamp = Self.modificationStamp(options.schemaPath)
                if stamp != schemaStamp {
                    schemaStamp = stamp
                    actions.append(.schemaFileChanged)
                }
            }
            for a in actions {
                effects += Reducer.reduce(&state, a)
                dirty = true
            }
            _ = Reducer.reduce(&state, .tick(now))
            if state.run.isRunning { dirty = true }
            // A cancelled run stops after its current phase; do not wait for ever.
            if state.quitting {
                if quitAskedAt == nil { quitAskedAt = now }
                if let asked = quitAskedAt, asked.duration(to: now) > .seconds(30) { effects.append(.quit) }
            }
            for effect in effects {
                if case .quit = effect { quitting = true }
                perform(effect, session: session)
            }
            effects.removeAll()
            if dirty && !quitting {
                session.present(Screen.render(state))
                dirty = false
            }
        }
        // Let a cancelled run roll back before leaving.
        if let task = lock.withLock({ runTask }) {
            task.cancel()
            let sem = DispatchSemaphore(value: 0)
            Task { _ = await task.value; sem.signal() }
            _ = sem.wait(timeout: .now() + 5)
        }
        return state.run.isRunning ? .abandoned : .finished(state.lastReport)
    }

    private func perform(_ effect: Effect, session: TerminalSession) {
        switch effect {
        case .quit:
            break
        case .startRun(let from):
            let runner = self.runner
            let task = Task {
                if let from { return await runner.run(from: from) }
                return await runner.run()
            }
            lock.withLock { runTask = task }
        case .cancelRun:
            lock.withLock { runTask }?.cancel()
        case .openEditor(let path, let line):
            let editor = ProcessInfo.processInfo.environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
            let quoted = "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
            let status = session.runInteractive("\(editor) +\(line) \(quoted)")
            queue.post(.editorClosed(failure: Self.editorFailure(status: status, editor: editor)))
        case .loadPreview(let path):
            let url = URL(fileURLWithPath: options.outputDir).appendingPathComponent(path)
            let text: String
            var whole = false
            if let data = FileManager.default.contents(atPath: url.path) {
                text = String(decoding: data.prefix(512 * 1024), as: UTF8.self)
                whole = data.count <= 512 * 1024
            } else {
                text = "(cannot read \(url.path))"
            }
            queue.post(.previewLoaded(path: path, text: text))
            // A file that changed since the previous generation: its diff against it, from the
            // phase cache's copy of the old bytes (named by their sha256, as the manifest was).
            let (prior, current) = lock.withLock { (priorHashes[path], previousHashes[path]) }
            if let prior, let current, prior != current {
                let queue = self.queue, cache = options.cache.directory(outputDir: options.outputDir), whole = whole
                DispatchQueue.global().async {
                    let diff = whole ? Self.diff(path: path, text: text, previousSha: prior, cache: cache)
                        : .unavailable("too large to diff (the preview shows its first 512 KB)")
                    queue.post(.diffLoaded(path: path, diff: diff))
                }
            }
        case .scanOutput:
            let current = Self.manifestEntries(outputDir: options.outputDir)
            let previous = lock.withLock { () -> [String: String] in
                priorHashes = previousHashes
                return previousHashes
            }
            let files = current.map { e in
                FileEntry(path: e.path, bytes: e.bytes, change: previous[e.path] == nil ? .new : previous[e.path] == e.sha ? .same : .changed, model: e.model, kind: e.kind)
            }
            lock.withLock { previousHashes = Dictionary(current.map { ($0.path, $0.sha) }, uniquingKeysWith: { a, _ in a }) }
            queue.post(.outputScanned(files))
        case .loadSchema:
            let path = options.schemaPath
            let queue = self.queue
            DispatchQueue.global().async {
                let model: SchemaModel?
                if let sources = try? SchemaLoader.load(path: path) {
                    let compiled = CompiledSchema(sources: sources)
                    model = compiled.hasErrors ? nil : compiled.model
                } else {
                    model = nil
                }
                queue.post(.schemaLoaded(model))
            }
        case .crash(.segv):
            // A real invalid memory access (not a raised signal): what a bug would do.
            UnsafeMutablePointer<Int>(bitPattern: 8)?.pointee = 1
        case .crash(.abort):
            abort()
        case .updateConfig(let standalone, let disabled, let enabled):
            runner.updateConfig { c in
                c.standalone = standalone
                c.disabledPhases = disabled
                c.enabledPhases = enabled
            }
            queue.post(.planPreviewed(runner.preview(runner.config)))
        }
    }

    /// Why an editor run should not re-run the phases: it could not be started (the shell's
    /// 126/127), or it exited with an error (e.g. vim's `:cq`). Nil when it exited 0.
    static func editorFailure(status: Int32, editor: String) -> String? {
        if status == -1 { return "could not start the editor ($EDITOR=\(editor)): not re-running" }
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        if exited && (code == 126 || code == 127) {
            return "could not start the editor ($EDITOR=\(editor)): not found or not executable; set EDITOR and press e again"
        }
        if !exited || code != 0 { return "the editor ($EDITOR=\(editor)) exited with status \(exited ? code : status): not re-running" }
        return nil
    }

    struct ManifestEntry {
        let path: String
        let sha: String
        let bytes: Int
        var model: String? = nil
        var kind: GeneratedFile.Kind? = nil
    }

    static func manifestEntries(outputDir: String) -> [ManifestEntry] {
        let url = URL(fileURLWithPath: outputDir).appendingPathComponent(ManifestEmitter.path)
        guard let data = FileManager.default.contents(atPath: url.path),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = obj["files"] as? [[String: Any]] else { return [] }
        var out = files.compactMap { f -> ManifestEntry? in
            guard let p = f["path"] as? String, let sha = f["sha256"] as? String else { return nil }
            return ManifestEntry(path: p, sha: sha, bytes: f["bytes"] as? Int ?? 0, model: f["model"] as? String,
                                 kind: (f["kind"] as? String).flatMap(GeneratedFile.Kind.init(rawValue:)))
        }
        let manifestBytes = data.count
        out.append(ManifestEntry(path: ManifestEmitter.path, sha: ManifestEmitter.sha256(String(decoding: data, as: UTF8.self)), bytes: manifestBytes))
        return out
    }

    /// `text` against the bytes `previousSha` names in the cache.
    static func diff(path: String, text: String, previousSha: String, cache: URL?) -> PreviewDiff {
        guard let cache else { return .unavailable("the phase cache is off: the previous generation's files are not kept") }
        guard let data = CacheStore(directory: cache).contents(sha256: previousSha) else {
            return .unavailable("the previous version is no longer in the phase cache")
        }
        func lines(_ s: String) -> [String] { s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        guard let diff = UnifiedDiff.lines(old: lines(String(decoding: data, as: UTF8.self)), new: lines(text)) else {
            return .unavailable("too long to diff (more than \(UnifiedDiff.maximumLines) lines)")
        }
        return .lines(diff)
    }

    static func manifestHashes(outputDir: String) -> [String: String] {
        Dictionary(manifestEntries(outputDir: outputDir).map { ($0.path, $0.sha) }, uniquingKeysWith: { a, _ in a })
    }

    /// The newest modification date among the schema's files (a file or a folder).
    static func modificationStamp(_ path: String) -> Date? {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
        if !isDir.boolValue { return (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        var newest: Date?
        for case let rel as String in fm.enumerator(atPath: path) ?? FileManager.default.enumerator(atPath: "/dev/null")! where rel.hasSuffix(".prisma") {
            if let d = (try? fm.attributesOfItem(atPath: path + "/" + rel))?[.modificationDate] as? Date, newest.map({ d > $0 }) ?? true { newest = d }
        }
        return newest
    }

    /// After leaving the TUI: the failed run's error on the normal screen.
    static func printFailure(_ report: RunReport) {
        var text = (report.status == .cancelled ? "run cancelled; the output folder was not changed" : PlainReporter.summary(report)) + "\n"
        if let f = report.failedPhase?.failure ?? report.finalizeFailure {
            for d in f.diagnostics { text += d.rendered() }
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension TUIApp {
    /// Render-and-present benchmark on the real terminal: full 120×40-style frames of a
    /// finished run, alternating two states so every frame changes. Returns median
    /// milliseconds for rendering (pure) and for presenting (ncurses + terminal write).
    public static func benchmarkFrames(_ count: Int) -> (render: Double, present: Double)? {
        setlocale(LC_ALL, "")
        let session = TerminalSession(color: true)
        guard session.start() else { return nil }
        defer { session.stop() }
        let size = session.size
        let clock = ContinuousClock()
        let infos = StandardPhases.all.map { PhaseRunner.info($0) }
        var state = AppState(width: size.width, height: size.height, schemaPath: "schema.prisma", outputDir: "generated",
                             standalone: true, phases: infos, now: clock.now)
        _ = Reducer.reduce(&state, .run(.runStarted(RunPlan(entries: infos.map { .init(phase: $0, skipReason: nil) }, startOrder: 0))))
        for (i, info) in infos.enumerated() {
            _ = Reducer.reduce(&state, .run(.phaseDidFinish(info, PhaseResult(filesWritten: i, message: "done"), .microseconds(100 * (i + 1)))))
        }
        _ = Reducer.reduce(&state, .schemaLoaded(CompiledSchema(sources: SourceSet(SourceFile(path: "s", text: ExampleSchema.text))).model))
        var renders: [Double] = [], presents: [Double] = []
        for i in 0..<count {
            state.focus = i % 2 == 0 ? .phases : .schema
            let a = clock.now
            let buffer = Screen.render(state)
            let b = clock.now
            session.present(buffer)
            let c = clock.now
            renders.append(RunReportJSON.msPublic(a.duration(to: b)))
            presents.append(RunReportJSON.msPublic(b.duration(to: c)))
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        return (median(renders), median(presents))
    }
}

extension TUIApp {
    /// Keypress benchmark, no terminal: loads the output tree of `outputDir` (its manifest) and
    /// drives `count` key actions through the reducer and the renderer in the Output pane, as a
    /// user paging and moving through a large tree would. Returns the median and the 99th
    /// percentile milliseconds per key (reduce + render).
    public static func benchmarkKeys(outputDir: String, count: Int, width: Int = 120, height: Int = 40) -> (median: Double, p99: Double, files: Int) {
        let clock = ContinuousClock()
        let infos = StandardPhases.all.map { PhaseRunner.info($0) }
        var state = AppState(width: width, height: height, schemaPath: "schema.prisma", outputDir: outputDir,
                             standalone: true, phases: infos, now: clock.now)
        let files = manifestEntries(outputDir: outputDir).map { FileEntry(path: $0.path, bytes: $0.bytes, change: .same, model: $0.model, kind: $0.kind) }
        _ = Reducer.reduce(&state, .outputScanned(files))
        _ = Reducer.reduce(&state, .key(.char("2")))
        // Open every folder, as a user exploring the whole tree would.
        state.output.collapsed = []
        let script: [Key] = [.down, .down, .down, .pageDown, .down, .up, .enter, .down, .pageDown, .end, .pageUp, .up, .home, .down]
        var times: [Double] = []
        times.reserveCapacity(count)
        for i in 0..<count {
            let key = script[i % script.count]
            let a = clock.now
            _ = Reducer.reduce(&state, .key(key))
            _ = Screen.render(state)
            let ms = RunReportJSON.msPublic(a.duration(to: clock.now))
            times.append(ms)
        }
        let sorted = times.sorted()
        return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 99 / 100)], files.count)
    }
}
