import Foundation

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
