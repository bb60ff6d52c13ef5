import Foundation
import GRDB

/// Questions the responder could not answer, kept for the author to review.
public struct UnansweredLog: Sendable {
    public let database: AnchorDatabase

    public init(database: AnchorDatabase) { self.database = database }

    public struct Entry: Sendable, Codable, Equatable {
        public var text: String
        public var count: Int
        public var lastUser: String
        public var lastAskedAt: Date
        public var language: String
        public var productSku: String?
    }

    public func record(user: String, text: String, language: String, productSku: String?, at date: Date = Date()) throws {
        try database.pool.write { db in try Self.insert(db, user, text, language, productSku, date) }
    }

    /// `record`, suspending instead of blocking while the database is busy.
    public func record(user: String, text: String, language: String, productSku: String?, at date: Date = Date()) async throws {
        try await database.pool.write { db in try Self.insert(db, user, text, language, productSku, date) }
    }

    private static func insert(_ db: Database, _ user: String, _ text: String, _ language: String, _ productSku: String?, _ date: Date) throws {
        try db.execute(sql: "INSERT INTO unansweredQuestion(askedAt, user, text, language, productSku) VALUES (?, ?, ?, ?, ?)",
                       arguments: [date, user, String(text.prefix(500)), language, productSku])
    }

    /// Grouped by text (case-insensitively), most asked first.
    public func entries(limit: Int = 100) throws -> [Entry] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT text, count(*) AS n, max(askedAt) AS last,
                       (SELECT user FROM unansweredQuestion u2 WHERE lower(u2.text) = lower(u.text) ORDER BY id DESC LIMIT 1) AS lastUser,
                       language, productSku
                FROM unansweredQuestion u GROUP BY lower(text) ORDER BY n DESC, last DESC LIMIT ?
                """, arguments: [limit]).map { r in
                Entry(text: r["text"], count: r["n"], lastUser: r["lastUser"], lastAskedAt: r["last"], language: r["language"], productSku: r["productSku"])
            }
        }
    }
}
