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

/// Where messages come from. Platform connectors implement this later; today: a JSON-lines
/// file and stdin.
public protocol ChatSource: Sendable {
    /// Messages in arrival order.
    func messages() -> AsyncThrowingStream<ChatMessage, Error>
}

/// `{"t": seconds, "user": "...", "text": "..."}` per line, as chat logs are exported.
public struct ChatLogFile: ChatSource {
    public let path: String

    public struct LineError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let line: Int
        public let reason: String
        public var description: String { "\(path):\(line): \(reason)" }
    }

    public init(path: String) { self.path = path }

    /// Every message of the file; a bad line is an error naming file:line.
    public func readAll() throws -> [ChatMessage] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw LineError(path: path, line: 0, reason: "cannot read the file")
        }
        var out: [ChatMessage] = []
        for (i, raw) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if line.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw LineError(path: path, line: i + 1, reason: "not a JSON object")
            }
            guard let text = object["text"] as? String else { throw LineError(path: path, line: i + 1, reason: "no \"text\"") }
            let t = (object["t"] as? Double) ?? (object["t"] as? Int).map(Double.init) ?? Double(out.count)
            let user = object["user"] as? String ?? "viewer"
            out.append(ChatMessage(platform: object["platform"] as? String ?? "file", user: user, text: text, time: t))
        }
        return out
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
