import AnchorCore
import Foundation
import Yams

/// Reply rules from `*.rules.yaml`: patterns (keywords, regex, all-of; per language) →
/// reply variants with intents, and a cooldown.
public struct RuleBook: Sendable {
    public struct Rule: Sendable {
        public var id: String
        /// Any of these matches (whole words for Latin text, substrings for Chinese).
        public var any: [String]
        /// All of these must match too.
        public var all: [String]
        public var regex: [String]
        public var language: ChatText.ChatLanguage?
        /// Only for short messages (a greeting, not a question that starts with "hi").
        public var maxWords: Int?
        public var replies: [ChatText.ChatLanguage: [String]]
        public var cooldown: Double
        /// Rules that only apply with no product question in the message.
        public var yieldsToProductQuestions: Bool
    }

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public var rules: [Rule]
    /// How viewers say it → how catalogs say it (`weigh: [weight]`, `mianmo: [面膜]`), from the
    /// rules files' `synonyms:` maps; keys and values are search terms.
    public var synonyms: [String: [String]]
    /// The host's own wordings, per language, from the rules files' `templates:` map
    /// (`fallback`, `fallback_merged`, `merged`, `which_one`, `friend`); see `template(_:_:)`.
    public var templates: [String: [ChatText.ChatLanguage: [String]]]
    /// When gifts, follows and likes are thanked (`thanks:`; nil: not set in these files).
    public var thanks: ThanksPolicy?
    private let compiled: [[NSRegularExpressionBox]]

    /// The templates the responder uses, with the placeholders each may hold.
    public static let templateKeys = ["fallback": "{user}", "fallback_merged": "{users}", "merged": "{users} {answer}",
                                      "which_one": "{user} {products}", "friend": "",
                                      "thanks_gift": "{users} {gifts}", "thanks_follow": "{users}", "thanks_share": "{users}",
                                      "thanks_join": "{users}", "thanks_likes": "{count}", "paid_message": "{user} {amount} {text}",
                                      "draw_open": "{keyword} {seconds}", "draw_winner": "{user} {count} {keyword}", "draw_nobody": "{keyword}"]

    public init(rules: [Rule], synonyms: [String: [String]] = [:], templates: [String: [ChatText.ChatLanguage: [String]]] = [:],
                thanks: ThanksPolicy? = nil) throws(LoadError) {
        self.rules = rules
        self.synonyms = synonyms
        self.templates = templates
        self.thanks = thanks
        var c: [[NSRegularExpressionBox]] = []
        for r in rules {
            var list: [NSRegularExpressionBox] = []
            for pattern in r.regex {
                guard let re = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else {
                    throw LoadError(description: "rule '\(r.id)': bad regex \(pattern)")
                }
                list.append(NSRegularExpressionBox(re))
            }
            c.append(list)
        }
        compiled = c
    }

    /// Loads every `*.rules.yaml` in a folder, or one file.
    public static func load(_ path: String) throws(LoadError) -> RuleBook {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw LoadError(description: "\(path): no such file or folder") }
        let files = isDir.boolValue
            ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".rules.yaml") }.sorted().map { path + "/" + $0 }
            : [path]
        var rules: [Rule] = []
        var synonyms: [String: [String]] = [:]
        var templates: [String: [ChatText.ChatLanguage: [String]]] = [:]
        var thanks: ThanksPolicy?
        for f in files {
            let (r, s, t, th) = try parse(file: f)
            rules += r
            synonyms.merge(s) { $0 + $1 }
            templates.merge(t) { $1 }
            thanks = th ?? thanks
        }
        return try RuleBook(rules: rules, synonyms: synonyms, templates: templates, thanks: thanks)
    }

    /// A wording in a language (the first variant; English when the language has none), or nil.
    public func template(_ key: String, _ language: ChatText.ChatLanguage) -> String? {
        guard let byLanguage = templates[key] else { return nil }
        return (byLanguage[language] ?? byLanguage[.en])?.first
    }

    /// The word for a viewer whose name may not be said ("friend", "朋友"), from the templates.
    public func friend(_ language: ChatText.ChatLanguage) -> String {
        template("friend", language) ?? (language == .zh ? "朋友" : "friend")
    }

    /// This book with the templates (and thanks settings) it lacks taken from `base` (anchor's
    /// own rules file), so a seller's rules need only say what they change.
    public func filling(templatesFrom base: RuleBook) throws(LoadError) -> RuleBook {
        try RuleBook(rules: rules, synonyms: synonyms, templates: base.templates.merging(templates) { $1 }, thanks: thanks ?? base.thanks)
    }

    /// Seconds from a YAML number or a duration (`"10s"`, `"2m"`, `"1h"`: `Parse.milliseconds`).
    static func seconds(_ value: Any) -> Double? {
        if let n = numericValue(value) { return n }
        return (value as? String).flatMap { Parse.milliseconds($0.replacingOccurrences(of: " ", with: "")) }.map { Double($0) / 1000 }
    }

    static func parse(file: String) throws(LoadError) -> ([Rule], [String: [String]], [String: [ChatText.ChatLanguage: [String]]], ThanksPolicy?) {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw LoadError(description: "\(file): cannot read") }
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw LoadError(description: "\(file): \(error)") }
        guard let dict = root as? [String: Any], let list = dict["rules"] as? [[String: Any]] else {
            throw LoadError(description: "\(file): expected a 'rules:' list")
        }
        var synonyms: [String: [String]] = [:]
        if let map = dict["synonyms"] {
            guard let map = map as? [String: Any] else { throw LoadError(description: "\(file): 'synonyms' must map a word to a list of words") }
            for (k, v) in map {
                let words = (v as? [Any])?.map { "\($0)" } ?? [(v as? String) ?? "\(v)"]
                for key in ChatText.terms(k) { synonyms[key, default: []] += words.flatMap { ChatText.terms($0) } }
            }
        }
        var templates: [String: [ChatText.ChatLanguage: [String]]] = [:]
        if let map = dict["templates"] {
            guard let map = map as? [String: Any] else { throw LoadError(description: "\(file): 'templates' must map a name to replies per language") }
            for (key, value) in map {
                guard templateKeys[key] != nil else {
                    throw LoadError(description: "\(file): unknown template '\(key)' (templates: \(templateKeys.keys.sorted().joined(separator: ", ")))")
                }
                guard let byLanguage = value as? [String: Any] else { throw LoadError(description: "\(file): template '\(key)' needs replies per language (en:, zh:)") }
                for (k, v) in byLanguage {
                    guard let lang = ChatText.ChatLanguage(rawValue: k) else { throw LoadError(description: "\(file): template '\(key)': language '\(k)' (use en or zh)") }
                    templates[key, default: [:]][lang] = (v as? [Any])?.map { "\($0)" } ?? [(v as? String) ?? "\(v)"]
                }
            }
        }
        var thanks: ThanksPolicy?
        if let map = dict["thanks"] {
            guard let map = map as? [String: Any] else { throw LoadError(description: "\(file): 'thanks' must map settings to values (window: 6s, every: 10s, …)") }
            thanks = try ThanksPolicy(yaml: map, file: file)
        }
        let rules = try list.enumerated().map { (i, r) throws(LoadError) -> Rule in
            let id = r["id"] as? String ?? "rule-\(i + 1)"
            func strings(_ key: String) -> [String] {
                if let s = r[key] as? String { return [s] }
                return (r[key] as? [Any])?.map { "\($0)" } ?? []
            }
            var replies: [ChatText.ChatLanguage: [String]] = [:]
            if let byLang = r["reply"] as? [String: Any] {
                for (k, v) in byLang {
                    guard let lang = ChatText.ChatLanguage(rawValue: k) else { throw LoadError(description: "\(file): rule '\(id)': reply language '\(k)' (use en or zh)") }
                    replies[lang] = (v as? [Any])?.map { "\($0)" } ?? [(v as? String) ?? ""]
                }
            } else if let list = r["reply"] as? [Any] {
                replies[.en] = list.map { "\($0)" }
            }
            guard !replies.isEmpty else { throw LoadError(description: "\(file): rule '\(id)' has no reply") }
            let any = strings("any"), regex = strings("regex")
            guard !any.isEmpty || !regex.isEmpty else { throw LoadError(description: "\(file): rule '\(id)' needs 'any' keywords or a 'regex'") }
            var cooldown = 0.0
            if let c = r["cooldown"] {
                guard let s = seconds(c), s >= 0 else { throw LoadError(description: "\(file): rule '\(id)': cooldown '\(c)' (use 10s, 2m or a number of seconds)") }
                cooldown = s
            }
            return Rule(id: id, any: any.map { ChatText($0).normalized }, all: strings("all").map { ChatText($0).normalized }, regex: regex,
                        language: (r["lang"] as? String).flatMap(ChatText.ChatLanguage.init), maxWords: r["max_words"] as? Int,
                        replies: replies, cooldown: cooldown, yieldsToProductQuestions: r["yields_to_products"] as? Bool ?? true)
        }
        return (rules, synonyms, templates, thanks)
    }

    /// Text left for the seller to fill in: "(SELLER: …)", "TODO", "<…>", "（商家…）".
    public static func placeholders(in reply: String) -> [String] {
        let s = reply as NSString
        return placeholderPattern.re.matches(in: reply, range: NSRange(location: 0, length: s.length)).map { s.substring(with: $0.range) }
    }

    /// A reply as it may be spoken: placeholders left in it are cut out, never read aloud.
    public static func speakable(_ reply: String) -> String {
        placeholderPattern.re.stringByReplacingMatches(in: reply, range: NSRange(reply.startIndex..., in: reply), withTemplate: "")
            .replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
    }

    static let placeholderPattern = NSRegularExpressionBox(try! NSRegularExpression(
        pattern: #"\s*[(（][^()（）]*(SELLER|seller|TODO|商家)[^()（）]*[)）]|\bTODO\b:?|<[^<>{}]{1,80}>"#))

    /// The first rule that matches, with its index.
    public func match(_ text: ChatText) -> (index: Int, rule: Rule)? {
        let words = text.normalized.split { !$0.isLetter && !$0.isNumber && $0 != "'" }.map(String.init)
        for (i, r) in rules.enumerated() {
            if let lang = r.language, lang != text.language { continue }
            if let maxWords = r.maxWords, words.count > maxWords, text.language == .en { continue }
            if let maxWords = r.maxWords, text.language == .zh, text.normalized.count > maxWords * 2 { continue }
            let anyHit = r.any.isEmpty || r.any.contains { Self.contains(text.normalized, words, $0) }
            let allHit = r.all.allSatisfy { Self.contains(text.normalized, words, $0) }
            let regexHit = compiled[i].isEmpty || compiled[i].contains { $0.matches(text.normalized) }
            let hasPatterns = !r.any.isEmpty || !compiled[i].isEmpty
            if hasPatterns, anyHit, allHit, regexHit { return (i, r) }
        }
        return nil
    }

    static func contains(_ text: String, _ words: [String], _ keyword: String) -> Bool {
        if keyword.unicodeScalars.contains(where: ChatText.isHan) { return text.contains(keyword) }
        let parts = keyword.split(separator: " ").map(String.init)
        guard parts.count > 1 else { return words.contains(keyword) }
        // A phrase: consecutive words.
        guard words.count >= parts.count else { return false }
        for start in 0...(words.count - parts.count) where Array(words[start..<(start + parts.count)]) == parts { return true }
        return false
    }
}

/// NSRegularExpression is immutable and thread-safe once built.
struct NSRegularExpressionBox: @unchecked Sendable {
    let re: NSRegularExpression
    init(_ re: NSRegularExpression) { self.re = re }
    func matches(_ s: String) -> Bool { re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
}
