import Foundation
import GRDB

/// Lucky draws as they were decided on air: keyword, every entrant (platform ids), the seed and
/// the winner, so a draw can be audited — and re-drawn from the seed — afterwards.
public struct DrawLog: Sendable {
    public let database: AnchorDatabase
    public let channel: String

    public init(database: AnchorDatabase, channel: String = "main") {
        self.database = database
        self.channel = channel
    }

    public struct Entrant: Sendable, Codable, Equatable {
        public var id: String
        public var name: String?
        public init(id: String, name: String?) { self.id = id; self.name = name }
    }

    public struct Record: Sendable, Codable, Equatable {
        public var id: Int64?
        public var channel: String
        public var show: String
        public var keyword: String
        public var seconds: Int
        /// The pick's seed, in full (SQLite integers are signed: it is stored as text).
        public var seed: UInt64
        public var entrants: [Entrant]
        public var winner: Entrant?
        public var drawnAt: Date

        public init(id: Int64? = nil, channel: String, show: String, keyword: String, seconds: Int, seed: UInt64, entrants: [Entrant],
                    winner: Entrant?, drawnAt: Date) {
            self.id = id; self.channel = channel; self.show = show; self.keyword = keyword; self.seconds = seconds
            self.seed = seed; self.entrants = entrants; self.winner = winner; self.drawnAt = drawnAt
        }
    }

    /// Suspends instead of blocking while the database is busy (GRDB's async write).
    @discardableResult
    public func record(_ r: Record) async throws -> Int64 {
        let entrants = String(decoding: try JSONEncoder().encode(r.entrants), as: UTF8.self), channel = channel
        return try await database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO luckyDraw(channel, show, keyword, seconds, seed, entrants, entrantCount, winnerId, winnerName, drawnAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [channel, r.show, r.keyword, r.seconds, String(r.seed), entrants, r.entrants.count, r.winner?.id, r.winner?.name, r.drawnAt])
            return db.lastInsertedRowID
        }
    }

    /// Draws from `from` on, oldest first (all channels when `channel` is nil).
    public func draws(from: Date = .distantPast, allChannels: Bool = false) throws -> [Record] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM luckyDraw WHERE drawnAt >= ? \(allChannels ? "" : "AND channel = ?") ORDER BY drawnAt, id
                """, arguments: allChannels ? [from] : [from, channel]).map { r in
                let json: String = r["entrants"]
                let entrants = (try? JSONDecoder().decode([Entrant].self, from: Data(json.utf8))) ?? []
                let winnerId: String? = r["winnerId"]
                return Record(id: r["id"], channel: r["channel"], show: r["show"], keyword: r["keyword"], seconds: r["seconds"],
                              seed: UInt64(r["seed"] as String) ?? 0, entrants: entrants,
                              winner: winnerId.map { Entrant(id: $0, name: r["winnerName"]) }, drawnAt: r["drawnAt"])
            }
        }
    }
}
