import Core

/// The only place state changes: `reduce(&state, action)` returns the effects to perform.
public enum Reducer {
    public static func reduce(_ s: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .run(let event): return runEvent(&s, event)
        case .key(let key): return keyPress(&s, key)
        case .mouse(let event): return mouse(&s, event)
        case .resize(let w, let h):
            s.width = w
            s.height = h
            return []
        case .tick(let now):
            s.now = now
            return []
        case .outputScanned(let files):
            if s.output.files.isEmpty { s.output.collapsed = FileTree.defaultCollapsed(files) }
            s.output.files = files
            s.output.selected = min(s.output.selected, max(0, s.output.rows.count - 1))
            return previewEffect(s)
        case .schemaLoaded(let model):
            // An invalid schema keeps the last valid model on screen, marked stale.
            if let model {
                s.schema.model = model
                s.schema.stale = false
                (s.schema.endpoints, s.schema.referencedBy) = SchemaExplorer.index(model, apiPrefix: s.apiPrefix)
            } else {
                s.schema.stale = s.schema.model != nil
            }
            s.schema.selected = min(s.schema.selected, max(0, SchemaExplorer.entities(s.schema).count - 1))
            return []
        case .diffLoaded(let path, let diff):
            s.output.diff = (path, diff)
            return []
        case .previewLoaded(let path, let text):
            s.output.preview = (path, text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            return []
        case .planPreviewed(let plan):
            s.preview = plan
            return []
        case .schemaFileChanged:
            if s.run.isRunning {
                s.rerunPending = true
                return []
            }
            s.flash = "schema changed: re-running"
            return [.startRun(fromOrder: nil)]
        case .editorClosed(let failure):
            if let failure {
                s.flash = failure
                return []
            }
            s.flash = "editor closed: re-running"
            return s.run.isRunning ? { s.rerunPending = true; return [] }() : [.startRun(fromOrder: nil)]
        case .terminate:
            return quit(&s)
        }
    }

    // MARK: run events

    static func row(_ s: AppState, _ info: PhaseInfo) -> Int? {
        s.phases.firstIndex { $0.info.name == info.name && $0.info.order == info.order }
    }

    static func runEvent(_ s: inout AppState, _ event: RunEvent) -> [Effect] {
        switch event {
        case .runStarted(let plan):
            // Custom phases may have been added: rebuild rows from the plan, keeping reused ones.
            let old = s.phases
            s.phases = plan.entries.map { e in
                if e.phase.order < plan.startOrder, var kept = old.first(where: { $0.info.name == e.phase.name }) {
                    if kept.status == .succeeded { kept.status = .reused }
                    return kept
                }
                return PhaseRow(info: e.phase)
            }
            s.run = .running(since: s.now)
            s.lastRunStandalone = s.standalone
            // Re-running from a phase may start earlier (the core re-planned): say why.
            if let requested = plan.requestedStartOrder, requested != plan.startOrder, let why = plan.startReason {
                s.flash = "re-running from \(String(format: "%02d", plan.startOrder)) instead of \(String(format: "%02d", requested)): \(why)"
            }
            s.runs += 1
            s.followRun = true
            s.confirmQuit = false
            s.ctrlCArmed = false
            s.detailScroll = 0
            return []
        case .phaseWillRun(let info):
            guard let i = row(s, info) else { return [] }
            s.phases[i].status = .running
            s.phases[i].startedAt = s.now
            followOldestRunning(&s)
            return []
        case .phaseProgress(let info, let done, let total, let message):
            guard let i = row(s, info) else { return [] }
            s.phases[i].progress = (done, total, message)
            return []
        case .phaseDidFinish(let info, let result, let d):
            guard let i = row(s, info) else { return [] }
            s.phases[i].status = .succeeded
            s.phases[i].duration = d
            s.phases[i].result = result
            followOldestRunning(&s)
            return []
        case .phaseCached(let info, let result, let restore, let saved):
            guard let i = row(s, info) else { return [] }
            s.phases[i].status = .cached(restore: restore, saved: saved)
            s.phases[i].duration = restore
            s.phases[i].result = result
            followOldestRunning(&s)
            return []
        case .phaseSkipped(let info, let reason):
            guard let i = row(s, info) else { return [] }
            s.phases[i].status = .skipped(reason)
            return []
        case .phaseFailed(let info, let failure, let d):
            guard let i = row(s, info) else { return [] }
            s.phases[i].status = .failed
            s.phases[i].duration = d
            s.phases[i].failure = failure
            followOldestRunning(&s)
            return []
        case .phaseContext(let info, let entries):
            guard let i = row(s, info) else { return [] }
            // Summarised here, once, on the UI's thread (not per frame, not on the run's path).
            s.phases[i].context = entries.map { PhaseRow.ContextLine(key: $0.key, access: $0.access, summary: $0.summary) }
            return []
        case .log(let record):
            if let name = record.phase, let i = s.phases.firstIndex(where: { $0.info.name == name }) {
                s.phases[i].logs.append(record)
            }
            return []
        case .runFinished(let report):
            s.lastReport = report
            s.run = .finished(report.status, report.totalDuration)
            for r in report.phases {
                guard let i = s.phases.firstIndex(where: { $0.info.name == r.phase.name }) else { continue }
                if r.status == .notRun { s.phases[i].status = .notRun }
                if r.status == .failed { s.phases[i].failure = r.failure; s.phases[i].status = .failed }
            }
            if report.status == .failed, let i = s.phases.firstIndex(where: { $0.status == .failed }) {
                s.selectedPhase = i
                s.selectedError = 0
                s.focus = .phases
                s.detailMode = .phase
                s.detailScroll = 0
                s.flash = nil
            } else if report.status == .cancelled {
                s.flash = "run cancelled; the output folder was not changed"
            } else if report.finalizeFailure != nil {
                s.flash = "commit failed: \(report.finalizeFailure?.description ?? "")"
            } else {
                s.flash = nil
            }
            var effects: [Effect] = [.scanOutput, .loadSchema]
            if s.quitting { return [.quit] }
            if s.rerunPending {
                s.rerunPending = false
                effects.append(.startRun(fromOrder: nil))
            }
            return effects
        }
    }

    /// While the selection follows the run, it stays on the oldest phase still running
    /// (several run at once); when none is left, on the one that finished last.
    static func followOldestRunning(_ s: inout AppState) {
        guard s.followRun, let oldest = s.runningRows.first else { return }
        if s.selectedPhase != oldest { s.detailScroll = 0 }
        s.selectedPhase = oldest
    }

    // MARK: keys

    static func keyPress(_ s: inout AppState, _ key: Key) -> [Effect] {
        if key == .char("!"), let crash = s.debugCrash { return [.crash(crash)] }
        // The "too small" screen shows nothing to act on: only quitting works there.
        if s.isTooSmall {
            return key == .char("q") || key == .ctrlC ? [.cancelRun, .quit] : []
        }
        if s.showHelp {
            // The overlay scrolls (it may not fit a small terminal); any other key closes it.
            switch key {
            case .down, .char("j"): s.helpScroll += 1
            case .up, .char("k"): s.helpScroll = max(0, s.helpScroll - 1)
            case .pageDown: s.helpScroll += max(1, s.height - 6)
            case .pageUp: s.helpScroll = max(0, s.helpScroll - max(1, s.height - 6))
            default:
                s.showHelp = false
                s.helpScroll = 0
            }
            return []
        }
        // Movement keys leave a filter prompt (keeping its text) and move in the list.
        if isMovement(key) {
            if s.focus == .output { s.output.editingFilter = false }
            if s.focus == .schema { s.schema.editingSearch = false }
        }
        // Text entry for filters and searches takes every printable key.
        if s.focus == .output, s.output.editingFilter {
            var text = s.output.filter, editing = true
            editText(&text, editing: &editing, key)
            s.output.filter = text
            s.output.editingFilter = editing
            s.output.selected = 0
            return previewEffect(s)
        }
        if s.focus == .schema, s.schema.editingSearch {
            var text = s.schema.search, editing = true
            editText(&text, editing: &editing, key)
            s.schema.search = text
            s.schema.editingSearch = editing
            s.schema.selected = 0
            return []
        }
        if s.quitting {
            // Waiting for the cancelled run to stop; Ctrl-C again leaves at once.
            return key == .ctrlC ? [.cancelRun, .quit] : []
        }
        if s.confirmQuit {
            s.confirmQuit = false
            if key == .char("q") || key == .char("y") { return quit(&s) }
            s.flash = nil
            return []
        }
        switch key {
        case .ctrlC:
            if s.run.isRunning && !s.ctrlCArmed {
                s.ctrlCArmed = true
                s.flash = "cancelling: running phases finish, nothing new starts… (Ctrl-C again to quit)"
                return [.cancelRun]
            }
            return quit(&s)
        case .char("q"):
            if s.run.isRunning {
                s.confirmQuit = true
                s.flash = "a run is in progress: q again to cancel it and quit, any other key to stay"
                return []
            }
            return [.quit]
        case .char("?"):
            s.showHelp = true
            return []
        case .tab:
            s.focus = Pane(rawValue: s.focus.rawValue % 4 + 1) ?? .phases
            return s.focus == .output ? previewEffect(s) : []
        case .backTab:
            s.focus = Pane(rawValue: (s.focus.rawValue + 2) % 4 + 1) ?? .phases
            return s.focus == .output ? previewEffect(s) : []
        case .char(let c) where ("1"..."4").contains(c):
            s.focus = Pane(rawValue: Int(String(c)) ?? 1) ?? .phases
            return s.focus == .output ? previewEffect(s) : []
        case .char("r"):
            guard !s.run.isRunning else { s.flash = "a run is already in progress"; return [] }
            return [.startRun(fromOrder: nil)]
        case .char("s"):
            s.standalone.toggle()
            s.preview = nil  // stale until the core previews the new settings
            s.flash = "standalone mode \(s.standalone ? "on" : "off"): press r to re-run"
            return [config(s)]
        default:
            break
        }
        switch s.focus {
        case .phases: return phasesKey(&s, key)
        case .output: return outputKey(&s, key)
        case .schema: return schemaKey(&s, key)
        case .toggles: return togglesKey(&s, key)
        }
    }

    /// Quits now, or — during a run — cancels it and quits when it has stopped, so the
    /// exit status and the message say how the run ended.
    static func quit(_ s: inout AppState) -> [Effect] {
        guard s.run.isRunning else { return [.quit] }
        s.quitting = true
        s.confirmQuit = false
        s.flash = "cancelling: running phases finish, nothing new starts… (the output folder is left as it was)"
        return [.cancelRun]
    }

    static func isMovement(_ key: Key) -> Bool {
        switch key {
        case .up, .down, .pageUp, .pageDown, .home, .end: return true
        default: return false
        }
    }

    static func config(_ s: AppState) -> Effect {
        .updateConfig(standalone: s.standalone, disabled: s.disabledPhases, enabled: s.enabledPhases)
    }

    /// Shared list movement: returns the new index (nil: not a movement key, or an empty list).
    /// With a `page`, PgUp/PgDn move by that many rows.
    static func move(_ index: Int, count: Int, key: Key, page: Int? = nil) -> Int? {
        guard count > 0 else { return nil }
        switch key {
        case .up, .char("k"): return max(0, index - 1)
        case .down, .char("j"): return min(count - 1, index + 1)
        case .home, .char("g"): return 0
        case .end, .char("G"): return count - 1
        case .pageUp: return page.map { max(0, index - $0) }
        case .pageDown: return page.map { min(count - 1, index + $0) }
        default: return nil
        }
    }

    /// Selects a phase of the checklist (the selection stops following the run).
    static func selectPhase(_ s: inout AppState, _ i: Int) {
        s.selectedPhase = i
        s.followRun = false
        s.detailScroll = 0
        s.selectedError = 0
    }

    static func phasesKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        if let i = move(s.selectedPhase, count: s.phases.count, key: key) {
            selectPhase(&s, i)
            return []
        }
        let errors = s.selectedRow?.failure?.diagnostics.count ?? 0
        switch key {
        case .pageDown: s.detailScroll += max(1, s.height - 8)
        case .pageUp: s.detailScroll = max(0, s.detailScroll - max(1, s.height - 8))
        case .char("t"):
            s.detailMode = s.detailMode == .phase ? .timeline : .phase
            s.detailScroll = 0
        case .char("R"):
            guard !s.run.isRunning else { s.flash = "a run is already in progress"; return [] }
            guard let row = s.selectedRow else { return [] }
            return [.startRun(fromOrder: row.info.order)]
        case .char("n") where errors > 0:
            s.selectedError = (s.selectedError + 1) % errors
        case .char("p") where errors > 0:
            s.selectedError = (s.selectedError + errors - 1) % errors
        case .char("e"):
            guard let diagnostics = s.selectedRow?.failure?.diagnostics, !diagnostics.isEmpty else {
                s.flash = "no schema error on this phase to open"
                return []
            }
            let d = diagnostics[min(s.selectedError, diagnostics.count - 1)]
            return [.openEditor(path: d.file, line: d.line)]
        default: break
        }
        return []
    }

    static func previewEffect(_ s: AppState) -> [Effect] {
        let rows = s.output.rows
        guard rows.indices.contains(s.output.selected), !rows[s.output.selected].isDir else { return [] }
        let path = rows[s.output.selected].path
        if s.output.preview?.path == path { return [] }
        return [.loadPreview(path: path)]
    }

    static func outputKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        let rows = s.output.rows
        if let i = move(s.output.selected, count: rows.count, key: key, page: listPage(s)) {
            s.output.selected = i
            s.output.previewScroll = 0
            return previewEffect(s)
        }
        switch key {
        case .char("/"):
            s.output.editingFilter = true
            return []
        case .escape:
            // Always clears a kept filter, matches or not.
            s.output.filter = ""
            s.output.selected = 0
            return previewEffect(s)
        case .char("J"):
            s.output.previewScroll += max(1, listPage(s))
            return []
        case .char("K"):
            s.output.previewScroll = max(0, s.output.previewScroll - max(1, listPage(s)))
            return []
        case .char("d"):
            s.output.showDiff.toggle()
            s.output.previewScroll = 0
            s.flash = s.output.showDiff ? "changed files open as their diff against the previous generation" : "changed files open as their full text"
            return []
        default: break
        }
        guard rows.indices.contains(s.output.selected) else { return [] }
        let row = rows[s.output.selected]
        switch key {
        case .enter:
            // Enter toggles a folder open and closed.
            if row.isDir {
                if s.output.collapsed.contains(row.path) { s.output.collapsed.remove(row.path) } else { s.output.collapsed.insert(row.path) }
            }
        case .right, .char("l"):
            if row.isDir { s.output.collapsed.remove(row.path) }
        case .left, .char("h"):
            if row.isDir && !s.output.collapsed.contains(row.path) {
                s.output.collapsed.insert(row.path)
            } else if let parent = row.path.split(separator: "/").dropLast().joined(separator: "/") as String?, !parent.isEmpty,
                      let pi = rows.firstIndex(where: { $0.path == parent }) {
                s.output.selected = pi
            }
        default: break
        }
        return previewEffect(s)
    }

    /// Rows a list pane shows at once: PgUp/PgDn move by this much.
    static func listPage(_ s: AppState) -> Int { max(1, s.height - 5) }

    /// Line editing for `/` filters: Enter keeps the text, Esc clears it.
    static func editText(_ text: inout String, editing: inout Bool, _ key: Key) {
        switch key {
        case .enter, .escape, .ctrlC:
            editing = false
            if key == .escape { text = "" }
        case .backspace: if !text.isEmpty { text.removeLast() }
        case .char(let c): text.append(c)
        default: break
        }
    }

    static func schemaKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        let entities = SchemaExplorer.entities(s.schema)
        if key == .char("m") {
            guard entities.indices.contains(s.schema.selected), case .model = entities[s.schema.selected] else {
                s.flash = "the relation map is for models"
                return []
            }
            s.schema.showMap.toggle()
            s.schema.mapSelected = 0
            s.schema.inFields = false
            return []
        }
        if s.schema.showMap { return relationMapKey(&s, key, entities) }
        if key == .char("/") {
            s.schema.editingSearch = true
            s.schema.inFields = false
            return []
        }
        if !s.schema.inFields {
            if let i = move(s.schema.selected, count: entities.count, key: key, page: listPage(s)) {
                s.schema.selected = i
                s.schema.fieldSelected = 0
                return []
            }
            if key == .enter || key == .right || key == .char("l") {
                s.schema.inFields = true
                s.schema.fieldSelected = 0
            } else if key == .escape {
                if !s.schema.search.isEmpty { s.schema.search = ""; s.schema.selected = 0 }
            }
            return []
        }
        let items = SchemaExplorer.items(s)
        if let i = move(s.schema.fieldSelected, count: items.count, key: key, page: listPage(s)) {
            s.schema.fieldSelected = i
            return []
        }
        switch key {
        case .enter:
            guard entities.indices.contains(s.schema.selected), items.indices.contains(s.schema.fieldSelected) else { return [] }
            let name = entities[s.schema.selected].name
            switch items[s.schema.fieldSelected] {
            case .field: break
            case .file(let path):
                return openInOutput(&s, path)
            case .endpoint:
                // An endpoint opens the router that mounts it.
                guard let routes = SchemaExplorer.files(of: name, in: s.output).first(where: { $0.kind == .route })?.path else {
                    s.flash = "no generated routes file for \(name) yet: run first"
                    return []
                }
                return openInOutput(&s, routes)
            case .reference(let ref):
                goTo(&s, ref.model, from: (name, s.schema.fieldSelected))
                s.schema.fieldSelected = s.schema.model?.model(ref.model)?.fields.firstIndex { $0.name == ref.field } ?? 0
                s.schema.inFields = true
                return []
            }
            let fieldList = SchemaExplorer.fields(s.schema, entities[s.schema.selected])
            guard fieldList.indices.contains(s.schema.fieldSelected) else { return [] }
            let field = fieldList[s.schema.fieldSelected]
            let target: String
            switch field.type {
            case .model(let t), .enumeration(let t), .composite(let t): target = t
            default: return []
            }
            goTo(&s, target, from: (name, s.schema.fieldSelected))
            let oppIndex = field.relation?.oppositeField.flatMap { opp in s.schema.model?.model(target)?.fields.firstIndex { $0.name == opp } }
            s.schema.fieldSelected = oppIndex ?? 0
            s.schema.inFields = true
        case .escape, .left, .char("h"), .backspace:
            if let field = goBack(&s) { s.schema.fieldSelected = field } else { s.schema.inFields = false }
        default: break
        }
        return []
    }

    /// A click selects what is under it (a pane's tab, a phase, a file or folder of the tree, an
    /// entity of the schema list, a toggle); the wheel moves the selection of the pane under
    /// the pointer, as ↑/↓ would. Rows are found with the views' own layout functions.
    static func mouse(_ s: inout AppState, _ e: MouseEvent) -> [Effect] {
        guard !s.isTooSmall, !s.showHelp else { return s.showHelp && e.kind == .press ? keyPress(&s, .escape) : [] }
        let layout = Screen.Layout(s)
        let (bodyTop, bodyHeight, left, rx, rw) = (layout.bodyTop, layout.bodyHeight, layout.left, layout.rx, layout.rw)
        if e.kind != .press {
            let key: Key = e.kind == .wheelDown ? .down : .up
            // Over the checklist the wheel moves the phase selection; elsewhere the focused pane's.
            return e.x < left ? phasesKey(&s, key) : keyPress(&s, key)
        }
        if e.y == 1 {
            guard let tab = Tabs.tabs().first(where: { $0.columns.contains(e.x) }) else { return [] }
            return keyPress(&s, .char(Character(String(tab.pane.rawValue))))
        }
        guard e.y >= bodyTop + 1, e.y < bodyTop + bodyHeight else { return [] }
        let line = e.y - bodyTop - 1
        if e.x < left {
            let index = Checklist.firstVisible(s, width: left, height: bodyHeight) + line
            guard s.phases.indices.contains(index) else { return [] }
            s.focus = .phases
            selectPhase(&s, index)
            return []
        }
        guard e.x >= rx, e.x < rx + rw else { return [] }
        switch s.focus {
        case .output:
            guard e.x < rx + OutputView.treeWidth(s, width: rw, height: bodyHeight) else { return [] }
            let index = OutputView.firstVisible(s, height: bodyHeight) + line
            guard s.output.rows.indices.contains(index) else { return [] }
            let again = index == s.output.selected
            s.output.selected = index
            s.output.previewScroll = 0
            // A second click on a folder opens or closes it, as Enter does.
            return again && s.output.rows[index].isDir ? keyPress(&s, .enter) : previewEffect(s)
        case .schema:
            let entities = SchemaExplorer.entities(s.schema)
            guard let model = s.schema.model else { return [] }
            let views = Set(model.models.lazy.filter(\.isView).map(\.name))
            guard e.x < rx + SchemaView.listWidth(entities, views: views, width: rw) else { return [] }
            let index = SchemaView.firstVisible(s, count: entities.count, height: bodyHeight) + line
            guard entities.indices.contains(index) else { return [] }
            s.schema.selected = index
            s.schema.fieldSelected = 0
            s.schema.inFields = false
            return []
        case .toggles:
            let index = e.y - TogglesView.firstToggleLine(y: bodyTop, width: rw)
            guard s.togglePhases.indices.contains(index) else { return [] }
            s.toggleSelected = index
            return []
        case .phases:
            return []
        }
    }

    /// Selects the entity named `name` (the search cleared), remembering where Esc comes back to.
    static func goTo(_ s: inout AppState, _ name: String, from: (entity: String, field: Int)) {
        s.schema.back.append(from)
        s.schema.search = ""
        s.schema.selected = SchemaExplorer.entities(s.schema).firstIndex { $0.name == name } ?? 0
    }

    /// Selects the entity Esc comes back to; returns the row that was chosen there (nil: nowhere to go back to).
    static func goBack(_ s: inout AppState) -> Int? {
        guard let last = s.schema.back.popLast() else { return nil }
        s.schema.selected = SchemaExplorer.entities(s.schema).firstIndex { $0.name == last.entity } ?? 0
        return last.field
    }

    /// The relation map: ↑/↓ choose a relation, Enter goes to the related model's map, Esc
    /// comes back (or leaves the map).
    static func relationMapKey(_ s: inout AppState, _ key: Key, _ entities: [SchemaState.Entity]) -> [Effect] {
        guard entities.indices.contains(s.schema.selected), case .model(let name) = entities[s.schema.selected],
              let model = s.schema.model?.model(name) else {
            s.schema.showMap = false
            return []
        }
        let edges = RelationMap.edges(model)
        if let i = move(s.schema.mapSelected, count: edges.count, key: key, page: listPage(s) / 3) {
            s.schema.mapSelected = i
            return []
        }
        switch key {
        case .enter, .right, .char("l"):
            guard edges.indices.contains(s.schema.mapSelected) else { return [] }
            let target = edges[s.schema.mapSelected].target
            goTo(&s, target, from: (name, s.schema.mapSelected))
            s.schema.mapSelected = 0
        case .escape, .left, .char("h"), .backspace:
            if let relation = goBack(&s) { s.schema.mapSelected = relation } else { s.schema.showMap = false }
        default: break
        }
        return []
    }

    /// Shows `path` in the Output pane: the filter cleared, its folders opened, the file selected
    /// and previewed.
    static func openInOutput(_ s: inout AppState, _ path: String) -> [Effect] {
        s.focus = .output
        s.output.filter = ""
        var folder = ""
        for part in path.split(separator: "/").dropLast() {
            folder = folder.isEmpty ? String(part) : folder + "/" + part
            s.output.collapsed.remove(folder)
        }
        guard let row = s.output.rows.firstIndex(where: { $0.path == path }) else {
            s.flash = "\(path) is not in the last generation"
            return []
        }
        s.output.selected = row
        s.output.previewScroll = 0
        return previewEffect(s)
    }

    static func togglesKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        let list = s.togglePhases
        if let i = move(s.toggleSelected, count: list.count, key: key) {
            s.toggleSelected = i
            return []
        }
        guard key == .char(" ") || key == .enter, list.indices.contains(s.toggleSelected) else { return [] }
        let info = list[s.toggleSelected]
        let wasOn = s.willRun(info)
        s.preview = nil  // stale until the core previews the new settings
        if wasOn {
            s.enabledPhases.remove(info.name)
            s.disabledPhases.insert(info.name)
        } else {
            s.disabledPhases.remove(info.name)
            let conditionSaysNo = info.condition.contains("standalone") && !s.standalone
            if conditionSaysNo { s.enabledPhases.insert(info.name) }
        }
        s.flash = "\(info.name) \(s.willRun(info) ? "on" : "off"): press r to re-run"
        return [config(s)]
    }
}
