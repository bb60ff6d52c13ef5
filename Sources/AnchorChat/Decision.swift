import AnchorCore
import Foundation

/// What to do with one message, and why.
public struct Decision: Sendable, Codable {
    public enum Source: String, Sendable, Codable {
        case rule, facts, fallback, silence, blocked
        /// Thanks for gifts, follows, shares, joins or likes; a paid message read out.
        case thanks, paid
        /// A line the operator typed at the console ("say now").
        case console
    }
    /// Script text to speak (may start with an `[intent]` tag); nil: say nothing.
    public var reply: String?
    public var intent: Intent
    public var source: Source
    /// The rule id, the facts used, or the reason for silence.
    public var detail: String
    public var productSKU: String?
    public var language: String
    /// The asker and what they asked.
    public var user: String
    public var question: String
    /// Seconds the decision took.
    public var seconds: Double
    /// The kind of question, for merging floods (price, stock, faq…).
    public var topic: String
    /// The asker's name as it may be drawn; nil when the name itself is blocked.
    public var displayName: String?
    /// The name as it is said (see `Moderator.sayableName`); nil: "friend".
    public var spokenName: String?
    /// The question may be drawn on screen: it passed moderation and got a real answer.
    public var showsQuestion: Bool
    /// The reply when several asked it, with `{users}` for their names (from the templates).
    public var mergedReply: String?

    public init(reply: String?, intent: Intent, source: Source, detail: String, productSKU: String?, language: String,
                user: String, question: String, seconds: Double, topic: String, displayName: String? = nil, showsQuestion: Bool = false) {
        self.reply = reply; self.intent = intent; self.source = source; self.detail = detail; self.productSKU = productSKU
        self.language = language; self.user = user; self.question = question; self.seconds = seconds; self.topic = topic
        self.displayName = displayName; self.showsQuestion = showsQuestion
    }

    /// Something to say on air: a reply that moderation did not block and that is not a silence.
    public var isSpoken: Bool { reply != nil && source != .blocked && source != .silence }
}
