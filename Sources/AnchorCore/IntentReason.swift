/// Why an utterance has its intent: written by the author, or inferred and explained.
public struct IntentReason: Sendable, Codable, Hashable, CustomStringConvertible {
    public enum Source: String, Sendable, Codable, Hashable {
        /// `[intent]` at the start of the line.
        case tagged
        /// Inferred from the words of the line.
        case auto
        /// Nothing matched; the segment's context decided.
        case fallback
    }

    public var source: Source
    public var explanation: String

    public init(_ source: Source, _ explanation: String) {
        self.source = source
        self.explanation = explanation
    }

    public var description: String { "\(source.rawValue): \(explanation)" }
}
