/// The colours the UI uses for meaning; all drawn on the terminal's default background.
public enum Color: UInt8, Sendable, Hashable, CaseIterable {
    case red = 1, green, yellow, blue, magenta, cyan, gray
}

public struct Style: Sendable, Hashable {
    public var fg: Color?
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false

    public init(fg: Color? = nil, bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = Style()
    public static func fg(_ c: Color) -> Style { Style(fg: c) }
    public var bolded: Style { var s = self; s.bold = true; return s }
    public var reversed: Style { var s = self; s.reverse = true; return s }
    public var dimmed: Style { var s = self; s.dim = true; return s }
}

public struct Cell: Sendable, Hashable {
    /// The grapheme drawn here; empty for the second cell of a wide character.
    public var text: String
    public var style: Style
    public static let blank = Cell(text: " ", style: .plain)
}

/// A screen-sized grid of cells that views draw into. Knows display widths (wide
/// characters take two cells) and clips everything to its bounds.
public struct CellBuffer: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (x, y), clipped to `maxWidth` columns (and the buffer). Returns columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? width, width - max(0, x))
        var col = 0
        for ch in text {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if col + w > limit { break }
            let cx = x + col
            if cx >= 0 {
                self[cx, y] = Cell(text: ch == "\t" ? " " : String(ch), style: style)
                if w == 2, cx + 1 < width { self[cx + 1, y] = Cell(text: "", style: style) }
            }
            col += w
        }
        return col
    }

    /// Fills a rectangle with spaces in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style = .plain) {
        for yy in max(0, y)..<min(height, y + h) {
            for xx in max(0, x)..<min(width, x + w) { self[xx, yy] = Cell(text: " ", style: style) }
        }
    }

    /// Replaces every non-ASCII cell with an ASCII look-alike (for non-UTF-8 locales).
    public mutating func foldToASCII() {
        let map: [String: String] = ["·": "-", "×": "x", "›": ">", "…": "~", "▏": "|", "↑": "^", "↓": "v", "→": ">", "←": "<",
                                     "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "✓": "+", "✗": "x", "–": "-",
                                     "▾": "v", "▸": ">", "█": "#", "░": ".", "▒": "="]
        for i in cells.indices {
            let t = cells[i].text
            if t.isEmpty { cells[i].text = " "; continue }
            if t.unicodeScalars.allSatisfy(\.isASCII) { continue }
            cells[i].text = map[t] ?? "?"
        }
    }

    /// The screen as text, one line per row, trailing spaces removed (golden snapshots).
    public func plainText() -> String {
        var lines: [String] = []
        for y in 0..<height {
            var line = ""
            for x in 0..<width { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The screen with SGR escapes (the format of `tmux capture-pane -e`).
    public func ansiText(color: Bool = true) -> String {
        var out = ""
        for y in 0..<height {
            var current = Style.plain
            for x in 0..<width {
                let cell = self[x, y]
                if cell.style != current {
                    out += Self.sgr(cell.style, color: color)
                    current = cell.style
                }
                out += cell.text
            }
            out += "\u{1B}[0m\n"
        }
        return out
    }

    static func sgr(_ s: Style, color: Bool) -> String {
        var codes = ["0"]
        if s.bold { codes.append("1") }
        if s.dim { codes.append("2") }
        if s.underline { codes.append("4") }
        if s.reverse { codes.append("7") }
        if color, let fg = s.fg { codes.append(fg == .gray ? "90" : String(30 + Int(fg.rawValue))) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}

/// Terminal column widths: East Asian wide/fullwidth and emoji take 2, combining marks 0.
public enum DisplayWidth {
    public static func of(_ ch: Character) -> Int {
        guard let first = ch.unicodeScalars.first else { return 0 }
        let v = first.value
        if v < 0x20 { return ch == "\t" ? 1 : 0 }
        if v < 0x7F { return 1 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(v) { return 2 }
        if ch.unicodeScalars.count > 1, first.properties.isEmoji, ch.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return 1
    }

    public static func of(_ s: String) -> Int {
        // Printable ASCII (names, types, paths: nearly every string drawn) is one column a byte,
        // counted without breaking the text into characters.
        var ascii = true
        for b in s.utf8 where b < 0x20 || b >= 0x7F {
            ascii = false
            break
        }
        return ascii ? s.utf8.count : s.reduce(0) { $0 + of($1) }
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Cuts `s` to at most `width` columns, ending with `…` when it was cut.
    /// Cuts the middle out (`BuzzWithd…Request`), so names that share a prefix stay distinct.
    public static func truncateMiddle(_ s: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(s) <= width { return s }
        let room = width - of(ellipsis)
        guard room > 1 else { return truncate(s, to: width, ellipsis: ellipsis) }
        let chars = Array(s)
        var head = "", tail = ""
        var used = 0, i = 0, j = chars.count - 1
        // Keep a little more of the start than of the end.
        while i <= j {
            let takeHead = of(head) <= of(tail)
            let ch = takeHead ? chars[i] : chars[j]
            if used + of(ch) > room { break }
            used += of(ch)
            if takeHead { head.append(ch); i += 1 } else { tail = String(ch) + tail; j -= 1 }
        }
        return head + ellipsis + tail
    }

    public static func truncate(_ s: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(s) <= width { return s }
        var out = ""
        var used = 0
        let e = of(ellipsis)
        for ch in s {
            let w = of(ch)
            if used + w > width - e { break }
            out.append(ch)
            used += w
        }
        return out + ellipsis
    }

    /// Pads `s` with spaces to exactly `width` columns (truncating when longer).
    public static func pad(_ s: String, to width: Int) -> String {
        let t = truncate(s, to: width)
        return t + String(repeating: " ", count: max(0, width - of(t)))
    }
}
