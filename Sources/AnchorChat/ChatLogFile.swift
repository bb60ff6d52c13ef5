import Foundation

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
