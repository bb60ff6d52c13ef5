import AnchorCore
import Foundation
import GRDB

/// The anchor SQLite database (WAL mode), migrated to the current schema when opened.
public final class AnchorDatabase: Sendable {
    public let path: String
    let pool: any DatabaseWriter
    /// Files a read-only open created beside the database, to remove when it closes.
    private let leftovers: [String]

    deinit {
        guard !leftovers.isEmpty, let queue = pool as? DatabaseQueue else { return }
        try? queue.close()
        let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        guard walSize == 0 else { return } // another process wrote meanwhile: its files now
        for file in leftovers { try? FileManager.default.removeItem(atPath: file) }
    }

    /// The database used when neither `--db` nor `ANCHOR_DB` says otherwise.
    public static let defaultPath = "anchor.db"

    /// `--db`, else `ANCHOR_DB`, else `./anchor.db`.
    public static func resolvePath(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["ANCHOR_DB"], !env.isEmpty { return env }
        return defaultPath
    }

    public enum OpenError: Error, CustomStringConvertible {
        case cannotOpen(path: String, reason: String)
        public var description: String {
            switch self {
            case let .cannotOpen(path, reason): return "cannot open database '\(path)': \(reason)"
            }
        }
    }

    /// Opens (creating and migrating) the database. `readOnly` opens an existing one for
    /// reading only: nothing is created, migrated or written (`check`, `preview`, `narrate`
    /// read the catalog and must leave the file as it was).
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir, isDirectory: &isDir), isDir.boolValue else {
            throw OpenError.cannotOpen(path: path, reason: "the folder '\(dir)' does not exist")
        }
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.readonly = readOnly
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
        // SQLite makes -wal/-shm files to read a WAL database; ones it made only for this
        // reader are removed again when it closes (see deinit).
        leftovers = readOnly ? ["-wal", "-shm"].map { path + $0 }.filter { !FileManager.default.fileExists(atPath: $0) } : []
        do {
            if readOnly {
                guard FileManager.default.fileExists(atPath: path) else { throw OpenError.cannotOpen(path: path, reason: "no such file") }
                let queue = try DatabaseQueue(path: path, configuration: config)
                guard try queue.read(Self.migrator.hasCompletedMigrations) else {
                    throw OpenError.cannotOpen(path: path, reason: "it was made by an older anchor; open it once with 'anchor catalog import' to upgrade it")
                }
                pool = queue
            } else {
                let pool = try DatabasePool(path: path, configuration: config)
                try Self.migrator.migrate(pool)
                self.pool = pool
            }
        } catch let error as DatabaseError {
            throw OpenError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// Schema history; a migration once shipped is never edited, only followed by another.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-catalog") { db in
            try db.create(table: "product") { t in
                t.primaryKey("sku", .text)
                t.column("name", .text).notNull()
                t.column("brand", .text)
                t.column("category", .text)
                t.column("priceMinor", .integer).notNull()
                t.column("listPriceMinor", .integer)
                t.column("currency", .text).notNull()
                t.column("stock", .integer)
                t.column("slot", .integer)
                t.column("image", .text)
                t.column("tags", .jsonText).notNull()
                t.column("aliases", .jsonText).notNull()
                t.column("highlights", .jsonText).notNull()
                t.column("specs", .jsonText).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "productFAQ") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("productId", .text).notNull().indexed().references("product", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("question", .text).notNull()
                t.column("answer", .text).notNull()
            }
        }
        m.registerMigration("v2-chat") { db in
            try db.create(table: "unansweredQuestion") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("askedAt", .datetime).notNull()
                t.column("user", .text).notNull()
                t.column("text", .text).notNull()
                t.column("language", .text).notNull()
                t.column("productSku", .text)
            }
        }
        m.registerMigration("v3-air") { db in
            try db.create(table: "onAir") { t in
                t.primaryKey("channel", .text)
                t.column("show", .text).notNull()
                t.column("pass", .integer).notNull()
                t.column("segment", .integer).notNull()
                t.column("event", .integer).notNull()
                t.column("savedAt", .datetime).notNull()
            }
            try db.create(table: "replayMoment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull()
                t.column("show", .text).notNull()
                t.column("segment", .text).notNull()
                t.column("productSku", .text)
                t.column("startedAt", .datetime).notNull().indexed()
                t.column("endedAt", .datetime)
                t.column("file", .text)
                t.column("offsetSeconds", .double)
            }
        }
        m.registerMigration("v4-draws") { db in
            try db.create(table: "luckyDraw") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull()
                t.column("show", .text).notNull()
                t.column("keyword", .text).notNull()
                t.column("seconds", .integer).notNull()
                t.column("seed", .text).notNull()
                t.column("entrants", .text).notNull()
                t.column("entrantCount", .integer).notNull()
                t.column("winnerId", .text)
                t.column("winnerName", .text)
                t.column("drawnAt", .datetime).notNull().indexed()
            }
        }
        m.registerMigration("v5-gallery") { db in
            try db.alter(table: "product") { t in
                t.add(column: "images", .text).notNull().defaults(to: "[]")
                t.add(column: "clips", .text).notNull().defaults(to: "[]")
            }
        }
        m.registerMigration("v6-analytics") { db in
            // One row per thing that happened on air; every figure of `anchor stats` and the
            // morning report is a query over it (and the replay index for time on air).
            try db.create(table: "airEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull()
                t.column("at", .double).notNull() // Unix seconds: minutes are `at / 60`
                t.column("kind", .text).notNull()
                t.column("show", .text)
                t.column("segment", .text)
                t.column("productSku", .text)
                t.column("source", .text)
                t.column("detail", .text)
                t.column("topic", .text)
                t.column("language", .text)
                t.column("user", .text)
                t.column("text", .text)
                t.column("value", .double)
                t.column("count", .integer)
            }
            try db.create(index: "airEvent_channel_at", on: "airEvent", columns: ["channel", "at"])
            try db.create(table: "operatorFAQ") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("productSku", .text).notNull()
                t.column("question", .text).notNull()
                t.column("answer", .text).notNull()
                t.column("addedAt", .datetime).notNull()
            }
        }
        return m
    }
}
