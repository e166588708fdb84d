/// Every key binding with its help text; the footer and the `?` overlay are generated from it.
public struct KeyBinding: Sendable, Hashable {
    public let keys: String
    public let help: String
    /// A one- or two-word label for the footer.
    public let short: String
    /// Nil: everywhere.
    public let pane: Pane?
    /// Shown in the footer (the overlay shows all).
    public let footer: Bool

    init(keys: String, help: String, short: String? = nil, pane: Pane?, footer: Bool) {
        self.keys = keys
        self.help = help
        self.short = short ?? help
        self.pane = pane
        self.footer = footer
    }
}

public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        .init(keys: "↑/↓ j/k", help: "move", pane: nil, footer: true),
        .init(keys: "g/G", help: "first / last", pane: nil, footer: false),
        .init(keys: "PgUp/PgDn", help: "page through the list (Phases: scroll the detail)", pane: nil, footer: false),
        .init(keys: "Tab/S-Tab", help: "next / previous pane", short: "pane", pane: nil, footer: true),
        .init(keys: "1-4", help: "jump to Phases, Output, Schema, Toggles", pane: nil, footer: false),
        .init(keys: "mouse", help: "click: select a tab, phase, file or entity; wheel: move", pane: nil, footer: false),
        .init(keys: "r", help: "re-run everything", short: "re-run", pane: nil, footer: true),
        .init(keys: "R", help: "re-run from the selected phase, reusing earlier results", short: "re-run from here", pane: .phases, footer: true),
        .init(keys: "e", help: "open the selected error's file:line in $EDITOR, re-run on exit", short: "edit", pane: .phases, footer: true),
        .init(keys: "n/p", help: "select the next / previous error", pane: .phases, footer: false),
        .init(keys: "t", help: "the last run's timeline / the phase's detail", short: "timeline", pane: .phases, footer: true),
        .init(keys: "Enter", help: "open / close the folder", short: "open", pane: .output, footer: true),
        .init(keys: "→/←", help: "open folder / close folder (or go to its parent)", pane: .output, footer: false),
        .init(keys: "J/K", help: "scroll the preview", pane: .output, footer: false),
        .init(keys: "d", help: "a changed (~) file: its diff against the previous generation / its full text", short: "diff", pane: .output, footer: true),
        .init(keys: "/", help: "filter files", short: "filter", pane: .output, footer: true),
        .init(keys: "Esc", help: "clear the filter", pane: .output, footer: false),
        .init(keys: "Enter", help: "fields / follow a relation or reference / open a generated file or endpoint's router", short: "follow/open", pane: .schema, footer: true),
        .init(keys: "Esc", help: "back (clears the search)", short: "back", pane: .schema, footer: true),
        .init(keys: "m", help: "the model's relation map / its fields", short: "map", pane: .schema, footer: true),
        .init(keys: "/", help: "search models and enums", short: "search", pane: .schema, footer: true),
        .init(keys: "space", help: "toggle the selected phase", short: "toggle", pane: .toggles, footer: true),
        .init(keys: "s", help: "toggle standalone mode", short: "standalone", pane: nil, footer: true),
        .init(keys: "?", help: "help", pane: nil, footer: true),
        .init(keys: "Ctrl-C", help: "cancel the run (twice: quit)", pane: nil, footer: false),
        .init(keys: "q", help: "quit", pane: nil, footer: true),
    ]

    public static func footer(for pane: Pane) -> [KeyBinding] {
        let specific = bindings.filter { $0.footer && $0.pane == pane }
        let global = bindings.filter { $0.footer && $0.pane == nil }
        return specific + global
    }
}
