import Foundation
import GRDB

/// One thing that happened on a channel, stamped with the show, segment and product on air:
/// a question and how it was decided, an answer heard, a viewer event, a pinned link, a
/// reconnect, an operator's command. The analytics are queries over these rows.
public struct AirEvent: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A chat message decided: `source` is rule, facts, fallback, blocked or silence; `detail` the rule, facts or reason.
        case question
        /// An answer (or thanks) began in the stream: `value` is seconds since its question arrived.
        case answer
        /// A question nothing could answer (`text`, `language`).
        case unanswered
        /// A viewer event: `detail` is gift, like, follow, join, share or paid_message; `value` a gift's worth (or the amount paid); `count` likes.
        case viewer
        /// The product link was pinned (`@link` or the console).
        case link
        /// A countdown began (`value`: seconds).
        case countdown
        /// A segment began.
        case segment
        /// A destination reconnected (`detail`: the redacted URL and why).
        case reconnect
        /// Something did not play or could not be written (`detail`).
        case problem
        /// An operator's command from the console (`detail`: skip, pause, say…; `text` what was said).
        case control
    }

    public static let databaseTableName = "airEvent"

    public var id: Int64?
    public var channel: String
    /// Unix seconds.
    public var at: Double
    public var kind: Kind
    public var show: String?
    public var segment: String?
    public var productSku: String?
    public var source: String?
    public var detail: String?
    public var topic: String?
    public var language: String?
    public var user: String?
    public var text: String?
    public var value: Double?
    public var count: Int?

    public init(channel: String, at: Double, kind: Kind, show: String? = nil, segment: String? = nil, productSku: String? = nil,
                source: String? = nil, detail: String? = nil, topic: String? = nil, language: String? = nil, user: String? = nil,
                text: String? = nil, value: Double? = nil, count: Int? = nil) {
        (self.channel, self.at, self.kind, self.show, self.segment, self.productSku) = (channel, at, kind, show, segment, productSku)
        (self.source, self.detail, self.topic, self.language, self.user, self.text) = (source, detail, topic, language, user, text)
        (self.value, self.count) = (value, count)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var date: Date { Date(timeIntervalSince1970: at) }
}
