/// The products a show can talk about.
public struct Catalog: Sendable, Hashable, Codable {
    public var products: [Product]

    public init(products: [Product] = []) { self.products = products }

    /// The products of several catalogs, the first of each SKU kept (the shows of a schedule).
    public init(merging catalogs: [Catalog]) {
        var seen = Set<String>()
        products = catalogs.flatMap(\.products).filter { seen.insert($0.sku).inserted }
    }

    public func product(sku: String) -> Product? { products.first { $0.sku == sku } }

    /// Products carrying a tag (or of that category), ordered by cart slot, then SKU.
    public func products(tagged tag: String) -> [Product] {
        let t = tag.lowercased()
        return products
            .filter { p in p.tags.contains { $0.lowercased() == t } || p.category?.lowercased() == t }
            .sorted { ($0.slot ?? .max, $0.sku) < ($1.slot ?? .max, $1.sku) }
    }
}
