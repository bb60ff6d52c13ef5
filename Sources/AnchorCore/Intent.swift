/// What a line is for. Each intent maps to prosody, gestures and, in Chinese, modal particles.
public enum Intent: String, Sendable, Codable, CaseIterable, Hashable {
    case greet, introduce, feature, price, urgency, cta, answer, thanks, chat, transition, calm
}
