import Foundation

/// Where a chat connector reads: `irc://host[:port]/#channel` or `ircs://…` (TLS), with an
/// optional nick (`ircs://mybot@irc.chat.twitch.tv/#shop`). Twitch chat is IRC:
/// `ircs://irc.chat.twitch.tv/#channel` reads anonymously, or as the nick with the OAuth
/// token from `$ANCHOR_IRC_TOKEN` (never in the URL, never logged).
public struct IRCEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var tls: Bool
    public var channel: String
    public var nick: String?
    /// The platform events say they come from: `twitch` for Twitch's servers, else `irc`.
    public var platform: String

    public struct ParseError: Error, CustomStringConvertible, Sendable { public let description: String }

    public init(_ text: String) throws(ParseError) {
        let usage = "expected irc://HOST[:PORT]/#CHANNEL or ircs://… (e.g. ircs://irc.chat.twitch.tv/#yourchannel)"
        guard let scheme = text.range(of: "://") else { throw ParseError(description: "'\(text.prefix(80))': \(usage)") }
        switch text[..<scheme.lowerBound].lowercased() {
        case "irc": tls = false
        case "ircs": tls = true
        default: throw ParseError(description: "'\(text[..<scheme.lowerBound].prefix(20))' is not irc or ircs: \(usage)")
        }
        var rest = text[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { throw ParseError(description: "no channel: \(usage)") }
        var authority = rest[..<slash]
        rest = rest[rest.index(after: slash)...]
        if let at = authority.lastIndex(of: "@") {
            nick = String(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        if let colon = authority.lastIndex(of: ":") {
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(p) else {
                throw ParseError(description: "bad port in '\(authority.prefix(80))': \(usage)")
            }
            port = p
            host = String(authority[..<colon])
        } else {
            port = tls ? 6697 : 6667
            host = String(authority)
        }
        guard !host.isEmpty else { throw ParseError(description: "no host: \(usage)") }
        var name = String(rest.removingPercentEncoding ?? String(rest))
        if !name.hasPrefix("#") { name = "#" + name }
        guard name.count > 1, name.count <= 50, !name.contains(" "), !name.contains(","), !name.contains("\u{7}") else {
            throw ParseError(description: "bad channel '\(name.prefix(60))': \(usage)")
        }
        channel = name.lowercased()
        if let nick, nick.isEmpty || nick.contains(" ") { throw ParseError(description: "bad nick: \(usage)") }
        platform = host.lowercased().hasSuffix("twitch.tv") ? "twitch" : "irc"
    }

    /// Twitch speaks IRC with its own tags: display names, user ids, bits, subscriptions.
    public var isTwitch: Bool { host.lowercased().hasSuffix("twitch.tv") }

    public var description: String { "\(tls ? "ircs" : "irc")://\(host):\(port)/\(channel)" }
}
