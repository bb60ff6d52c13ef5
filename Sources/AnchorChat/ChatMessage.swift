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

/// `{"t": seconds, "user": "...", "text": "..."}` per line, as chat logs are exported (an
/// event log: see `ViewerEvent.parse`).
public struct ChatLogFile: ChatSource {
    public let path: String

    public struct LineError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let line: Int
        public let reason: String
        public var description: String { "\(path):\(line): \(reason)" }
    }

    public init(path: String) { self.path = path }

    /// Every message of the file; a bad line is an error naming file:line. Other events in
    /// the log (gifts, likes…) are left for `EventLogFile`.
    public func readAll() throws -> [ChatMessage] {
        try EventLogFile(path: path).readAll().compactMap(\.message)
    }

    public func messages() -> AsyncThrowingStream<ChatMessage, Error> {
        AsyncThrowingStream { c in
            do { for m in try readAll() { c.yield(m) }; c.finish() } catch { c.finish(throwing: error) }
        }
    }
}

/// Lines typed on standard input, each a message from `user`.
public struct StdinChat: ChatSource {
    public let user: String
    public init(user: String = "console") { self.user = user }

    public func messages() -> AsyncThrowingStream<ChatMessage, Error> {
        let user = self.user
        return AsyncThrowingStream { c in
            Thread.detachNewThread {
                while let line = readLine(strippingNewline: true) {
                    c.yield(ChatMessage(platform: "stdin", user: user, text: line, time: Date().timeIntervalSince1970))
                }
                c.finish()
            }
        }
    }
}
