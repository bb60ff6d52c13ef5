import AnchorCore

/// Parses the inline grammar of one line: text, `*stress*`, `{variable}`, `{a|b}` variants and
/// `{pause 400ms}` / `{countdown 3}` / `{gesture wave}` directives. `\` escapes the next character.
struct InlineParser {
    let source: SourceText
    let line: Int
    let scalars: [Unicode.Scalar]
    private var index: Int
    private(set) var diagnostics: [Diagnostic] = []

    static let directives = ["pause", "countdown", "gesture"]
    /// Gestures of the default rig; an avatar may know more, so others are warnings.
    static let gestures = ["wave", "point", "open", "nod", "countdown", "clap", "heart", "think", "shrug", "thumbs_up"]
    static let maxDepth = 8
    static let maxPauseMs = 10_000
    static let maxVariants = 64

    init(source: SourceText, line: Int, scalars: [Unicode.Scalar], start: Int) {
        self.source = source
        self.line = line
        self.scalars = scalars
        self.index = start
    }

    mutating func parseAll() -> [Inline] {
        parseSequence(stopAt: [], depth: 0, inStress: false)
    }

    private func at(_ i: Int) -> SourceLocation { source.location(line: line, column: i + 1) }
    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func parseSequence(stopAt: Set<Unicode.Scalar>, depth: Int, inStress: Bool) -> [Inline] {
        var nodes: [Inline] = []
        var text = String.UnicodeScalarView()
        func flush() {
            if !text.isEmpty { nodes.append(.text(String(text))); text.removeAll() }
        }
        while let s = peek {
            if stopAt.contains(s) { break }
            switch s {
            case "\\":
                index += 1
                if let next = peek { text.append(next); index += 1 } else { text.append("\\") }
            case "*":
                let next = index + 1 < scalars.count ? scalars[index + 1] : nil
                if inStress || next == nil || next == " " || next == "\t" || next == "*" {
                    text.append(s); index += 1
                    if next == "*" { text.append("*"); index += 1 }
                    continue
                }
                flush()
                let start = index
                index += 1
                let inner = parseSequence(stopAt: stopAt.union(["*"]), depth: depth, inStress: true)
                if peek == "*" {
                    index += 1
                    nodes.append(.stress(inner, at(start)))
                } else {
                    diagnostics.append(.error(at: at(start), "unterminated stress; expected a closing '*'",
                                              hint: "stress a word as *word*; write \\* for a literal asterisk"))
                    nodes.append(contentsOf: inner)
                }
            case "{":
                flush()
                if let node = parseBrace(depth: depth) { nodes.append(node) }
            case "}":
                diagnostics.append(.error(at: at(index), "unmatched '}'", hint: "write \\} for a literal brace"))
                index += 1
            default:
                text.append(s); index += 1
            }
        }
        flush()
        return nodes
    }

    private mutating func parseBrace(depth: Int) -> Inline? {
        let start = index
        index += 1
        if depth >= Self.maxDepth {
            diagnostics.append(.error(at: at(start), "braces nested more than \(Self.maxDepth) deep"))
            skipToClosingBrace()
            return nil
        }
        var options: [[Inline]] = []
        while true {
            options.append(parseSequence(stopAt: ["|", "}"], depth: depth + 1, inStress: false))
            guard let s = peek else {
                diagnostics.append(.error(at: at(start), "unterminated '{'; expected '}' before the end of the line",
                                          hint: "write \\{ for a literal brace"))
                return nil
            }
            index += 1
            if s == "}" { break }
        }
        let end = index
        let length = end - start
        if options.count > Self.maxVariants {
            diagnostics.append(.error(at: at(start), "\(options.count) variants in one '{…}'; at most \(Self.maxVariants)", length: length,
                                      hint: "a few ways to say the same thing are enough; split long lists over several lines"))
            return nil
        }
        if options.count > 1 {
            warnAboutRepeatedVariants(options, at: start, length: length)
            return .variants(options, at(start))
        }
        // One option: a directive or a variable, written as plain text.
        guard case .text(let raw)? = options[0].first, options[0].count == 1 else {
            if options[0].isEmpty {
                diagnostics.append(.error(at: at(start), "empty '{}'; expected a variable, a directive or variants like {a|b}", length: length))
            } else {
                diagnostics.append(.error(at: at(start), "expected a variable, a directive or variants like {a|b} inside '{…}'", length: length))
            }
            return nil
        }
        let content = raw.trimmingCharacters(in: .whitespaces)
        let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.count >= 2 || Self.directives.contains(words.first ?? "") {
            return directive(words, at: start, length: length)
        }
        return variable(content, at: start, length: length)
    }

    /// `{a|b|a}`: the second `a` can never say anything the first does not. One warning per
    /// brace, however many repeats it has.
    private mutating func warnAboutRepeatedVariants(_ options: [[Inline]], at start: Int, length: Int) {
        var seen: [String: Int] = [:]
        var repeats: [(index: Int, first: Int, text: String)] = []
        for (i, option) in options.enumerated() {
            let key = option.map(\.canonical).joined().trimmingCharacters(in: .whitespaces)
            if let first = seen[key] { repeats.append((i, first, key)) } else { seen[key] = i }
        }
        guard let r = repeats.first else { return }
        let shown = r.text.isEmpty ? "(nothing)" : "'\(r.text.prefix(40))'"
        let more = repeats.count > 1 ? " (and \(repeats.count - 1) more repeated variant\(repeats.count == 2 ? "" : "s"))" : ""
        diagnostics.append(.warning(at: at(start), "variant \(r.index + 1) \(shown) repeats variant \(r.first + 1)\(more); it is unreachable as a different choice",
                                    length: length, hint: "remove it, or write another way to say it"))
    }

    private mutating func skipToClosingBrace() {
        var depth = 1
        while let s = peek, depth > 0 {
            if s == "{" { depth += 1 } else if s == "}" { depth -= 1 }
            index += 1
        }
    }

    private mutating func directive(_ words: [String], at start: Int, length: Int) -> Inline? {
        let loc = at(start)
        let name = words[0], args = Array(words.dropFirst())
        switch name {
        case "pause":
            guard args.count == 1, let ms = Self.milliseconds(args[0]) else {
                diagnostics.append(.error(at: loc, "'{pause}' needs a duration like 400ms or 1.5s", length: length))
                return nil
            }
            // Checked as a Double: a value like 1e19ms does not fit an Int.
            guard ms >= 1, ms <= Double(Self.maxPauseMs) else {
                diagnostics.append(.error(at: loc, "pause of \(args[0]) is out of range; expected 1ms to \(Self.maxPauseMs / 1000)s", length: length))
                return nil
            }
            return .directive(.pause(milliseconds: Int(ms)), loc)
        case "countdown":
            guard args.count == 1, let n = Int(args[0]), (1...10).contains(n) else {
                diagnostics.append(.error(at: loc, "'{countdown}' needs a whole number of seconds from 1 to 10, e.g. {countdown 3}", length: length))
                return nil
            }
            return .directive(.countdown(n), loc)
        case "gesture":
            guard args.count == 1 else {
                diagnostics.append(.error(at: loc, "'{gesture}' needs one gesture name, e.g. {gesture wave}", length: length,
                                          hint: "gestures: " + Self.gestures.joined(separator: ", ")))
                return nil
            }
            if !Self.gestures.contains(args[0]) {
                let suggestion = Spelling.suggestion(for: args[0], among: Self.gestures)
                diagnostics.append(.warning(at: loc, "unknown gesture '\(args[0])'; the default avatar does not have it", length: length,
                                            hint: suggestion.map { "did you mean '\($0)'?" } ?? "gestures: " + Self.gestures.joined(separator: ", ")))
            }
            return .directive(.gesture(args[0]), loc)
        default:
            let suggestion = Spelling.suggestion(for: name, among: Self.directives)
            diagnostics.append(.error(at: loc, "unknown directive '\(name)'", length: length,
                                      hint: suggestion.map { "did you mean '{\($0) …}'?" } ?? "directives: {pause 400ms}, {countdown 3}, {gesture wave}; variants are written {a|b}"))
            return nil
        }
    }

    private mutating func variable(_ content: String, at start: Int, length: Int) -> Inline? {
        let parts = content.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let valid = !parts.isEmpty && parts.allSatisfy { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        }
        guard valid else {
            diagnostics.append(.error(at: at(start), "'{\(content)}' is not a variable; expected a name like {product.name}", length: length,
                                      hint: "write \\{ for a literal brace, or {a|b} for variants"))
            return nil
        }
        return .variable(VariablePath(parts: parts), at(start))
    }

    /// `400ms`, `1.5s`, `2s` → whole milliseconds, any finite size (the caller checks the range).
    static func milliseconds(_ s: String) -> Double? {
        let lower = s.lowercased()
        let value: Double
        if lower.hasSuffix("ms"), let v = Double(lower.dropLast(2)) { value = v }
        else if lower.hasSuffix("s"), let v = Double(lower.dropLast()) { value = v * 1000 }
        else { return nil }
        return value.isFinite ? value.rounded() : nil
    }
}
