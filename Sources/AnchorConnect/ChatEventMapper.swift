import AnchorChat
import Foundation

/// What an IRC line means for the show: a chat message, or on Twitch (IRCv3 tags) a cheer with
/// bits (a paid message), a subscription or a gifted one (a gift). Ids come from `user-id`
/// when the server sends it, else the nick; names from `display-name`.
public enum ChatEventMapper {
    public static func event(_ m: IRCMessage, channel: String, platform: String, now: Double) -> ViewerEvent? {
        guard m.params.first?.lowercased() == channel.lowercased() else { return nil }
        let nick = m.tags["login"] ?? m.nick ?? "viewer"
        let id = m.tags["user-id"].flatMap { $0.isEmpty ? nil : $0 } ?? nick
        let name = m.tags["display-name"].flatMap { $0.isEmpty ? nil : $0 } ?? nick
        switch m.command {
        case "PRIVMSG":
            guard m.params.count >= 2 else { return nil }
            var text = m.params[1]
            // A CTCP ACTION (/me) is said as its text.
            if text.hasPrefix("\u{1}ACTION ") { text = String(text.dropFirst(8).prefix { $0 != "\u{1}" }) }
            if let bits = m.tags["bits"].flatMap(Int.init), bits > 0 {
                return ViewerEvent(kind: .paidMessage, platform: platform, user: id, name: name, text: text, amount: Double(bits),
                                   currency: "BITS", time: now)
            }
            return ViewerEvent(kind: .message, platform: platform, user: id, name: name, text: text, time: now)
        case "USERNOTICE":
            switch m.tags["msg-id"] ?? "" {
            case "sub", "resub":
                return ViewerEvent(kind: .gift, platform: platform, user: id, name: name, gift: "subscription", count: 1, value: 500, time: now)
            case "subgift", "submysterygift":
                let n = Int(m.tags["msg-param-mass-gift-count"] ?? "") ?? 1
                return ViewerEvent(kind: .gift, platform: platform, user: id, name: name, gift: "gift subscription",
                                   count: max(1, min(n, 1_000)), value: Double(max(1, min(n, 1_000)) * 500), time: now)
            default:
                return nil
            }
        default:
            return nil
        }
    }
}
