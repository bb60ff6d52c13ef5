import AnchorChat
import Foundation

/// The secrets connectors log in with, from the environment (or files the CLI reads): never
/// in a schedule, a URL or a log line.
public struct ConnectorCredentials: Sendable {
    /// Twitch / IRC: an OAuth token (`$ANCHOR_IRC_TOKEN`); none reads anonymously.
    public var ircToken: String?
    /// YouTube: an API key (`$ANCHOR_YOUTUBE_KEY`) or an OAuth access token (`$ANCHOR_YOUTUBE_TOKEN`).
    public var youtubeKey: String?
    public var youtubeToken: String?

    public init(ircToken: String? = nil, youtubeKey: String? = nil, youtubeToken: String? = nil) {
        self.ircToken = ircToken; self.youtubeKey = youtubeKey; self.youtubeToken = youtubeToken
    }

    public static func environment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> ConnectorCredentials {
        func value(_ name: String) -> String? { env[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } }
        return ConnectorCredentials(ircToken: value("ANCHOR_IRC_TOKEN"), youtubeKey: value("ANCHOR_YOUTUBE_KEY"), youtubeToken: value("ANCHOR_YOUTUBE_TOKEN"))
    }
}

extension ConnectorSpec {
    /// The connector this spec describes, logging in with `credentials`.
    public func connector(credentials: ConnectorCredentials) throws -> Connector {
        let server = self.server.flatMap(URL.init(string:))
        switch platform {
        case .twitch, .irc:
            guard let endpoint = ircEndpoint else { throw ConnectorFailure("not an IRC endpoint: \(self)") }
            return Connector(try IRCChat(endpoint: endpoint, token: credentials.ircToken))
        case .youtube:
            let credential: YouTubeChat.Credential? = credentials.youtubeToken.map { .token($0) } ?? credentials.youtubeKey.map { .key($0) }
            let target: YouTubeChat.Target = channel.count == 11 ? .video(channel) : .chat(channel)
            return Connector(try YouTubeChat(target: target, credential: credential, api: server ?? YouTubeChat.defaultAPI, minInterval: every ?? 5))
        case .bilibili:
            let direct = server.map { ["ws", "wss"].contains($0.scheme?.lowercased() ?? "") } ?? false
            return Connector(try BilibiliChat(room: Int(channel) ?? 0, api: direct ? BilibiliChat.defaultAPI : server ?? BilibiliChat.defaultAPI,
                                              server: direct ? server : nil))
        }
    }
}
