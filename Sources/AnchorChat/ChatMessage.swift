import Foundation

/// One viewer message, from any adapter.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var platform: String
    public var user: String
    public var text: String
    /// Seconds since the show started (replays) or since the Unix epoch (live).
    public var time: Double

    public init(platform: String = "local", user: String, text: String, time: Double) {
        self.platform = platform
        self.user = user
        self.text = text
        self.time = time
    }
}

/// Where messages come from: a JSON-lines file and stdin (viewer events: `EventLogFile`).
public protocol ChatSource: Sendable {
    /// Messages in arrival order.
    func messages() -> AsyncThrowingStream<ChatMessage, Error>
}
