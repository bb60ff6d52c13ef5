import AnchorCore
import Foundation
import GRDB

/// The anchor SQLite database (WAL mode), migrated to the current schema when opened.
public final class AnchorDatabase: Sendable {
    public let path: String
    let pool: DatabasePool

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

    public init(path: String) throws {
        self.path = path
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir, isDirectory: &isDir), isDir.boolValue else {
            throw OpenError.cannotOpen(path: path, reason: "the folder '\(dir)' does not exist")
        }
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
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
        return m
    }
}
