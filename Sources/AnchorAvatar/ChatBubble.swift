import AnchorCore

/// A viewer's question beside its answer, a thanks, or a paid message read out.
public struct ChatBubble: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        /// "@name" over the question.
        case question
        /// A heart, who is thanked, and for what ("5 roses").
        case thanks
        /// "@name · $5" in gold over the message.
        case paid
    }
    public var user: String
    public var text: String
    public var style: Style
    public init(user: String, text: String, style: Style = .question) { self.user = user; self.text = text; self.style = style }
}
