import AnchorCore
import Foundation
import GRDB

/// The seller's catalog in the database.
public struct CatalogStore: Sendable {
    public let database: AnchorDatabase

    public init(database: AnchorDatabase) { self.database = database }

    public struct ImportCounts: Sendable, Equatable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0
        public var total: Int { inserted + updated + unchanged }
    }

    /// Inserts new SKUs and updates changed ones, all in one transaction.
    @discardableResult
    public func upsert(_ products: [Product], now: Date = Date()) throws -> ImportCounts {
        try database.pool.write { db in
            var counts = ImportCounts()
            for product in products {
                let existing = try fetch(db, sku: product.sku)
                if existing == product { counts.unchanged += 1; continue }
                if existing == nil { counts.inserted += 1 } else { counts.updated += 1 }
                try ProductRecord(product, updatedAt: now).save(db)
                try FAQRecord.filter(Column("productId") == product.sku).deleteAll(db)
                for (i, entry) in product.faq.enumerated() {
                    try FAQRecord(id: nil, productId: product.sku, position: i, question: entry.question, answer: entry.answer).insert(db)
                }
            }
            return counts
        }
    }

    /// All products, by cart slot then SKU.
    public func all() throws -> [Product] {
        try database.pool.read { db in
            let records = try ProductRecord.order(sql: "slot IS NULL, slot, sku").fetchAll(db)
            let faqs = try FAQRecord.order(Column("productId"), Column("position")).fetchAll(db)
            let bySKU = Dictionary(grouping: faqs, by: \.productId)
            return records.map { $0.product(faq: (bySKU[$0.sku] ?? []).map { Product.FAQ(question: $0.question, answer: $0.answer) }) }
        }
    }

    public func product(sku: String) throws -> Product? {
        try database.pool.read { db in try fetch(db, sku: sku) }
    }

    public func catalog() throws -> Catalog { Catalog(products: try all()) }

    public func count() throws -> Int {
        try database.pool.read { db in try ProductRecord.fetchCount(db) }
    }

    private func fetch(_ db: Database, sku: String) throws -> Product? {
        guard let record = try ProductRecord.fetchOne(db, key: sku) else { return nil }
        let faq = try FAQRecord.filter(Column("productId") == sku).order(Column("position")).fetchAll(db)
        return record.product(faq: faq.map { Product.FAQ(question: $0.question, answer: $0.answer) })
    }
}
