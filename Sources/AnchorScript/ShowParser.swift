import AnchorCore

/// Parses a show file into `ShowSyntax`, collecting every diagnostic it can rather than
/// stopping at the first. Linear in the size of the file.
struct ShowParser {
    let source: SourceText
    private(set) var diagnostics = DiagnosticList()

    init(source: SourceText) { self.source = source }

    static let commands = ["each", "show", "link", "draw", "play", "music"]
    /// A lucky draw runs 10 s to 10 min; its keyword is short enough to type.
    static let drawSeconds = 10...600
    static let maxKeyword = 20
    /// Longer lines are refused: nobody says 2 000 characters in one breath, and a line's cost
    /// (variants, diagnostics that quote it) grows with its length.
    static let maxLineLength = 2_000

    mutating func parse() -> ShowSyntax {
        var lineIndex = 0
        let header = parseFrontMatter(&lineIndex)
        var segments: [SegmentSyntax] = []
        var commentStart: SourceLocation?

        while lineIndex < source.lines.count, !diagnostics.isFull {
            let number = lineIndex + 1
            let line = source.lines[lineIndex]
            lineIndex += 1
            var cursor = Cursor(line)

            if commentStart != nil {
                if line.containsSequence("-->") { commentStart = nil }
                continue
            }
            cursor.skipSpaces()
            if cursor.atEnd { continue }
            let col = cursor.column
            let at = source.location(line: number, column: col)
            if line.count > Self.maxLineLength {
                diagnostics.append(.error(at: source.location(line: number, column: Self.maxLineLength + 1),
                                          "line is \(line.count) characters long; a line may be at most \(Self.maxLineLength)",
                                          hint: "a line is one thing the host says: split it into several lines"))
                continue
            }

            if cursor.hasPrefix("<!--") {
                if !Array(line[(col - 1 + 4)...]).containsSequence("-->") { commentStart = at }
                continue
            }
            if cursor.peek == "#", let title = headingText(&cursor) {
                var inline = InlineParser(source: source, line: number, scalars: Array(line[..<title.end]), start: title.column - 1)
                let nodes = inline.parseAll()
                diagnostics.append(contentsOf: inline.diagnostics)
                segments.append(SegmentSyntax(title: nodes, titleText: title.text, location: at, eachProduct: false, lines: []))
                continue
            }
            if segments.isEmpty {
                // Lines before the first heading form an opening segment named after the show.
                let name = header.title ?? "Opening"
                segments.append(SegmentSyntax(title: [.text(name)], titleText: name, location: at, eachProduct: false, lines: []))
            }
            if cursor.peek == "@" {
                parseCommand(&cursor, at: at, into: &segments[segments.count - 1])
                continue
            }
            if let speech = parseSpeech(&cursor, lineNumber: number, at: at) {
                segments[segments.count - 1].lines.append(.speech(speech))
            }
        }
        if let start = commentStart {
            diagnostics.append(.error(at: start, "comment is never closed; expected '-->'", length: 4))
        }
        return ShowSyntax(header: header, segments: segments)
    }

    // MARK: Front matter

    private mutating func parseFrontMatter(_ lineIndex: inout Int) -> ShowHeader {
        guard let first = source.lines.first, String(String.UnicodeScalarView(first)).trimmingCharacters(in: .whitespaces) == "---" else {
            return ShowHeader()
        }
        var end = 1
        while end < source.lines.count {
            let text = String(String.UnicodeScalarView(source.lines[end])).trimmingCharacters(in: .whitespaces)
            if text == "---" || text == "..." { break }
            end += 1
        }
        guard end < source.lines.count else {
            diagnostics.append(.error(at: source.location(line: 1, column: 1), "front matter is never closed; expected a line '---' after it", length: 3))
            lineIndex = source.lines.count
            return ShowHeader()
        }
        let yaml = source.lines[1..<end].map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
        var parser = HeaderParser(source: source, firstLine: 2)
        let header = parser.parse(yaml)
        diagnostics.append(contentsOf: parser.diagnostics)
        lineIndex = end + 1
        return header
    }

    // MARK: Block elements

    /// The heading's text and where it starts and ends in the line (a closing `##` run is dropped).
    private func headingText(_ cursor: inout Cursor) -> (text: String, column: Int, end: Int)? {
        var probe = cursor
        var level = 0
        while probe.peek == "#" { probe.advance(); level += 1 }
        guard level <= 6, probe.atEnd || probe.peek == " " || probe.peek == "\t" else { return nil }
        probe.skipSpaces()
        var scalars = Array(probe.rest)
        // A closing run of '#' is decoration, as in Markdown.
        while let last = scalars.last, last == "#" || last == " " || last == "\t" { scalars.removeLast() }
        cursor = probe
        return (String(String.UnicodeScalarView(scalars)), probe.column, probe.index + scalars.count)
    }

    private mutating func parseCommand(_ cursor: inout Cursor, at: SourceLocation, into segment: inout SegmentSyntax) {
        cursor.advance()
        let name = cursor.word()
        cursor.skipSpaces()
        let argColumn = cursor.column
        let args = String(String.UnicodeScalarView(cursor.rest)).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let argAt = source.location(line: at.line, column: argColumn)
        switch name {
        case "each":
            guard args == ["product"] || args == ["products"] else {
                diagnostics.append(.error(at: argAt, "'@each' takes 'product'", length: max(1, args.joined(separator: " ").unicodeScalars.count),
                                          hint: "write '@each product' to repeat this segment once per product of the show"))
                return
            }
            if segment.eachProduct {
                diagnostics.append(.error(at: at, "'@each product' is already given for this segment", length: 5,
                                          hint: "a segment repeats once per product; start a new '#' segment for another loop"))
            } else if !segment.lines.isEmpty {
                diagnostics.append(.warning(at: at, "'@each product' applies to the whole segment, including the lines above it", length: 5))
            }
            segment.eachProduct = true
        case "show":
            let modes = CardMode.allCases.map(\.rawValue)
            guard args.count == 1, let mode = CardMode(rawValue: args[0]) else {
                let got = args.joined(separator: " ")
                diagnostics.append(.error(at: args.isEmpty ? at : argAt,
                                          args.isEmpty ? "'@show' needs what to show; expected card, price, gallery or none"
                                                       : "unknown '@show \(got)'; expected card, price, gallery or none",
                                          length: max(1, got.unicodeScalars.count),
                                          hint: Spelling.suggestion(for: args.first ?? "", among: modes).map { "did you mean '@show \($0)'?" }))
                return
            }
            segment.lines.append(.show(mode, at))
        case "link":
            guard args.isEmpty else {
                diagnostics.append(.error(at: argAt, "'@link' takes no arguments; it pins the current product's link",
                                          length: args.joined(separator: " ").unicodeScalars.count))
                return
            }
            segment.lines.append(.link(at))
        case "draw":
            let rest = String(String.UnicodeScalarView(cursor.rest)).trimmingCharacters(in: .whitespaces)
            if let (keyword, seconds) = parseDraw(rest, at: argAt, command: at) { segment.lines.append(.draw(keyword: keyword, seconds: seconds, at)) }
        case "play":
            let (cue, problems) = PlayCommand(source: source, line: at.line).parse(cursor.rest, column: argColumn, command: at)
            diagnostics.append(contentsOf: problems)
            if let cue { segment.lines.append(.play(cue, at)) }
        case "music":
            let (file, problems) = PlayCommand(source: source, line: at.line).parseMusic(cursor.rest, column: argColumn, command: at)
            diagnostics.append(contentsOf: problems)
            if let file { segment.lines.append(.music(file.isEmpty ? nil : file, at)) }
        default:
            let suggestion = Spelling.suggestion(for: name, among: Self.commands)
            diagnostics.append(.error(at: at, name.isEmpty ? "'@' must be followed by a command" : "unknown command '@\(name)'",
                                      length: name.unicodeScalars.count + 1,
                                      hint: suggestion.map { "did you mean '@\($0)'?" } ?? "commands are @each product, @show card|price|gallery|none, @link, @draw \"keyword\" 60s, @play FILE, @music FILE|off"))
        }
    }

    /// `"keyword" 60s` (or `keyword 2m`): what viewers type to enter, and how long entries are taken.
    private mutating func parseDraw(_ rest: String, at: SourceLocation, command: SourceLocation) -> (String, Int)? {
        let usage = "write '@draw \"lucky\" 60s': viewers who type the keyword within the time enter, and one of them wins"
        var keyword: String
        var tail: Substring
        if rest.hasPrefix("\"") || rest.hasPrefix("“") {
            let body = rest.dropFirst()
            guard let close = body.firstIndex(where: { $0 == "\"" || $0 == "”" }) else {
                diagnostics.append(.error(at: at, "unterminated keyword; expected a closing '\"'", length: rest.unicodeScalars.count, hint: usage))
                return nil
            }
            keyword = String(body[..<close])
            tail = body[body.index(after: close)...]
        } else {
            let word = rest.prefix { $0 != " " && $0 != "\t" }
            keyword = String(word)
            tail = rest[word.endIndex...]
        }
        keyword = keyword.trimmingCharacters(in: .whitespaces)
        let time = tail.trimmingCharacters(in: .whitespaces)
        guard !keyword.isEmpty else {
            diagnostics.append(.error(at: rest.isEmpty ? command : at, "'@draw' needs the keyword viewers type to enter", length: max(1, rest.unicodeScalars.count), hint: usage))
            return nil
        }
        guard keyword.count <= Self.maxKeyword, keyword.unicodeScalars.allSatisfy({ !$0.properties.isWhitespace || $0 == " " }),
              !keyword.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) else {
            diagnostics.append(.error(at: at, "the keyword must be 1 to \(Self.maxKeyword) characters a viewer can type", length: max(1, rest.unicodeScalars.count), hint: usage))
            return nil
        }
        let timeAt = source.location(line: at.line, column: at.column + rest.unicodeScalars.count - time.unicodeScalars.count)
        guard !time.isEmpty else {
            diagnostics.append(.error(at: command, "'@draw' needs how long it runs, e.g. 60s or 2m", length: 5, hint: usage))
            return nil
        }
        // In seconds or minutes, with the unit (a bare number could be either); `Parse` refuses what does not fit.
        let ms = time.hasSuffix("s") || time.hasSuffix("m") ? Parse.milliseconds(time) : nil
        guard let ms, ms % 1000 == 0, Self.drawSeconds.contains(ms / 1000) else {
            diagnostics.append(.error(at: timeAt, "a draw runs \(Self.drawSeconds.lowerBound)s to \(Self.drawSeconds.upperBound / 60)m in whole seconds, not '\(time.prefix(40))'",
                                      length: max(1, time.unicodeScalars.count), hint: usage))
            return nil
        }
        return (keyword, ms / 1000)
    }

    private mutating func parseSpeech(_ cursor: inout Cursor, lineNumber: Int, at: SourceLocation) -> SpeechLine? {
        // A Markdown list bullet is decoration: each item is a line to say.
        if (cursor.peek == "-" || cursor.peek == "+" || cursor.peek == "*"), cursor.peek(1) == " " {
            cursor.advance(); cursor.skipSpaces()
        }
        var intent: Intent?
        if cursor.peek == "[" {
            let tagAt = source.location(line: lineNumber, column: cursor.column)
            guard let close = cursor.rest.firstIndex(of: "]") else {
                diagnostics.append(.error(at: tagAt, "unterminated intent tag; expected ']'",
                                          hint: "a line may start with an intent such as [price]; write \\[ for a literal bracket"))
                return nil
            }
            let name = String(String.UnicodeScalarView(cursor.rest[..<close])).dropFirst().trimmingCharacters(in: .whitespaces)
            let length = cursor.rest.distance(from: cursor.rest.startIndex, to: close) + 1
            if let known = Intent(rawValue: name.lowercased()) {
                intent = known
            } else {
                let suggestion = Spelling.suggestion(for: name, among: Intent.allCases.map(\.rawValue))
                diagnostics.append(.warning(at: tagAt, "unknown intent '[\(name)]'; the line is tagged automatically", length: length,
                                            hint: suggestion.map { "did you mean '[\($0)]'?" }
                                                ?? "intents: " + Intent.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            for _ in 0..<length { cursor.advance() }
            cursor.skipSpaces()
            if cursor.atEnd {
                diagnostics.append(.warning(at: tagAt, "intent tag with nothing to say", length: length))
                return nil
            }
        }
        var inline = InlineParser(source: source, line: lineNumber, scalars: cursor.line, start: cursor.column - 1)
        let nodes = inline.parseAll()
        diagnostics.append(contentsOf: inline.diagnostics)
        return SpeechLine(intent: intent, inlines: nodes, location: at)
    }
}

extension Collection where Element == Unicode.Scalar {
    func containsSequence(_ s: String) -> Bool {
        let needle = Array(s.unicodeScalars)
        let hay = Array(self)
        guard hay.count >= needle.count else { return false }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
}
