import AnchorAvatar
import AnchorChat
import AnchorCore
import AnchorVoice

/// How a viewer's answer (or thanks) is performed, the same in previews and live: a line in the
/// asker's language (in the show's voice when the languages match), with the question in a bubble.
struct ChatAnswer {
    let utterance: Utterance
    let voice: String?
    /// The question on screen: only when it passed moderation and got a real answer, under
    /// the asker's name when that may be shown ("friend" otherwise).
    let bubble: ChatBubble?

    init?(_ d: Decision, rundown: Rundown) {
        guard let reply = d.reply else { return nil }
        utterance = Utterance(text: reply, language: d.language == "zh" ? .zh : .en, intent: d.intent,
                              reason: .init(.tagged, "chat answer (\(d.source.rawValue): \(d.detail))"), productSKU: d.productSKU)
        voice = utterance.language == rundown.language ? rundown.voice : nil
        // A merged answer names several askers; the bubble shows the first one's question. A
        // thanks shows who and for what; a paid message its sender, amount and words.
        let style: ChatBubble.Style = switch d.source { case .thanks: .thanks; case .paid: .paid; default: .question }
        bubble = d.showsQuestion ? ChatBubble(user: d.displayName ?? (d.language == "zh" ? "朋友" : "friend"), text: d.question, style: style) : nil
    }
}
