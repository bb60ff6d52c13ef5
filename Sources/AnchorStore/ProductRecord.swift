import AnchorCore
import Foundation
import GRDB

/// A row of `product`; list-like fields are JSON columns.
struct ProductRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "product"

    var sku: String
    var name: String
    var brand: String?
    var category: String?
    var priceMinor: Int64
    var listPriceMinor: Int64?
    var currency: String
    var stock: Int?
    var slot: Int?
    var image: String?
    var tags: [String]
    var aliases: [String]
    var highlights: [String]
    var specs: [Product.Spec]
    var images: [String]
    var clips: [String]
    var updatedAt: Date

    init(_ p: Product, updatedAt: Date) {
        sku = p.sku; name = p.name; brand = p.brand; category = p.category
        priceMinor = p.price.minorUnits; listPriceMinor = p.listPrice?.minorUnits; currency = p.price.currency
        stock = p.stock; slot = p.slot; image = p.image
        tags = p.tags; aliases = p.aliases; highlights = p.highlights; specs = p.specs
        images = p.images; clips = p.clips
        self.updatedAt = updatedAt
    }

    func product(faq: [Product.FAQ]) -> Product {
        var p = Product(sku: sku, name: name, brand: brand, category: category, tags: tags,
                        price: Money(minorUnits: priceMinor, currency: currency),
                        listPrice: listPriceMinor.map { Money(minorUnits: $0, currency: currency) },
                        stock: stock, slot: slot, highlights: highlights, specs: specs, faq: faq, aliases: aliases, image: image)
        p.images = images
        p.clips = clips
        return p
    }
}

/// A row of `productFAQ`.
struct FAQRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "productFAQ"
    var id: Int64?
    var productId: String
    var position: Int
    var question: String
    var answer: String
}
