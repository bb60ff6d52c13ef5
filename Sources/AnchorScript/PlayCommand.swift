import AnchorCore
import Foundation

/// Parses the arguments of `@play FILE [full|window|card] [wait|talk] [mute|volume 50%|volume -6dB] [from 5s] [for 10s]`.
struct PlayCommand {
    static let usage = "write '@play ad.mp4 full', '@play demo.mp4 window talk volume 30%' or '@play photo.png card for 4s'"
    static let words = PlayCue.Placement.allCases.map(\.rawValue) + ["wait", "talk", "mute", "volume", "from", "for"]

    let source: SourceText
    let line: Int

    /// A word of the arguments and the column it starts at.
    struct Token { var text: String; var column: Int; var quoted: Bool }

    func parse(_ args: ArraySlice<Unicode.Scalar>, column: Int, command: SourceLocation) -> (PlayCue?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        func error(_ t: Token?, _ message: String, hint: String? = PlayCommand.usage) {
            let at = t.map { source.location(line: line, column: $0.column) } ?? command
            diagnostics.append(.error(at: at, message, length: max(1, t?.text.unicodeScalars.count ?? 5), hint: hint))
        }
        let tokens: [Token]
        switch Self.tokens(args, column: column) {
        case .success(let t): tokens = t
        case .failure(let bad):
            error(bad.token, "unterminated file name; expected a closing '\"'")
            return (nil, diagnostics)
        }
        guard let file = tokens.first, !file.text.isEmpty else {
            error(nil, "'@play' needs the clip or picture to play")
            return (nil, diagnostics)
        }
        var cue = PlayCue(file: source.resolve(file.text))
        var placement: PlayCue.Placement?, waits: Bool?, gain: Double?? = nil
        var i = 1
        func value(_ name: String) -> Token? {
            guard i + 1 < tokens.count else { error(tokens[i], "'\(name)' needs a value"); i += 1; return nil }
            i += 2
            return tokens[i - 1]
        }
        while i < tokens.count {
            let t = tokens[i]
            switch t.quoted ? "" : t.text.lowercased() {
            case "full", "window", "card":
                if placement != nil { error(t, "where the clip plays is already given") }
                placement = PlayCue.Placement(rawValue: t.text.lowercased())
                i += 1
            case "wait", "talk":
                if waits != nil { error(t, "'wait' or 'talk' is already given") }
                waits = t.text.lowercased() == "wait"
                i += 1
            case "mute":
                gain = .some(nil)
                i += 1
            case "volume":
                guard let v = value("volume") else { continue }
                guard let g = Self.gain(v.text) else {
                    error(v, "volume takes a percentage (0% to 400%) or decibels (-60dB to +12dB), not '\(v.text)'")
                    continue
                }
                gain = .some(g)
            case "from", "for":
                let name = t.text.lowercased()
                guard let v = value(name) else { continue }
                guard let ms = Parse.milliseconds(v.text), ms <= 24 * 3_600_000 else {
                    error(v, "'\(name)' takes a time like 5s, 1m30s or 400ms, not '\(v.text)'")
                    continue
                }
                if name == "from" {
                    cue.from = ms
                } else if ms < 100 {
                    error(v, "'for' must be at least 100ms")
                } else {
                    cue.length = ms
                }
            default:
                let suggestion = Spelling.suggestion(for: t.text.lowercased(), among: Self.words)
                error(t, "unknown '@play' option '\(t.text)'", hint: suggestion.map { "did you mean '\($0)'?" } ?? Self.usage)
                i += 1
            }
        }
        cue.placement = placement ?? .full
        cue.waits = waits ?? (cue.placement == .full)
        if let gain { cue.gain = gain }
        return (diagnostics.isEmpty ? cue : nil, diagnostics)
    }

    /// `@music FILE` (the path, resolved) or `@music off` (an empty path); nil after a problem.
    func parseMusic(_ args: ArraySlice<Unicode.Scalar>, column: Int, command: SourceLocation) -> (String?, [Diagnostic]) {
        let usage = "write '@music beds/calm.ogg' to change the music under the show from here, or '@music off'"
        guard case .success(let tokens) = Self.tokens(args, column: column), tokens.count == 1, !tokens[0].text.isEmpty else {
            let at = args.isEmpty ? command : source.location(line: line, column: column)
            return (nil, [.error(at: at, "'@music' takes one file, or 'off'", length: max(1, args.count), hint: usage)])
        }
        let t = tokens[0]
        return (!t.quoted && t.text.lowercased() == "off" ? "" : source.resolve(t.text), [])
    }

    /// `50%` or `-6dB` as decibels; `0%` is nil (muted).
    static func gain(_ text: String) -> Double?? {
        let t = text.lowercased()
        if t.hasSuffix("%"), let p = Double(t.dropLast()), p.isFinite, (0...400).contains(p) {
            return p == 0 ? .some(nil) : .some(20 * log10(p / 100))
        }
        if t.hasSuffix("db"), let d = Double(t.dropLast(2)), d.isFinite, (-60...12).contains(d) { return .some(d) }
        return nil
    }

    /// Words split at spaces; a `"quoted name"` is one word.
    static func tokens(_ s: ArraySlice<Unicode.Scalar>, column: Int) -> Result<[Token], TokenError> {
        var out: [Token] = []
        var i = s.startIndex
        func col(_ k: Int) -> Int { column + (k - s.startIndex) }
        while i < s.endIndex {
            if s[i] == " " || s[i] == "\t" { i += 1; continue }
            if s[i] == "\"" || s[i] == "“" {
                guard let close = s[(i + 1)...].firstIndex(where: { $0 == "\"" || $0 == "”" }) else {
                    return .failure(TokenError(token: Token(text: String(String.UnicodeScalarView(s[i...])), column: col(i), quoted: true)))
                }
                out.append(Token(text: String(String.UnicodeScalarView(s[(i + 1)..<close])), column: col(i), quoted: true))
                i = close + 1
                continue
            }
            let start = i
            while i < s.endIndex, s[i] != " ", s[i] != "\t" { i += 1 }
            out.append(Token(text: String(String.UnicodeScalarView(s[start..<i])), column: col(start), quoted: false))
        }
        return .success(out)
    }

    struct TokenError: Error { var token: Token }
}
