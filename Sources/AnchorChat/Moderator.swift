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
    private let blocked: [(term: String, squeezed: String)]
    private var recent: [String: [(time: Double, text: String)]] = [:]
    private var seenSinceSweep = 0

    public init(policy: Policy = .init()) {
        self.policy = policy
        blocked = policy.blockList.map { ($0, ChatText($0).squeezed) }.filter { !$0.squeezed.isEmpty }
    }

    /// Reads a block list: one term per line; `#` starts a comment.
    public static func blockList(file path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
            .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "" }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public mutating func check(_ m: ChatMessage, text: ChatText) -> Verdict {
        if text.squeezed.isEmpty { return .block("empty") }
        if m.text.count > policy.maxCharacters { return .block("too long (\(m.text.count) characters)") }
        for b in blocked where text.squeezed.contains(b.squeezed) { return .block("block list: '\(b.term)'") }
        if Self.hasLink(text.normalized) { return .block("link") }
        if let p = Self.spam.first(where: { text.squeezed.contains($0) }) { return .block("spam: '\(p)'") }

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

    static func hasLink(_ s: String) -> Bool {
        if s.contains("http://") || s.contains("https://") || s.contains("www.") || s.contains("www dot") || s.contains(" dot com") { return true }
        // host.tld with a common top-level domain
        let tlds = ["com", "net", "org", "io", "cn", "ru", "xyz", "top", "shop", "info", "link", "me"]
        let words = s.split { $0 == " " }
        return words.contains { w in
            let parts = w.split(separator: ".")
            return parts.count >= 2 && parts.first!.count >= 2 && tlds.contains(String(parts.last!.prefix { $0.isLetter }))
                && parts.last!.prefix { $0.isLetter }.count == parts.last!.count
        }
    }

    /// Squeezed spam phrases (spaces and punctuation removed).
    static let spam = ["cheapfollowers", "freefollowers", "buyfollowers", "clickhere", "dmmefor", "checkmyprofile", "加微信", "加vx", "加v信", "刷粉", "代刷"]
}
