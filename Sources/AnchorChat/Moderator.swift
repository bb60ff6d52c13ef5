import Foundation

/// Decides what is never answered or shown: block-listed words (matched after
/// normalization, so spacing, punctuation, width and look-alike tricks do not hide them),
/// links, spam patterns, floods from one user, and repeats. Not thread-safe: one owner.
public struct Moderator: Sendable {
    public enum Verdict: Sendable, Equatable {
        case allow
        case block(String)
    }

    public struct Policy: Sendable {
        /// Terms as written by the seller; compared squeezed.
        public var blockList: [String] = []
        /// At most this many messages per user in `rateWindow` seconds.
        public var maxPerUser = 6
        public var rateWindow = 30.0
        /// The same text from the same user within this many seconds is a repeat.
        public var repeatWindow = 120.0
        /// Longer messages are not read.
        public var maxCharacters = 500
        public init() {}
    }

    public let policy: Policy
    private let blocked: BlockList
    /// Block-list terms the operator cleared for the rest of the night (a false positive).
    public private(set) var cleared: Set<String> = []
    private var recent: [String: [(time: Double, text: String)]] = [:]
    private var seenSinceSweep = 0

    public init(policy: Policy = .init()) {
        self.policy = policy
        blocked = BlockList(policy.blockList)
    }

    /// Reads a block list: one term per line; `#` starts a comment.
    public static func blockList(file path: String) throws -> [String] {
        try BlockList.read(file: path)
    }

    /// What nobody may put on air through a message or a name: blocked terms, links, contact
    /// details, spam. nil when the text is clean.
    public func problem(in text: ChatText) -> String? {
        if let term = blocked.match(text, except: cleared) { return "block list: '\(term)'" }
        if let link = LinkDetector.find(in: text.normalized) { return link }
        if let contact = ContactDetector.find(in: text.normalized) { return contact }
        if let p = Self.spam.first(where: { text.squeezed.contains($0) }) { return "spam: '\(p)'" }
        return nil
    }

    /// Stops blocking a term for the rest of the night; false when it is not on the block list.
    @discardableResult
    public mutating func clear(term: String) -> Bool {
        guard blocked.terms.contains(where: { $0.written == term }) else { return false }
        cleared.insert(term)
        return true
    }

    /// The term a "block list: 'x'" reason names.
    public static func blockedTerm(inReason reason: String) -> String? {
        guard reason.hasPrefix("block list: '"), reason.hasSuffix("'") else { return nil }
        return String(reason.dropFirst("block list: '".count).dropLast())
    }

    /// A user name that may be spoken and drawn, or nil (greet as "friend", never by name): at
    /// most 24 characters of letters, digits, spaces and `_ - .`, and nothing moderation blocks.
    /// Symbols, emoji and broken bytes hide what a name says ("fuc\u{FFFD}un").
    public func speakableName(_ user: String) -> String? {
        let text = ChatText(user)
        let plain = user.unicodeScalars.allSatisfy { s in
            s.properties.isAlphabetic || s.properties.numericType != nil || s.properties.generalCategory == .nonspacingMark
                || s == " " || s == "_" || s == "-" || s == "."
        }
        guard plain, !text.squeezed.isEmpty, user.count <= 24, problem(in: text) == nil else { return nil }
        return user
    }

    /// The name as the host says it (`SpokenName`: no long numbers, `_ . -` as spaces), when
    /// that too passes moderation: leaving digits out can make a word ("fu123ck"), and spaces a
    /// messaging ID ("th-wx…", found by the fuzzer). nil: say "friend".
    public func sayableName(_ user: String) -> String? {
        speakableName(user).flatMap(saying)
    }

    /// `sayableName` for a name `speakableName` already let through (not checked twice).
    public func saying(_ shown: String) -> String? {
        guard let said = SpokenName.of(shown), problem(in: ChatText(said)) == nil else { return nil }
        return said
    }

    /// `line` with each of `names` taken out where it stands as a whole word ("x" in "xsb" stays):
    /// names are moderated on their own, and beside our words a squeezed term could span the
    /// boundary ("fu cun? Tonight").
    public static func removing(_ names: [String], from line: String) -> String {
        var out = line
        for n in names.filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) {
            let pattern = #"(?<![\p{L}\p{N}])"# + NSRegularExpression.escapedPattern(for: n) + #"(?![\p{L}\p{N}])"#
            guard let re = try? NSRegularExpression(pattern: pattern) else { continue }
            out = re.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: " | ")
        }
        return out
    }

    public mutating func check(_ m: ChatMessage, text: ChatText) -> Verdict {
        if text.squeezed.isEmpty { return .block("empty") }
        if m.text.count > policy.maxCharacters { return .block("too long (\(m.text.count) characters)") }
        if let why = problem(in: text) { return .block(why) }

        var history = recent[m.user, default: []].filter { m.time - $0.time < max(policy.rateWindow, policy.repeatWindow) }
        defer {
            history.append((m.time, text.squeezed))
            recent[m.user] = history
            seenSinceSweep += 1
            if seenSinceSweep > 10_000 { sweep(now: m.time) }
        }
        if history.contains(where: { $0.text == text.squeezed && m.time - $0.time < policy.repeatWindow }) { return .block("repeat") }
        if history.filter({ m.time - $0.time < policy.rateWindow }).count >= policy.maxPerUser {
            return .block("rate limit (\(policy.maxPerUser) in \(Int(policy.rateWindow)) s)")
        }
        return .allow
    }

    /// Forgets users quiet for longer than any window, so memory stays flat over a night.
    private mutating func sweep(now: Double) {
        let keep = max(policy.rateWindow, policy.repeatWindow)
        recent = recent.filter { _, h in h.contains { now - $0.time < keep } }
        seenSinceSweep = 0
    }

    static func hasLink(_ s: String) -> Bool { LinkDetector.find(in: s) != nil }

    /// Squeezed spam phrases (spaces and punctuation removed).
    static let spam = ["cheapfollowers", "freefollowers", "buyfollowers", "clickhere", "dmmefor", "checkmyprofile", "加微信", "加vx", "加v信", "刷粉", "代刷"]
}
