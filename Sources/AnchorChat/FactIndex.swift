import AnchorCore
import Foundation
import GRDB

/// Catalog facts — names, brands, highlights, specs, prices, stock and each product's FAQ —
/// in an in-memory SQLite FTS5 table ranked by BM25. Text is indexed as `ChatText.terms`:
/// English words and Chinese characters and character pairs, so both languages match.
public final class FactIndex: Sendable {
    public enum Kind: String, Sendable, Codable { case faq, spec, highlight }

    public struct Fact: Sendable {
        public var sku: String
        public var kind: Kind
        /// What the fact says, ready to be spoken (an FAQ answer, "Its battery is …").
        public var answer: String
        public var score: Double
    }

    private let db: DatabaseQueue
    public let catalog: Catalog
    /// Per product: the terms of its name, brand, aliases and category (for "which product").
    let nameTerms: [(sku: String, terms: Set<String>, weight: [String: Double])]

    public init(catalog: Catalog) throws {
        self.catalog = catalog
        db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE fact USING fts5(terms, sku UNINDEXED, kind UNINDEXED, answer UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
            let insert = try db.makeStatement(sql: "INSERT INTO fact(terms, sku, kind, answer) VALUES (?, ?, ?, ?)")
            for p in catalog.products {
                let zh = p.name.unicodeScalars.contains(where: ChatText.isHan)
                // The product's own token, so a search within one product intersects posting
                // lists instead of ranking every match in the catalog.
                let own = " " + Self.token(sku: p.sku)
                for f in p.faq {
                    try insert.execute(arguments: [ChatText.terms(f.question + " " + f.question + " " + f.answer).joined(separator: " ") + own, p.sku, Kind.faq.rawValue, f.answer])
                }
                for s in p.specs {
                    let key = s.key.replacingOccurrences(of: "_", with: " ")
                    let answer = zh ? "\(key)：\(s.value)。" : "Its \(key) is \(s.value)."
                    try insert.execute(arguments: [ChatText.terms(key + " " + s.value).joined(separator: " ") + own, p.sku, Kind.spec.rawValue, answer])
                }
                for h in p.highlights {
                    let answer = zh ? "\(h)。" : Self.sentence(highlight: h)
                    try insert.execute(arguments: [ChatText.terms(h).joined(separator: " ") + own, p.sku, Kind.highlight.rawValue, answer])
                }
            }
        }
        // Name terms, rarer ones weigh more ("serum" beats "night" when several names say night).
        let perProduct = catalog.products.map { p -> (String, Set<String>) in
            let text = ([p.name, p.brand ?? "", p.category ?? ""] + p.aliases + p.tags).joined(separator: " ")
            return (p.sku, Set(ChatText.terms(text)))
        }
        var frequency: [String: Int] = [:]
        for (_, terms) in perProduct { for t in terms { frequency[t, default: 0] += 1 } }
        nameTerms = perProduct.map { sku, terms in
            (sku, terms, Dictionary(uniqueKeysWithValues: terms.map { ($0, 1.0 / Double(frequency[$0] ?? 1)) }))
        }
    }

    /// Products the text names, best first, with a score (sum of the matched terms' weights).
    /// `related` are terms a synonym table added ("mask" → 面膜): they count for less than what
    /// the viewer wrote, so "earbuds" picks the product called Earbuds over the one called 耳机.
    public func productsNamed(in terms: [String], related: [String] = []) -> [(sku: String, score: Double)] {
        let query = Set(terms), weak = Set(related).subtracting(query)
        func weight(_ entry: (sku: String, terms: Set<String>, weight: [String: Double]), _ t: String) -> Double {
            (entry.weight[t] ?? 0) * (t.unicodeScalars.count == 2 && t.unicodeScalars.allSatisfy(ChatText.isHan) ? 2 : 1)
        }
        return nameTerms.compactMap { entry in
            let score = query.reduce(0.0) { $0 + weight(entry, $1) } + weak.reduce(0.0) { $0 + 0.4 * weight(entry, $1) }
            return score >= 0.5 ? (entry.sku, score) : nil
        }.sorted { $0.score > $1.score }
    }

    /// Every term of every product's name, brand, category, aliases and tags.
    public func isProductTerm(_ term: String) -> Bool { nameTerms.contains { $0.terms.contains(term) } }

    /// A highlight is a phrase ("cancel noise with two microphones"); the sentence gets the
    /// subject its verb agrees with: "It locks in moisture.", "They cancel noise."
    static func sentence(highlight h: String) -> String {
        let verb = h.split(separator: " ").first.map { $0.lowercased() } ?? ""
        let singular = verb.hasSuffix("s") && !verb.hasSuffix("ss") || ["has", "is", "was", "can", "will"].contains(verb)
        return (singular ? "It " : "They ") + h + (h.hasSuffix(".") ? "" : ".")
    }

    /// The best facts for the terms, within one product when given (BM25, best first).
    public func search(_ terms: [String], sku: String?, limit: Int = 3) throws -> [Fact] {
        let unique = Array(Set(terms)).filter { !$0.isEmpty }
        guard !unique.isEmpty else { return [] }
        let match = unique.map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"" }.joined(separator: " OR ")
        return try db.read { db in
            let query = sku.map { "(\(match)) AND \(Self.token(sku: $0))" } ?? match
            let sql = "SELECT sku, kind, answer, bm25(fact) AS rank FROM fact WHERE fact MATCH ? ORDER BY rank LIMIT ?"
            let args: StatementArguments = [query, limit]
            return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                Fact(sku: row["sku"], kind: Kind(rawValue: row["kind"]) ?? .highlight, answer: row["answer"], score: -(row["rank"] as Double))
            }
        }
    }

    /// Adds an FAQ entry to a product while the show runs (the console's "add as FAQ"): the
    /// next question that matches it gets its answer.
    public func add(faq: Product.FAQ, sku: String) throws {
        try db.write { db in
            try db.execute(sql: "INSERT INTO fact(terms, sku, kind, answer) VALUES (?, ?, ?, ?)", arguments: [
                ChatText.terms(faq.question + " " + faq.question + " " + faq.answer).joined(separator: " ") + " " + Self.token(sku: sku),
                sku, Kind.faq.rawValue, faq.answer,
            ])
        }
    }

    /// A search token no viewer types: "sku" + the SKU's letters and digits.
    static func token(sku: String) -> String {
        "skuzz" + String(sku.lowercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }.map(Character.init))
    }

    public var count: Int { (try? db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM fact") ?? 0 }) ?? 0 }
}
