import CNCurses
import Foundation

/// The ncurses backend: owns the terminal from `start()` to `stop()`, on one thread.
/// It draws cell buffers and decodes keys; it knows nothing about the app.
final class TerminalSession {
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var last: CellBuffer?
    let color: Bool
    private(set) var started = false

    init(color: Bool) { self.color = color }

    /// Starts curses mode; returns false when the terminal cannot be used (plain mode then).
    func start() -> Bool {
        nc_install_crash_restore()
        set_escdelay(25)
        let term = ProcessInfo.processInfo.environment["TERM"] ?? "xterm"
        guard let scr = nc_newterm_stdio(term) else { return false }
        screen = scr
        set_term(scr)
        window = stdscrWindow()
        guard let w = window else { return false }
        raw()
        noecho()
        keypad(w, true)
        curs_set(0)
        // Clicks and the wheel (PHASERUNNER_NO_MOUSE=1 leaves the mouse to the terminal, for selecting text).
        if ProcessInfo.processInfo.environment["PHASERUNNER_NO_MOUSE"] == nil { nc_enable_mouse() }
        if color && has_colors() {
            start_color()
            use_default_colors()
            let gray: Int16 = nc_colors() >= 16 ? 8 : 7
            let table: [Int16] = [Int16(COLOR_RED), Int16(COLOR_GREEN), Int16(COLOR_YELLOW), Int16(COLOR_BLUE), Int16(COLOR_MAGENTA), Int16(COLOR_CYAN), gray]
            for (i, c) in table.enumerated() { init_pair(Int16(i + 1), c, -1) }
        }
        wtimeout(w, 50)
        started = true
        return true
    }

    private func stdscrWindow() -> UnsafeMutablePointer<WINDOW>? {
        nc_stdscr_window()
    }

    var size: (width: Int, height: Int) {
        guard let w = window else { return (80, 24) }
        var y: Int32 = 0, x: Int32 = 0
        nc_getmaxyx(w, &y, &x)
        return (Int(x), Int(y))
    }

    /// After a resize the window must follow the terminal.
    func resized() {
        guard let w = window else { return }
        last = nil
        werase(w)
    }

    /// Draws the cells that changed since the last frame, then updates the terminal.
    func present(_ buffer: CellBuffer) {
        guard let w = window else { return }
        let full = last == nil || last?.width != buffer.width || last?.height != buffer.height
        if full { werase(w) }
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if !full, let prev = last, prev[x, y] == cell { continue }
                if cell.text.isEmpty { continue }
                var attrs: attr_t = 0
                if cell.style.bold { attrs |= nc_a_bold() }
                if cell.style.dim { attrs |= nc_a_dim() }
                if cell.style.reverse { attrs |= nc_a_reverse() }
                if cell.style.underline { attrs |= nc_a_underline() }
                let pair: Int16 = color ? Int16(cell.style.fg?.rawValue ?? 0) : 0
                let scalar = cell.text.unicodeScalars.first?.value ?? 32
                // The bottom-right cell cannot be written without scrolling; skip it.
                if y == buffer.height - 1 && x == buffer.width - 1 { continue }
                _ = nc_mvadd_scalar(w, Int32(y), Int32(x), scalar, attrs, pair)
            }
        }
        last = buffer
        wnoutrefresh(w)
        doupdate()
    }

    enum Input {
        case key(Key)
        case mouse(MouseEvent)
        case resize
    }

    /// Waits up to 50 ms for a key.
    func read() -> Input? {
        guard let w = window else { return nil }
        var ch: wint_t = 0
        let rc = wget_wch(w, &ch)
        if rc == ERR { return nil }
        if rc == nc_key_code_yes() {
            switch Int32(ch) {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_BTAB: return .key(.backTab)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_RESIZE: return .resize
            case KEY_MOUSE:
                var x: Int32 = 0, y: Int32 = 0, kind: Int32 = 0
                guard nc_read_mouse(&x, &y, &kind) == 1 else { return nil }
                switch kind {
                case 1: return .mouse(MouseEvent(x: Int(x), y: Int(y), kind: .press))
                case 2: return .mouse(MouseEvent(x: Int(x), y: Int(y), kind: .wheelUp))
                case 3: return .mouse(MouseEvent(x: Int(x), y: Int(y), kind: .wheelDown))
                default: return nil
                }
            default: return nil
            }
        }
        switch ch {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 127, 8: return .key(.backspace)
        case 3: return .key(.ctrlC)
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)), ch >= 32 else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    /// Runs a shell command with the terminal handed back (for $EDITOR).
    func runInteractive(_ command: String) -> Int32 {
        let status = nc_run_shell_command(command)
        last = nil
        return status
    }

    func stop() {
        guard started else { return }
        started = false
        nc_restore_terminal_now()
        if let s = screen { delscreen(s) }
        screen = nil
    }
}
