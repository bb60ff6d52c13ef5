import AnchorChat
import AnchorConnect
import AnchorEngine
import AnchorMedia
import AnchorStream
import ArgumentParser
import Foundation

/// Where a channel's chat and viewer events come from on the command line (`--chat`, `--events`).
public struct ChatFeedOptions: Sendable {
    public var chat: String?
    public var events: String?

    public init(_ options: StreamOptions) { (chat, events) = (options.chat, options.events) }

    /// Starts feeding them into `live`; a file is checked first (a bad line is exit 1).
    public func start(into live: LiveChat) throws {
        if chat == "-", events == "-" { throw ValidationError("--chat and --events cannot both read stdin") }
        if let chat {
            if chat != "-" {
                do { _ = try ChatLogFile(path: chat).readAll() } catch {
                    Terminal.error("error: \(error)")
                    throw ExitCode(1)
                }
            }
            let source: ChatSource = chat == "-" ? StdinChat() : ChatLogFile(path: chat)
            Task { try? await live.feed(source, realTime: chat != "-") }
        }
        if let events {
            if events == "-" {
                Task { try? await live.feed(EventLogFile.stdin { Terminal.error("warning: \($0)") }, realTime: false) }
            } else {
                do { _ = try EventLogFile(path: events).readAll() } catch {
                    Terminal.error("error: \(error)")
                    throw ExitCode(1)
                }
                Task { try? await live.feed(EventLogFile(path: events).events(), realTime: true) }
            }
        }
    }
}
