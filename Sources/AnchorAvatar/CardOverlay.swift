import AnchorCore
import Foundation

/// Where the product card and its price go this frame.
struct CardPlan {
    /// The card's static panel (card mode) at its top-left corner.
    var panel: (image: CairoSurface, x: Double, y: Double)?
    /// The white pill behind the price (price-only mode).
    var pill: (x: Double, y: Double, w: Double, h: Double)?
    var price: CairoSurface
    var priceX: Double, priceY: Double
    /// 0…1 while the price is spoken: the price grows by up to a tenth, on a yellow highlight.
    var flash: Double
    /// The struck-through list price, right of the price, at this height.
    var list: (image: CairoSurface, y: Double)?
    var u: Double

    var pulse: Double { 1 + 0.10 * flash }
    var listX: Double { (priceX + Double(price.width) * pulse + 14 * u).rounded() }

    var highlight: (x: Double, y: Double, w: Double, h: Double) {
        (priceX - 8 * u, priceY - 4 * u, Double(price.width) * pulse + 16 * u, Double(price.height) * pulse + 8 * u)
    }

    /// The pixels the price, its highlight and the list price cover at this flash.
    var priceBounds: PixelRect {
        var r = PixelRect(covering: priceX, priceY, Double(price.width) * pulse, Double(price.height) * pulse, pad: 1)
        if flash > 0 { let h = highlight; r = r.union(PixelRect(covering: h.x, h.y, h.w, h.h, pad: 1)) }
        if let l = list { r = r.union(PixelRect(covering: listX, l.y, Double(l.image.width), Double(l.image.height))) }
        return r
    }

    /// Everything the card can cover at any flash (positions grow linearly with it, so the two
    /// ends cover the way between): the bounds stay put while only the price pulses.
    var bounds: PixelRect {
        var quiet = self, loud = self
        quiet.flash = 0
        loud.flash = 1
        var r = quiet.priceBounds.union(loud.priceBounds)
        if let p = panel { r = r.union(PixelRect(covering: p.x, p.y, Double(p.image.width), Double(p.image.height))) }
        if let p = pill { r = r.union(PixelRect(covering: p.x, p.y, p.w, p.h, pad: 1)) }
        return r
    }
}

extension FrameRenderer {
    func cardLayer(_ s: SceneState) -> Layer {
        guard let card = s.card, s.cardMode != .none else { return .absent }
        let box = layout.card, u = layout.u
        let priceStyle = TextImages.Style(size: 46 * u, bold: true, color: Self.accent, maxWidth: box.w * 0.9)
        let price = texts.image(card.price, priceStyle)
        let list = card.listPrice.map { texts.image($0, .init(size: 24 * u, color: 0x8A8F98, maxWidth: box.w * 0.5, strike: true)) }
        var plan = CardPlan(price: price, priceX: 0, priceY: 0, flash: s.priceFlash, u: u)
        if s.cardMode == .card || s.cardMode == .gallery {
            let key = "\(card.sku)|\(card.name)|\(card.slot ?? -1)|\(card.image ?? "")|\(s.language)"
            let panel = cards[key] ?? makeCard(card, language: s.language)
            cards[key] = panel
            plan.panel = (panel, box.x.rounded(), box.y.rounded())
            plan.priceX = box.x + layout.cardTextX
            plan.priceY = box.y + box.h - Double(price.height) - 20 * u
        } else {
            // Price only: a pill at the bottom of the card's place.
            let w = Double(price.width + (list?.width ?? 0)) + 60 * u, h = Double(price.height) + 20 * u
            plan.pill = (box.x + box.w - w, box.y + box.h - h, w, h)
            plan.priceX = box.x + box.w - Double(price.width + (list?.width ?? 0)) - 30 * u
            plan.priceY = box.y + box.h - Double(price.height) - 10 * u
        }
        if let list { plan.list = (list, (plan.priceY + Double(price.height - list.height) - 6 * u).rounded()) }
        return Layer(look: .card(card, s.cardMode, s.language), bounds: plan.bounds, paint: .card(plan),
                     detail: .priceFlash(s.priceFlash), detailBounds: plan.priceBounds)
    }

    func drawCard(_ g: borrowing DrawingContext, _ plan: CardPlan) {
        if let panel = plan.panel { g.draw(panel.image, x: panel.x, y: panel.y) }
        if let p = plan.pill {
            g.roundedRect(p.x, p.y, p.w, p.h, p.h / 2)
            g.setColor(red: 1, green: 1, blue: 1, alpha: 0.95)
            g.fill()
        }
        // The price, pulsing while it is spoken.
        if plan.flash > 0 {
            let h = plan.highlight
            g.roundedRect(h.x, h.y, h.w, h.h, 12 * plan.u)
            g.setColor(red: 1, green: 0.85, blue: 0.2, alpha: 0.35 * plan.flash)
            g.fill()
        }
        g.saved { g in
            g.translate(plan.priceX, plan.priceY)
            g.scale(plan.pulse, plan.pulse)
            g.draw(plan.price, x: 0, y: 0)
        }
        if let list = plan.list { g.draw(list.image, x: plan.listX, y: list.y) }
    }

    /// The static part of a product card: panel, image, name and slot number.
    func makeCard(_ card: ProductCard, language: Language) -> CairoSurface {
        let box = layout.card, u = layout.u
        let surface = CairoSurface(width: Int(box.w), height: Int(box.h))
        surface.draw { g in
            g.roundedRect(4 * u, 6 * u, box.w - 6 * u, box.h - 8 * u, 22 * u)
            g.setColor(red: 0, green: 0, blue: 0, alpha: 0.18)
            g.fill()
            g.roundedRect(0, 0, box.w - 6 * u, box.h - 8 * u, 22 * u)
            g.setColor(0xFFFFFF) // opaque: the presenter must not show through in portrait
            g.fill()
            let pad = 20 * u
            let horizontal = layout.cardIsHorizontal
            let picture = layout.cardImage
            let imageSide = picture.w, imageY = picture.y - box.y
            drawProductImage(g, card, x: picture.x - box.x, y: imageY, side: imageSide)
            let textX = horizontal ? layout.cardTextX : pad
            let textY = horizontal ? pad : imageY + imageSide + 12 * u
            let textW = (horizontal ? box.w - textX - pad : box.w - 2 * pad) - 6 * u
            let name = texts.image(card.name, .init(size: 27 * u, bold: true, color: 0x1D1D24, maxWidth: textW, maxLines: 2))
            g.draw(name, x: textX, y: textY)
            if let slot = card.slot {
                let label = language == .zh ? "\(slot)号" : "#\(slot)"
                let tag = texts.image(label, .init(size: 24 * u, bold: true, color: 0xFFFFFF, maxWidth: 200 * u))
                let w = Double(tag.width) + 22 * u, h = Double(tag.height) + 8 * u
                g.roundedRect(box.w - 6 * u - w - 12 * u, 12 * u, w, h, h / 2)
                g.setColor(Self.teal)
                g.fill()
                g.draw(tag, x: box.w - 6 * u - w - 12 * u + 11 * u, y: 12 * u + 4 * u)
            }
        }
        return surface
    }

    private func drawProductImage(_ g: borrowing DrawingContext, _ card: ProductCard, x: Double, y: Double, side: Double) {
        if let path = card.image {
            switch ProductImage.load(path, width: Int(side), height: Int(side)) {
            case .success(let image):
                g.saved { g in
                    g.roundedRect(x, y, side, side, 16 * layout.u)
                    g.clip()
                    g.draw(image, x: x + (side - Double(image.width)) / 2, y: y + (side - Double(image.height)) / 2)
                }
                return
            case .failure(let failure):
                warn("product \(card.sku): image \(failure.path) could not be used (\(failure.reason)); showing a placeholder")
            }
        }
        // Placeholder: the product's initial on a soft tile.
        g.roundedRect(x, y, side, side, 16 * layout.u)
        g.setColor(0xF1E3D3)
        g.fill()
        let initial = String(TextImages.displayable(card.name).prefix(1))
        let letter = texts.image(initial, .init(size: side * 0.45, bold: true, color: 0xC9A27E, maxWidth: side))
        g.draw(letter, x: x + (side - Double(letter.width)) / 2, y: y + (side - Double(letter.height)) / 2)
    }
}
