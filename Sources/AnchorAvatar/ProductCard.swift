import AnchorCore

/// What the product card shows, already formatted for the show's language.
public struct ProductCard: Sendable, Hashable {
    public var sku: String
    public var name: String
    public var price: String
    public var listPrice: String?
    public var slot: Int?
    /// A local image file (PNG, JPEG or WebP), if the catalog has one.
    public var image: String?
    /// The pictures and clips `@show gallery` cycles through (local files: the image first),
    /// and how long each shows (milliseconds; a picture `galleryItemMilliseconds`).
    public var gallery: [String] = []
    public var galleryMilliseconds: [Int] = []
    /// How long a picture of the gallery shows, and at most a clip.
    public static let galleryItemMilliseconds = 4_000
    public static let galleryClipMilliseconds = 15_000

    /// Each item's time on screen (a picture's when not given).
    var galleryDurations: [Int] {
        gallery.indices.map { i in i < galleryMilliseconds.count ? max(500, galleryMilliseconds[i]) : Self.galleryItemMilliseconds }
    }

    public init(sku: String, name: String, price: String, listPrice: String? = nil, slot: Int? = nil, image: String? = nil) {
        self.sku = sku; self.name = name; self.price = price; self.listPrice = listPrice; self.slot = slot; self.image = image
    }
}
