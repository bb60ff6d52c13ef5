import AnchorAvatar
import AnchorChat
import AnchorCore
import Foundation

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
