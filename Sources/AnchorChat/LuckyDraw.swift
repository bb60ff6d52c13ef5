import AnchorCore
import Foundation

/// One lucky draw: the viewers who typed the keyword while it ran — one entry each, by
/// platform id, only from messages moderation let through — and a winner picked with a
/// recorded seed, so anyone can check the pick again from the entrants and the seed.
public struct LuckyDraw: Sendable {
    public struct Entrant: Sendable, Codable, Hashable {
        /// `platform:id`, never the display name.
        public var id: String
        /// The name that may be drawn (nil: "friend").
        public var name: String?
        /// As it may be said (nil: "friend").
        public var said: String?
        public init(id: String, name: String?, said: String? = nil) { self.id = id; self.name = name; self.said = said }
    }

    public let keyword: String
    private let squeezedKeyword: String
    public private(set) var entrants: [Entrant] = []
    private var seen: Set<String> = []
    /// Entries beyond this are refused (memory stays bounded in a storm).
    public static let maxEntrants = 200_000

    public init(keyword: String) {
        self.keyword = keyword
        squeezedKeyword = ChatText(keyword).squeezed
    }

    /// Enters the sender of a message that holds the keyword, once; `decision` is what the
    /// responder made of it (a blocked message never enters). True when it was a new entry.
    @discardableResult
    public mutating func consider(_ e: ViewerEvent, decision: Decision) -> Bool {
        guard e.kind == .message, decision.source != .blocked, !squeezedKeyword.isEmpty, entrants.count < Self.maxEntrants,
              ChatText(e.text ?? "").squeezed.contains(squeezedKeyword) else { return false }
        let id = e.platform + ":" + e.user
        guard seen.insert(id).inserted else { return false }
        entrants.append(Entrant(id: id, name: decision.displayName, said: decision.spokenName))
        return true
    }

    /// The entrants of a recorded draw, in their order (to pick its winner again).
    public mutating func restore(_ recorded: [Entrant]) {
        entrants = recorded
        seen = Set(recorded.map(\.id))
    }

    /// The winner for `seed`: the same entrants and seed always give the same winner.
    public func pick(seed: UInt64) -> Entrant? {
        guard !entrants.isEmpty else { return nil }
        var random = SeededRandom(seed: seed, text: "draw")
        return entrants[random.index(below: entrants.count)]
    }

    /// The host's words opening a draw, closing it with a winner, or with nobody; from the
    /// rules' templates (`draw_open`, `draw_winner`, `draw_nobody`), in the show's language.
    public static func announcement(keyword: String, seconds: Int, language: Language, rules: RuleBook?) -> String {
        words("draw_open", language, rules).replacingOccurrences(of: "{keyword}", with: keyword)
            .replacingOccurrences(of: "{seconds}", with: String(seconds))
    }

    public static func result(_ winner: Entrant?, entrants: Int, keyword: String, language: Language, rules: RuleBook?) -> String {
        guard let winner else { return words("draw_nobody", language, rules).replacingOccurrences(of: "{keyword}", with: keyword) }
        let lang: ChatText.ChatLanguage = language == .zh ? .zh : .en
        let friend = rules?.friend(lang) ?? (lang == .zh ? "朋友" : "friend")
        return words("draw_winner", language, rules).replacingOccurrences(of: "{user}", with: winner.said ?? friend)
            .replacingOccurrences(of: "{count}", with: SpokenNumber.grouped(entrants)).replacingOccurrences(of: "{keyword}", with: keyword)
    }

    /// A line's `[intent]` tag and its text.
    public static func tagged(_ line: String) -> (intent: Intent?, text: String) {
        Responder.splitTag(line).map { ($0.0, $0.1) } ?? (nil, line)
    }

    static func words(_ key: String, _ language: Language, _ rules: RuleBook?) -> String {
        let lang: ChatText.ChatLanguage = language == .zh ? .zh : .en
        return RuleBook.speakable(rules?.template(key, lang) ?? lastResort[key + (language == .zh ? ".zh" : ""), default: ""])
    }

    /// Only for a rules book without templates (anchor's own rules file has them).
    static let lastResort = [
        "draw_open": "[urgency] Lucky draw! Type {keyword} in the chat in the next {seconds} seconds to enter!",
        "draw_winner": "[thanks] And the winner is {user}! Congratulations! {count} of you entered.",
        "draw_nobody": "[calm] Nobody entered the draw this time. Next time, type {keyword} to join in!",
        "draw_open.zh": "[urgency] 抽奖开始啦！{seconds}秒内在评论区发送“{keyword}”就能参与！",
        "draw_winner.zh": "[thanks] 恭喜{user}中奖！本次共有{count}位朋友参与。",
        "draw_nobody.zh": "[calm] 这次没有朋友参与抽奖，下次记得发送“{keyword}”哦！",
    ]
}
