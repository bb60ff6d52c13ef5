/// A product of the seller's catalog, as the script language and the responder see it.
public struct Product: Sendable, Hashable, Codable {
    public struct Spec: Sendable, Hashable, Codable {
        public var key: String
        public var value: String
        public init(key: String, value: String) { self.key = key; self.value = value }
    }

    public struct FAQ: Sendable, Hashable, Codable {
        public var question: String
        public var answer: String
        public init(question: String, answer: String) { self.question = question; self.answer = answer }
    }

    public var sku: String
    public var name: String
    public var brand: String?
    public var category: String?
    public var tags: [String]
    public var price: Money
    public var listPrice: Money?
    public var stock: Int?
    /// The item number viewers tap in the cart.
    public var slot: Int?
    public var highlights: [String]
    /// In the catalog's order.
    public var specs: [Spec]
    public var faq: [FAQ]
    /// Other names viewers use for the product.
    public var aliases: [String]
    /// A path or URL of the product image.
    public var image: String?
    /// More pictures and short clips of the product, for `@show gallery`.
    public var images: [String] = []
    public var clips: [String] = []

    public init(
        sku: String, name: String, brand: String? = nil, category: String? = nil, tags: [String] = [],
        price: Money, listPrice: Money? = nil, stock: Int? = nil, slot: Int? = nil,
        highlights: [String] = [], specs: [Spec] = [], faq: [FAQ] = [], aliases: [String] = [], image: String? = nil
    ) {
        self.sku = sku; self.name = name; self.brand = brand; self.category = category; self.tags = tags
        self.price = price; self.listPrice = listPrice; self.stock = stock; self.slot = slot
        self.highlights = highlights; self.specs = specs; self.faq = faq; self.aliases = aliases; self.image = image
    }

    public func spec(_ key: String) -> String? { specs.first { $0.key == key }?.value }
}
