/// The symbols the UI draws: Unicode when the locale is UTF-8, ASCII otherwise.
public struct Glyphs: Sendable, Hashable {
    public let pending: String
    public let succeeded: String
    public let failed: String
    public let skipped: String
    public let notRun: String
    /// Restored from the phase cache.
    public let cached: String
    /// Marks a plugin phase (an external program) in the checklist.
    public let plugin: String
    /// A self-relation in the relation map; the joint of an edge on a box's side.
    public let loop: String
    public let teeRight: String
    public let teeLeft: String
    public let spinner: [String]
    public let horizontal: String
    public let vertical: String
    public let topLeft: String
    public let topRight: String
    public let bottomLeft: String
    public let bottomRight: String
    public let barFull: String
    public let barEmpty: String
    /// A timeline bar of a phase off the critical path (those on it use `barFull`).
    public let barShade: String
    public let expanded: String
    public let collapsed: String
    public let arrow: String
    public let checked: String
    public let unchecked: String
    public let ellipsis: String

    public static let unicode = Glyphs(
        pending: "·", succeeded: "✓", failed: "✗", skipped: "–", notRun: "·", cached: "↺", plugin: "◇", loop: "↺", teeRight: "├", teeLeft: "┤",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        barFull: "█", barEmpty: "░", barShade: "▒", expanded: "▾", collapsed: "▸", arrow: "→", checked: "[x]", unchecked: "[ ]", ellipsis: "…")

    public static let ascii = Glyphs(
        pending: ".", succeeded: "+", failed: "x", skipped: "-", notRun: ".", cached: "=", plugin: "*", loop: "@", teeRight: "+", teeLeft: "+",
        spinner: ["|", "/", "-", "\\"],
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        barFull: "#", barEmpty: ".", barShade: "=", expanded: "v", collapsed: ">", arrow: "->", checked: "[x]", unchecked: "[ ]", ellipsis: "~")
}
