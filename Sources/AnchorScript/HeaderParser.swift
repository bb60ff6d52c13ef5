import AnchorCore
import Yams

/// Reads the front matter between the two `---` lines; marks are shifted to file lines.
struct HeaderParser {
    let source: SourceText
    /// The file line of the YAML's first line.
    let firstLine: Int
    var diagnostics: [Diagnostic] = []

    init(source: SourceText, firstLine: Int) {
        self.source = source
        self.firstLine = firstLine
    }

    mutating func parse(_ yaml: String) -> ShowHeader {
        var header = ShowHeader()
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            diagnostics.append(yamlDiagnostic(error))
            return header
        } catch {
            diagnostics.append(.error(at: location(line: 1, column: 1), "front matter is not valid YAML: \(error)"))
            return header
        }
        guard let root else { return header }
        guard case .mapping(let map) = root else {
            diagnostics.append(.error(at: location(root.mark), "front matter must be 'key: value' lines",
                                      hint: "for example:  title: Night skincare"))
            return header
        }
        for (keyNode, value) in map {
            let key = keyNode.string ?? ""
            let at = location(keyNode.mark)
            switch key {
            case "title": header.title = string(value, key)
            case "description": _ = string(value, key)
            case "voice": header.voice = string(value, key)
            case "avatar": if let a = string(value, key) { header.avatar = a }
            case "catalog": header.catalog = string(value, key)
            case "background": header.background = string(value, key)
            case "music": header.music = string(value, key); header.musicLocation = at
            case "language":
                guard let s = string(value, key) else { break }
                switch s.lowercased() {
                case "en", "en-us", "en-gb", "english": header.language = .en
                case "zh", "zh-cn", "cmn", "chinese", "中文": header.language = .zh
                default:
                    diagnostics.append(.error(at: location(value.mark), "unknown language '\(s)'; expected 'en' or 'zh'", length: s.unicodeScalars.count))
                }
            case "loop":
                if let b = value.bool { header.loop = b } else { typeError(value, key, "true or false") }
            case "seed":
                if let i = value.int, i >= 0 { header.seed = UInt64(i) } else { typeError(value, key, "a whole number ≥ 0") }
            case "style": header.particleRate = style(value)
            case "products": header.products = products(value)
            default:
                let suggestion = Spelling.suggestion(for: key, among: ShowHeader.knownKeys)
                diagnostics.append(.warning(
                    at: at, "unknown front-matter key '\(key)' is ignored", length: max(1, key.unicodeScalars.count),
                    hint: suggestion.map { "did you mean '\($0)'?" } ?? "known keys: " + ShowHeader.knownKeys.joined(separator: ", ")))
            }
        }
        return header
    }

    private mutating func string(_ node: Node, _ key: String) -> String? {
        if case .scalar(let s) = node { return s.string }
        typeError(node, key, "a text value")
        return nil
    }

    private mutating func typeError(_ node: Node, _ key: String, _ expected: String) {
        diagnostics.append(.error(at: location(node.mark), "'\(key)' must be \(expected)"))
    }

    private mutating func style(_ node: Node) -> Double? {
        switch node {
        case .scalar(let s):
            if let rate = ShowHeader.stylePresets[s.string.lowercased()] { return rate }
            let names = ShowHeader.stylePresets.keys.sorted().joined(separator: ", ")
            diagnostics.append(.error(at: location(node.mark), "unknown style '\(s.string)'; expected one of \(names), or 'particles: 0.4'"))
        case .mapping(let m):
            for (k, v) in m {
                guard k.string == "particles" else {
                    diagnostics.append(.warning(at: location(k.mark), "unknown style key '\(k.string ?? "")' is ignored", hint: "known: particles"))
                    continue
                }
                if let rate = v.float, (0...1).contains(rate) { return rate }
                typeError(v, "style.particles", "a number from 0 to 1")
            }
        default:
            typeError(node, "style", "a preset (plain, warm, lively) or 'particles: 0.4'")
        }
        return nil
    }

    private mutating func products(_ node: Node) -> ShowHeader.ProductSelection {
        switch node {
        case .scalar(let s):
            let text = s.string.trimmingCharacters(in: .whitespaces)
            if text.lowercased() == "all" { return .all }
            if text.lowercased().hasPrefix("tag:") {
                let tag = String(text.dropFirst(4)).trimmingCharacters(in: .whitespaces)
                if tag.isEmpty {
                    diagnostics.append(.error(at: location(node.mark), "'tag:' needs a tag name, e.g. 'tag:skincare'"))
                    return .none
                }
                return .tag(tag, location(node.mark))
            }
            if text.isEmpty { return .none }
            return .skus([(text, location(node.mark))])
        case .sequence(let seq):
            var skus: [(String, SourceLocation)] = []
            for item in seq {
                if case .scalar(let s) = item, !s.string.isEmpty {
                    skus.append((s.string, location(item.mark)))
                } else {
                    diagnostics.append(.error(at: location(item.mark), "each product must be a SKU such as SKU-1001"))
                }
            }
            return .skus(skus)
        default:
            diagnostics.append(.error(at: location(node.mark), "'products' must be a list of SKUs, 'tag:NAME' or 'all'"))
            return .none
        }
    }

    private func location(_ mark: Mark?) -> SourceLocation {
        location(line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        source.location(line: firstLine + line - 1, column: column)
    }

    private func yamlDiagnostic(_ error: YamlError) -> Diagnostic {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return .error(at: location(mark), "front matter is not valid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error(at: location(context.mark), "front matter repeats the key '\(duplicates.joined(separator: "', '"))'")
        case let .reader(problem, _, _, _):
            return .error(at: location(line: 1, column: 1), "front matter is not valid YAML: \(problem)")
        default:
            return .error(at: location(line: 1, column: 1), "front matter is not valid YAML: \(error)")
        }
    }
}
