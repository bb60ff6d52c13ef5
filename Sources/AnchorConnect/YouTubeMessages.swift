import AnchorChat
import Foundation

/// The YouTube Data API's live chat resources, as its reference documents them
/// (`liveChatMessageListResponse`, `liveChatMessage`, `videoListResponse`, the error body),
/// only the fields anchor reads, and how a message becomes a viewer event.
enum YouTubeAPI {
    struct MessageList: Decodable {
        var nextPageToken: String?
        var pollingIntervalMillis: Int?
        var offlineAt: String?
        var items: [Message]?
    }

    struct Message: Decodable {
        var id: String?
        var snippet: Snippet?
        var authorDetails: Author?
    }

    struct Snippet: Decodable {
        var type: String?
        var authorChannelId: String?
        var publishedAt: String?
        var displayMessage: String?
        var textMessageDetails: TextDetails?
        var superChatDetails: PaidDetails?
        var superStickerDetails: PaidDetails?
        var memberMilestoneChatDetails: TextDetails?
        var membershipGiftingDetails: Gifting?
    }

    /// `textMessageDetails.messageText`, or a milestone's `userComment`.
    struct TextDetails: Decodable {
        var messageText: String?
        var userComment: String?
    }

    /// A Super Chat or Super Sticker: `amountMicros` is an unsigned long, which Google's JSON
    /// writes as a string.
    struct PaidDetails: Decodable {
        var amountMicros: Micros?
        var currency: String?
        var userComment: String?
    }

    struct Micros: Decodable {
        var value: Double
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self), let v = Double(s) { value = v } else { value = try c.decode(Double.self) }
        }
    }

    struct Gifting: Decodable {
        var giftMembershipsCount: Int?
        var giftMembershipsLevelName: String?
    }

    struct Author: Decodable {
        var channelId: String?
        var displayName: String?
    }

    struct VideoList: Decodable {
        struct Video: Decodable {
            struct Live: Decodable { var activeLiveChatId: String? }
            var liveStreamingDetails: Live?
        }
        var items: [Video]?
    }

    struct ErrorBody: Decodable {
        struct Inner: Decodable {
            struct Reason: Decodable { var reason: String?; var domain: String? }
            var code: Int?
            var message: String?
            var errors: [Reason]?
        }
        var error: Inner?

        /// The first reason and the message of an error answer (empty when it is not one).
        struct Summary { var reason = ""; var message: String? }

        static func read(_ body: Data) -> Summary {
            guard let e = (try? JSONDecoder().decode(ErrorBody.self, from: body))?.error else { return Summary() }
            return Summary(reason: e.errors?.first?.reason ?? "", message: e.message)
        }
    }

    /// A `publishedAt` as seconds since 1970 (with or without fractional seconds).
    static func seconds(_ text: String?) -> Double? {
        guard let text else { return nil }
        let styles = [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()]
        return styles.lazy.compactMap { try? Date(text, strategy: $0) }.first?.timeIntervalSince1970
    }

    /// The event a chat item is: a text message, a Super Chat or Super Sticker (paid message), a
    /// new or gifted membership (gift). Deletions, bans and mode changes are not events.
    static func event(_ m: Message, now: Double) -> ViewerEvent? {
        guard let s = m.snippet, let type = s.type else { return nil }
        guard let id = m.authorDetails?.channelId ?? s.authorChannelId, !id.isEmpty else { return nil }
        let name = m.authorDetails?.displayName.flatMap { $0.isEmpty ? nil : $0 }
        func make(_ kind: ViewerEvent.Kind, text: String? = nil, gift: String? = nil, count: Int = 1, value: Double = 0,
                  amount: Double? = nil, currency: String? = nil) -> ViewerEvent {
            ViewerEvent(kind: kind, platform: "youtube", user: id, name: name, text: text, gift: gift, count: count, value: value,
                        amount: amount, currency: currency, time: now)
        }
        switch type {
        case "textMessageEvent":
            guard let text = s.textMessageDetails?.messageText ?? s.displayMessage, !text.isEmpty else { return nil }
            return make(.message, text: text)
        case "superChatEvent", "superStickerEvent":
            guard let paid = s.superChatDetails ?? s.superStickerDetails, let micros = paid.amountMicros?.value, micros > 0 else { return nil }
            let comment = paid.userComment.flatMap { $0.isEmpty ? nil : $0 }
            let currency = paid.currency.flatMap { $0.count == 3 && $0.allSatisfy(\.isLetter) ? $0.uppercased() : nil }
            return make(.paidMessage, text: comment, amount: micros / 1_000_000, currency: currency)
        case "newSponsorEvent":
            return make(.gift, gift: "membership", value: 1)
        case "memberMilestoneChatEvent":
            guard let text = s.memberMilestoneChatDetails?.userComment, !text.isEmpty else { return nil }
            return make(.message, text: text)
        case "membershipGiftingEvent":
            let n = max(1, min(s.membershipGiftingDetails?.giftMembershipsCount ?? 1, 1_000))
            return make(.gift, gift: "gift membership", count: n, value: Double(n))
        default:
            return nil
        }
    }
}
