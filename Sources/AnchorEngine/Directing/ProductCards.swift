import AnchorAvatar
import AnchorCore
import AnchorMedia
import Foundation

/// The product cards a show puts on screen, from its catalog: name, prices and gallery (a
/// clip shows for its length, up to 15 s; a picture, or a file that cannot be read, 4 s).
enum ProductCards {
    static func make(for rundown: Rundown, catalog: Catalog?) -> [String: ProductCard] {
        var out: [String: ProductCard] = [:]
        for sku in rundown.products {
            guard let p = catalog?.product(sku: sku) else { continue }
            var card = ProductCard(sku: sku, name: p.name, price: p.price.formatted(for: rundown.language, style: .display),
                                   listPrice: p.listPrice.map { $0.formatted(for: rundown.language, style: .display) },
                                   slot: p.slot, image: p.image)
            card.gallery = ([p.image].compactMap { $0 } + p.images + p.clips).filter { !$0.contains("://") }
            card.galleryMilliseconds = card.gallery.map { file in
                guard p.clips.contains(file), let info = try? ClipInfo.probe(file), !info.isStill, info.milliseconds > 0 else {
                    return ProductCard.galleryItemMilliseconds
                }
                return min(info.milliseconds, ProductCard.galleryClipMilliseconds)
            }
            out[sku] = card
        }
        return out
    }
}
