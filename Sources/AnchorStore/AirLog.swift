import Foundation
import GRDB

/// What a channel has aired: its position (so a restart resumes where it was) and every segment
/// with its time and, when recorded, the file and offset (the replay index).
public struct AirLog: Sendable {
    public let database: AnchorDatabase
    public let channel: String

    public init(database: AnchorDatabase, channel: String = "main") {
        self.database = database
        self.channel = channel
    }

    /// Where a show was, and when that was saved.
    public struct Saved: Sendable, Equatable {
        public var show: String
        public var pass: Int
        public var segment: Int
        public var event: Int
        public var savedAt: Date
    }

    public func save(show: String, pass: Int, segment: Int, event: Int, at date: Date = Date()) throws {
        try database.pool.write { db in try Self.save(db, channel, show, pass, segment, event, date) }
    }

    /// `save`, suspending instead of blocking while the database is busy (GRDB's async write).
    public func save(show: String, pass: Int, segment: Int, event: Int, at date: Date = Date()) async throws {
        let channel = channel
        try await database.pool.write { db in try Self.save(db, channel, show, pass, segment, event, date) }
    }

    private static func save(_ db: Database, _ channel: String, _ show: String, _ pass: Int, _ segment: Int, _ event: Int, _ date: Date) throws {
        try db.execute(sql: """
            INSERT INTO onAir(channel, show, pass, segment, event, savedAt) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(channel) DO UPDATE SET show = excluded.show, pass = excluded.pass, segment = excluded.segment,
                event = excluded.event, savedAt = excluded.savedAt
            """, arguments: [channel, show, pass, segment, event, date])
    }

    public func saved() throws -> Saved? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM onAir WHERE channel = ?", arguments: [channel]).map { r in
                Saved(show: r["show"], pass: r["pass"], segment: r["segment"], event: r["event"], savedAt: r["savedAt"])
            }
        }
    }

    /// One product moment of the night.
    public struct Moment: Sendable, Codable, Equatable {
        public var id: Int64
        public var show: String
        public var segment: String
        public var productSku: String?
        public var startedAt: Date
        public var endedAt: Date?
        /// The recording it is in, and where in it (seconds), if recorded.
        public var file: String?
        public var offsetSeconds: Double?
    }

    /// A segment began: closes the previous moment and opens this one; returns its id.
    @discardableResult
    public func begin(show: String, segment: String, productSku: String?, at date: Date = Date(),
                      file: String?, offsetSeconds: Double?) throws -> Int64 {
        let moment = Begun(channel: channel, show: show, segment: segment, productSku: productSku, at: date, file: file, offsetSeconds: offsetSeconds)
        return try database.pool.write { db in try moment.insert(db) }
    }

    /// `begin`, suspending instead of blocking while the database is busy.
    @discardableResult
    public func begin(show: String, segment: String, productSku: String?, at date: Date = Date(),
                      file: String?, offsetSeconds: Double?) async throws -> Int64 {
        let moment = Begun(channel: channel, show: show, segment: segment, productSku: productSku, at: date, file: file, offsetSeconds: offsetSeconds)
        return try await database.pool.write { db in try moment.insert(db) }
    }

    private struct Begun: Sendable {
        var channel, show, segment: String
        var productSku: String?
        var at: Date
        var file: String?
        var offsetSeconds: Double?

        func insert(_ db: Database) throws -> Int64 {
            try db.execute(sql: "UPDATE replayMoment SET endedAt = ? WHERE channel = ? AND endedAt IS NULL", arguments: [at, channel])
            try db.execute(sql: """
                INSERT INTO replayMoment(channel, show, segment, productSku, startedAt, file, offsetSeconds) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [channel, show, segment, productSku, at, file, offsetSeconds])
            return db.lastInsertedRowID
        }
    }

    /// Closes the open moment (the show stopped).
    public func end(at date: Date = Date()) throws {
        let channel = channel
        try database.pool.write { db in try Self.end(db, channel, date) }
    }

    /// `end`, suspending instead of blocking while the database is busy.
    public func end(at date: Date = Date()) async throws {
        let channel = channel
        try await database.pool.write { db in try Self.end(db, channel, date) }
    }

    private static func end(_ db: Database, _ channel: String, _ date: Date) throws {
        try db.execute(sql: "UPDATE replayMoment SET endedAt = ? WHERE channel = ? AND endedAt IS NULL", arguments: [date, channel])
    }

    /// Moments from `from` on, oldest first; only those with a product when `productsOnly`.
    public func moments(from: Date = .distantPast, productsOnly: Bool = false) throws -> [Moment] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM replayMoment WHERE channel = ? AND startedAt >= ? \(productsOnly ? "AND productSku IS NOT NULL" : "")
                ORDER BY startedAt, id
                """, arguments: [channel, from]).map { r in
                Moment(id: r["id"], show: r["show"], segment: r["segment"], productSku: r["productSku"], startedAt: r["startedAt"],
                       endedAt: r["endedAt"], file: r["file"], offsetSeconds: r["offsetSeconds"])
            }
        }
    }

    /// Moments that were on air at some time between `from` and `to` (one that began before
    /// `from` and went on past it included), oldest first.
    public func moments(overlapping from: Date, to: Date) throws -> [Moment] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM replayMoment WHERE channel = ? AND startedAt <= ? AND (endedAt IS NULL OR endedAt >= ?)
                ORDER BY startedAt, id
                """, arguments: [channel, to, from]).map(Self.moment)
        }
    }

    static func moment(_ r: Row) -> Moment {
        Moment(id: r["id"], show: r["show"], segment: r["segment"], productSku: r["productSku"], startedAt: r["startedAt"],
               endedAt: r["endedAt"], file: r["file"], offsetSeconds: r["offsetSeconds"])
    }

    /// The moments recorded in one file, for its chapters.
    public func moments(inFile file: String) throws -> [Moment] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM replayMoment WHERE file = ? ORDER BY offsetSeconds", arguments: [file]).map { r in
                Moment(id: r["id"], show: r["show"], segment: r["segment"], productSku: r["productSku"], startedAt: r["startedAt"],
                       endedAt: r["endedAt"], file: r["file"], offsetSeconds: r["offsetSeconds"])
            }
        }
    }
}
