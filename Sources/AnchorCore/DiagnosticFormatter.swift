/// Renders diagnostics the way clang and swiftc do: `file:line:col: error: …`, the source
/// line, and a caret under the offending column (aligned for wide CJK characters).
public struct DiagnosticFormatter: Sendable {
    public var useColor: Bool

    public init(useColor: Bool = false) { self.useColor = useColor }

    /// - Parameter sourceLine: returns the text of a line of a file, when it is known.
    public func format(_ d: Diagnostic, sourceLine: (SourceLocation) -> String?) -> String {
        let label: String
        switch d.severity {
        case .error: label = paint("error:", "1;31")
        case .warning: label = paint("warning:", "1;35")
        }
        var out = paint("\(d.location):", "1") + " " + label + " " + paint(d.message, "1")
        if let line = sourceLine(d.location) {
            let (shown, column) = Self.window(Self.visible(line), column: d.location.column)
            let gutter = String(d.location.line)
            let prefix = String(shown.unicodeScalars.prefix(column - 1).map(Character.init))
            let underlined = String(shown.unicodeScalars.dropFirst(column - 1).prefix(d.length).map(Character.init))
            let pad = String(repeating: " ", count: TextWidth.columns(prefix))
            let marks = "^" + String(repeating: "~", count: max(0, TextWidth.columns(underlined) - 1))
            out += "\n \(gutter) | \(shown)"
            out += "\n \(String(repeating: " ", count: gutter.count)) | \(pad)\(paint(marks, "1;32"))"
        }
        if let hint = d.hint {
            out += "\n" + paint("hint:", "1;36") + " " + hint
        }
        return out
    }

    /// A one-line summary: `2 errors, 1 warning`.
    public static func summary(_ diagnostics: [Diagnostic]) -> String {
        let e = diagnostics.errorCount, w = diagnostics.warningCount
        return "\(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")"
    }

    private func paint(_ s: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    /// At most this many characters of a source line are quoted, around the column.
    static let maxShown = 120

    /// A long line is cut to a window around the column, with `…` where text was left out;
    /// returns the text to show and the column within it.
    static func window(_ line: String, column: Int) -> (String, Int) {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count > maxShown else { return (line, column) }
        let start = min(max(0, column - 1 - maxShown / 3), scalars.count - maxShown)
        let end = start + maxShown
        var out = String.UnicodeScalarView(scalars[start..<end])
        var col = column - start
        if start > 0 { out.insert("…", at: out.startIndex); col += 1 }
        if end < scalars.count { out.append("…") }
        return (String(out), col)
    }

    /// Tabs become one space and other control characters a visible `�`, so the caret lines up.
    static func visible(_ line: String) -> String {
        String(String.UnicodeScalarView(line.unicodeScalars.map { s -> Unicode.Scalar in
            if s == "\t" { return " " }
            if s.value < 0x20 || s.value == 0x7F { return "\u{FFFD}" }
            return s
        }))
    }
}
