import AnchorAvatar
import AnchorChat
import AnchorCore
import Foundation

/// Where a lucky draw takes its entries: the channel's chat on air, a replayed log in a preview.
/// The Director opens the draw when its countdown starts in the audio and closes it when the
/// countdown ends, then picks the winner.
public protocol DrawHost: AnyObject {
    /// Starts taking entries for `keyword` (replacing a draw left open).
    func openDraw(keyword: String)
    /// How many have entered the open draw.
    var drawEntrants: Int { get }
    /// Stops taking entries and hands over the draw (nil when none was open).
    func closeDraw() -> LuckyDraw?
    /// The rules whose templates word the draw.
    var drawRules: RuleBook? { get }
}

/// How a lucky draw ended: what the air log records so it can be audited later.
public struct DrawOutcome: Sendable, Codable, Equatable {
    public var keyword: String
    public var seconds: Int
    /// The seed the winner was picked with (`LuckyDraw.pick(seed:)` over the entrants gives it again).
    public var seed: UInt64
    public var entrants: [LuckyDraw.Entrant]
    public var winner: LuckyDraw.Entrant?
    public var show: String

    /// Picks the winner of a closed draw with a fresh seed (or the one given, for previews).
    public init(draw: LuckyDraw, seconds: Int, show: String, seed: UInt64 = UInt64.random(in: .min ... .max)) {
        keyword = draw.keyword
        self.seconds = seconds
        self.seed = seed
        entrants = draw.entrants
        winner = draw.pick(seed: seed)
        self.show = show
    }
}

/// What the host says and shows around a lucky draw, the same in previews and on air.
enum DrawLines {
    static func announcement(keyword: String, seconds: Int, rundown: Rundown, rules: RuleBook?, productSKU: String?) -> Utterance {
        utterance(LuckyDraw.announcement(keyword: keyword, seconds: seconds, language: rundown.language, rules: rules), .urgency, rundown, productSKU)
    }

    /// The winner (or nobody) said aloud, with the winner's name in a bubble.
    static func result(_ o: DrawOutcome, rundown: Rundown, rules: RuleBook?, productSKU: String?) -> (Utterance, ChatBubble?) {
        let text = LuckyDraw.result(o.winner, entrants: o.entrants.count, keyword: o.keyword, language: rundown.language, rules: rules)
        let zh = rundown.language == .zh
        let bubble = o.winner.map { w in
            ChatBubble(user: w.name ?? (zh ? "朋友" : "friend"), text: zh ? "抽中了幸运奖！" : "won the lucky draw!", style: .thanks)
        }
        return (utterance(text, .thanks, rundown, productSKU), bubble)
    }

    private static func utterance(_ line: String, _ fallback: Intent, _ rundown: Rundown, _ sku: String?) -> Utterance {
        let (intent, text) = LuckyDraw.tagged(line)
        return Utterance(text: text, language: rundown.language, intent: intent ?? fallback, reason: .init(.tagged, "lucky draw"), productSKU: sku)
    }
}
