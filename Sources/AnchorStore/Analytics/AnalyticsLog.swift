import Foundation
import GRDB

/// The analytics of the channels in a state database: air events written in batches, read back
/// by time. Time on air per segment and product comes from the replay index (`AirLog`).
public struct AnalyticsLog: Sendable {
    public let database: AnchorDatabase

    public init(database: AnchorDatabase) { self.database = database }

    /// Writes a batch in one transaction (thousands of rows take milliseconds).
    /// Suspends instead of blocking while the database is busy (GRDB's async write).
    public func append(_ events: [AirEvent]) async throws {
        guard !events.isEmpty else { return }
        try await database.pool.write { db in
            for e in events { try e.insert(db) }
        }
    }

    /// A channel's events from `from` to `to`, oldest first; every channel's when `channel` is nil.
    public func events(channel: String?, from: Date, to: Date = .distantFuture) throws -> [AirEvent] {
        try database.pool.read { db in
            var request = AirEvent.filter(Column("at") >= from.timeIntervalSince1970 && Column("at") <= min(to.timeIntervalSince1970, 1e12))
            if let channel { request = request.filter(Column("channel") == channel) }
            return try request.order(Column("at"), Column("id")).fetchAll(db)
        }
    }

    /// Channels with events since `from`.
    public func channels(from: Date) throws -> [String] {
        try database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM airEvent WHERE at >= ? ORDER BY channel", arguments: [from.timeIntervalSince1970])
        }
    }

    /// An FAQ entry the operator added from the console (kept with the state, read at start).
    public struct AddedFAQ: Sendable, Codable, Equatable {
        public var productSku: String
        public var question: String
        public var answer: String
        public var addedAt: Date
        public init(productSku: String, question: String, answer: String, addedAt: Date = Date()) {
            (self.productSku, self.question, self.answer, self.addedAt) = (productSku, question, answer, addedAt)
        }
    }

    public func add(_ faq: AddedFAQ) throws {
        try database.pool.write { db in
            try db.execute(sql: "INSERT INTO operatorFAQ(productSku, question, answer, addedAt) VALUES (?, ?, ?, ?)",
                           arguments: [faq.productSku, String(faq.question.prefix(500)), String(faq.answer.prefix(1000)), faq.addedAt])
        }
    }

    public func addedFAQs() throws -> [AddedFAQ] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM operatorFAQ ORDER BY id").map {
                AddedFAQ(productSku: $0["productSku"], question: $0["question"], answer: $0["answer"], addedAt: $0["addedAt"])
            }
        }
    }
}
