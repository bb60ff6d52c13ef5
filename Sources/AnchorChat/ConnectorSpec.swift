import AnchorCore
import Foundation

/// Which platform chat to read, as a seller writes it on the command line or in a schedule:
/// `twitch:CHANNEL`, `youtube:VIDEO_ID`, `bilibili:ROOM`, `irc://HOST/#CHANNEL`, or the room's
/// web address (`https://www.youtube.com/watch?v=…`, `https://live.bilibili.com/…`,
/// `https://www.twitch.tv/…`). Credentials never go here: they come from the environment or
/// files, so a schedule in git holds none.
public struct ConnectorSpec: Sendable, Equatable, CustomStringConvertible {
    public enum Platform: String, Sendable, CaseIterable {
        case twitch, youtube, bilibili, irc
    }

    public var platform: Platform
    /// The Twitch channel (without '#'), YouTube video or live chat id, Bilibili room, or IRC URL.
    public var channel: String
    /// Another server to use: a YouTube API base, a Bilibili room API (http/https) or danmaku
    /// server (ws/wss), an IRC server (irc/ircs) for a Twitch channel; for tests and proxies.
    public var server: String?
    /// YouTube: poll no more often than this, in seconds (the daily quota allows about one
    /// call every 43 s around the clock; 5 s costs 8 640 units a night of 12 hours).
    public var every: Double?

    public struct ParseError: Error, CustomStringConvertible, Sendable { public let description: String }

    public static let usage = "expected twitch:CHANNEL, youtube:VIDEO_ID, bilibili:ROOM or irc[s]://HOST[:PORT]/#CHANNEL"

    public init(platform: Platform, channel: String, server: String? = nil, every: Double? = nil) throws(ParseError) {
        self.platform = platform
        self.server = server.flatMap { $0.isEmpty ? nil : $0 }
        self.every = every
        let c = channel.trimmingCharacters(in: .whitespaces)
        switch platform {
        case .twitch:
            let name = (c.hasPrefix("#") ? String(c.dropFirst()) : c).lowercased()
            guard (3...25).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw ParseError(description: "'\(c.prefix(40))' is not a Twitch channel name (3-25 letters, digits or _)")
            }
            self.channel = name
        case .youtube:
            guard (11...128).contains(c.count), c.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_=".contains($0)) }) else {
                throw ParseError(description: "'\(c.prefix(40))' is not a YouTube video id (11 characters) or live chat id")
            }
            self.channel = c
        case .bilibili:
            guard let room = Int(c), room > 0, room < 1 << 40 else { throw ParseError(description: "'\(c.prefix(40))' is not a Bilibili room number") }
            self.channel = String(room)
        case .irc:
            do { _ = try IRCEndpoint(c) } catch { throw ParseError(description: error.description) }
            self.channel = c
        }
        if let server = self.server {
            let allowed: [String] = switch platform {
            case .twitch, .irc: ["irc", "ircs"]
            case .youtube: ["http", "https"]
            case .bilibili: ["http", "https", "ws", "wss"]
            }
            guard let scheme = URL(string: server)?.scheme?.lowercased(), allowed.contains(scheme), URL(string: server)?.host != nil else {
                throw ParseError(description: "server '\(server.prefix(80))' for \(platform.rawValue): expected a \(allowed.map { $0 + "://" }.joined(separator: " or ")) URL")
            }
        }
        if let every, !(every >= 1 && every <= 3_600) { throw ParseError(description: "'every' must be between 1s and 1h") }
    }

    /// `twitch:NAME`, `youtube:ID`, `bilibili:ROOM`, an `irc://` URL, or a room's web address.
    public init(_ text: String, server: String? = nil) throws(ParseError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let lower = t.lowercased()
        if lower.hasPrefix("irc://") || lower.hasPrefix("ircs://") {
            try self.init(platform: .irc, channel: t, server: server)
            return
        }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://"), let url = URLComponents(string: t), let host = url.host?.lowercased() {
            let path = url.path.split(separator: "/").map(String.init)
            if host.hasSuffix("twitch.tv"), let name = path.first {
                try self.init(platform: .twitch, channel: name, server: server)
                return
            }
            if host == "youtu.be", let id = path.first {
                try self.init(platform: .youtube, channel: id, server: server)
                return
            }
            if host.hasSuffix("youtube.com") {
                if let v = url.queryItems?.first(where: { $0.name == "v" })?.value {
                    try self.init(platform: .youtube, channel: v, server: server)
                    return
                }
                if path.count == 2, path[0] == "live" {
                    try self.init(platform: .youtube, channel: path[1], server: server)
                    return
                }
            }
            if host.hasSuffix("live.bilibili.com"), let room = path.first {
                try self.init(platform: .bilibili, channel: room, server: server)
                return
            }
            throw ParseError(description: "'\(t.prefix(80))' is not a Twitch, YouTube or Bilibili live address: \(Self.usage)")
        }
        guard let colon = t.firstIndex(of: ":"), let platform = Platform(rawValue: t[..<colon].lowercased()), platform != .irc else {
            throw ParseError(description: "'\(t.prefix(80))': \(Self.usage)")
        }
        try self.init(platform: platform, channel: String(t[t.index(after: colon)...]), server: server)
    }

    /// The IRC endpoint a Twitch or IRC spec reads (a Twitch channel on Twitch's TLS port, or on `server`).
    public var ircEndpoint: IRCEndpoint? {
        switch platform {
        case .irc: return try? IRCEndpoint(channel)
        case .twitch:
            let base = server ?? "ircs://irc.chat.twitch.tv:6697"
            guard var e = try? IRCEndpoint(base.hasSuffix("/") ? base + "#" + channel : base + "/#" + channel) else { return nil }
            e.platform = "twitch"
            return e
        default: return nil
        }
    }

    public var description: String {
        switch platform {
        case .irc: channel
        default: "\(platform.rawValue):\(channel)"
        }
    }
}
