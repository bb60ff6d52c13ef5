import AnchorCore
import CCairo
import Foundation

/// Draws frames: background, the avatar composed from its cached parts, and the commerce
/// overlays. One renderer owns one frame buffer, reused for every frame.
public final class FrameRenderer: @unchecked Sendable {
    public let width: Int
    public let height: Int
    public let model: AvatarModel
    public let language: Language
    /// Problems met while drawing (an image that would not decode…), each once.
    public private(set) var warnings: [String] = []

    let layout: Layout
    let frame: CairoSurface
    private let background: CairoSurface?
    private let transparent: Bool
    private let texts = TextImages()
    private var cards: [String: CairoSurface] = [:]
    private var subtitles: [String: (layout: TextLayout, image: CairoSurface)] = [:]

    static let accent: UInt32 = 0xE63946
    static let teal: UInt32 = 0x2A9D8F

    public init(avatarFolder: String, width: Int, height: Int, background: Background = .studio, language: Language = .en) throws(AvatarError) {
        guard width >= 64, height >= 64, width <= 7680, height <= 7680 else {
            throw AvatarError.rigInvalid(avatarFolder, "frame size \(width)x\(height) is out of range (64 to 7680 pixels a side)")
        }
        self.width = width
        self.height = height
        self.language = language
        let rig = try Rig.load(from: (avatarFolder as NSString).appendingPathComponent("rig.json"))
        model = try AvatarModel(folder: avatarFolder, scale: Layout.avatarScale(width: width, height: height, rig: rig))
        layout = Layout(width: width, height: height, canvasWidth: rig.canvasWidth, canvasHeight: rig.canvasHeight)
        frame = CairoSurface(width: width, height: height)
        transparent = background == .transparent
        self.background = transparent ? nil : CairoSurface(width: width, height: height)
        if let bg = self.background { paintBackground(background, into: bg) }
        if !model.missingParts.isEmpty {
            warnings.append("avatar \(rig.name): parts not in the SVG, using fallbacks: " + model.missingParts.joined(separator: ", "))
        }
    }

    /// Renders a scene into the frame buffer and returns it (valid until the next render).
    @discardableResult
    public func render(_ s: SceneState) -> CairoSurface {
        frame.draw { cr in
            cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE)
            if let background {
                cairo_set_source_surface(cr, background.surface, 0, 0)
            } else {
                cairo_set_source_rgba(cr, 0, 0, 0, 0)
            }
            cairo_paint(cr)
            cairo_set_operator(cr, CAIRO_OPERATOR_OVER)
            drawAvatar(cr, s)
            drawCard(cr, s)
            drawCountdown(cr, s)
            drawBanner(cr, s)
            drawBubble(cr, s)
            drawSubtitle(cr, s)
        }
        return frame
    }

    // MARK: Avatar

    private func drawAvatar(_ cr: OpaquePointer, _ s: SceneState) {
        let rig = model.rig, k = model.scale
        for name in rig.order {
            guard let slot = rig.slots[name] else { continue }
            let head = slot.follows == "head"
            var dx = head ? s.headX : 0, dy = head ? s.headY : s.bodyY
            if name == "brows" { dy += s.browOffset }
            let pivot = slot.pivot.map { (layout.avatarX + ($0[0] + dx) * k, layout.avatarY + ($0[1] + dy) * k) }
            switch name {
            case "eyes":
                blit(cr, model.part(name, s.eyes), dx, dy)
            case "mouth":
                for (viseme, weight) in s.mouth where weight > 0.01 {
                    let open: Set<Viseme> = [.AI, .E, .O, .L, .etc]
                    let sy = open.contains(viseme) ? 0.78 + 0.44 * s.jaw : 1
                    blit(cr, model.part(name, viseme.rawValue), dx, dy, alpha: weight, scaleY: sy, around: pivot)
                }
            default:
                if let arm = s.arms[name] {
                    // Swap poses in a short cross-fade around the middle of the rise: no long ghosting.
                    let a = SceneSampler.smoothstep((arm.weight - 0.4) / 0.2)
                    if a < 1 { blit(cr, model.part(name, "rest"), dx, dy, alpha: 1 - a) }
                    blit(cr, model.part(name, arm.pose), dx, dy, alpha: a, rotate: arm.swing * arm.weight, around: pivot)
                } else {
                    blit(cr, model.part(name, slot.parts["rest"] != nil ? "rest" : "default"), dx, dy)
                }
            }
        }
    }

    /// Paints a cached part: a plain integer-aligned blit unless it is rotated or scaled.
    private func blit(_ cr: OpaquePointer, _ part: AvatarModel.Part?, _ dx: Double, _ dy: Double, alpha: Double = 1,
                      rotate degrees: Double = 0, scaleY: Double = 1, around pivot: (Double, Double)? = nil) {
        guard let part, alpha > 0.003 else { return }
        let x = (layout.avatarX + part.x + dx * model.scale).rounded()
        let y = (layout.avatarY + part.y + dy * model.scale).rounded()
        let transformed = (degrees != 0 || scaleY != 1) && pivot != nil
        if transformed, let (px, py) = pivot {
            cairo_save(cr)
            cairo_translate(cr, px, py)
            if degrees != 0 { cairo_rotate(cr, degrees * .pi / 180) }
            if scaleY != 1 { cairo_scale(cr, 1, scaleY) }
            cairo_translate(cr, -px, -py)
        }
        cairo_set_source_surface(cr, part.image.surface, x, y)
        if alpha >= 0.997 { cairo_paint(cr) } else { cairo_paint_with_alpha(cr, alpha) }
        if transformed { cairo_restore(cr) }
    }

    // MARK: Overlays

    private func drawCard(_ cr: OpaquePointer, _ s: SceneState) {
        guard let card = s.card, s.cardMode != .none else { return }
        let box = layout.card, u = layout.u
        let priceStyle = TextImages.Style(size: 46 * u, bold: true, color: Self.accent, maxWidth: box.w * 0.9)
        let price = texts.image(card.price, priceStyle)
        let list = card.listPrice.map { texts.image($0, .init(size: 24 * u, color: 0x8A8F98, maxWidth: box.w * 0.5, strike: true)) }
        if s.cardMode == .card {
            let key = "\(card.sku)|\(card.name)|\(card.slot ?? -1)|\(card.image ?? "")"
            let panel = cards[key] ?? makeCard(card)
            cards[key] = panel
            cairo_set_source_surface(cr, panel.surface, box.x.rounded(), box.y.rounded())
            cairo_paint(cr)
        } else {
            // Price only: a pill at the bottom of the card's place.
            let w = Double(price.width + (list?.width ?? 0)) + 60 * u, h = Double(price.height) + 20 * u
            roundedRect(cr, box.x + box.w - w, box.y + box.h - h, w, h, h / 2)
            cairo_set_source_rgba(cr, 1, 1, 1, 0.95)
            cairo_fill(cr)
        }
        // The price, pulsing while it is spoken.
        let px = s.cardMode == .card ? box.x + layout.cardTextX : box.x + box.w - Double(price.width + (list?.width ?? 0)) - 30 * u
        let py = s.cardMode == .card ? box.y + box.h - Double(price.height) - 20 * u : box.y + box.h - Double(price.height) - 10 * u
        let pulse = 1 + 0.10 * s.priceFlash
        if s.priceFlash > 0 {
            roundedRect(cr, px - 8 * u, py - 4 * u, Double(price.width) * pulse + 16 * u, Double(price.height) * pulse + 8 * u, 12 * u)
            cairo_set_source_rgba(cr, 1, 0.85, 0.2, 0.35 * s.priceFlash)
            cairo_fill(cr)
        }
        cairo_save(cr)
        cairo_translate(cr, px, py)
        cairo_scale(cr, pulse, pulse)
        cairo_set_source_surface(cr, price.surface, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
        if let list {
            cairo_set_source_surface(cr, list.surface, (px + Double(price.width) * pulse + 14 * u).rounded(), (py + Double(price.height - list.height) - 6 * u).rounded())
            cairo_paint(cr)
        }
    }

    /// The static part of a product card: panel, image, name and slot number.
    private func makeCard(_ card: ProductCard) -> CairoSurface {
        let box = layout.card, u = layout.u
        let surface = CairoSurface(width: Int(box.w), height: Int(box.h))
        surface.draw { cr in
            roundedRect(cr, 4 * u, 6 * u, box.w - 6 * u, box.h - 8 * u, 22 * u)
            cairo_set_source_rgba(cr, 0, 0, 0, 0.18)
            cairo_fill(cr)
            roundedRect(cr, 0, 0, box.w - 6 * u, box.h - 8 * u, 22 * u)
            cairo_set_source_rgba(cr, 1, 1, 1, 0.96)
            cairo_fill(cr)
            let pad = 20 * u
            let horizontal = layout.cardIsHorizontal
            let imageSide = horizontal ? box.h - 2 * pad - 8 * u : min(box.w - 2 * pad, box.h * 0.46)
            let imageX = pad, imageY = pad
            drawProductImage(cr, card, x: horizontal ? imageX : (box.w - imageSide) / 2, y: imageY, side: imageSide)
            let textX = horizontal ? layout.cardTextX : pad
            let textY = horizontal ? pad : imageY + imageSide + 12 * u
            let textW = (horizontal ? box.w - textX - pad : box.w - 2 * pad) - 6 * u
            let name = texts.image(card.name, .init(size: 27 * u, bold: true, color: 0x1D1D24, maxWidth: textW, maxLines: 2))
            cairo_set_source_surface(cr, name.surface, textX, textY)
            cairo_paint(cr)
            if let slot = card.slot {
                let label = language == .zh ? "\(slot)号" : "#\(slot)"
                let tag = texts.image(label, .init(size: 24 * u, bold: true, color: 0xFFFFFF, maxWidth: 200 * u))
                let w = Double(tag.width) + 22 * u, h = Double(tag.height) + 8 * u
                roundedRect(cr, box.w - 6 * u - w - 12 * u, 12 * u, w, h, h / 2)
                setColor(cr, Self.teal)
                cairo_fill(cr)
                cairo_set_source_surface(cr, tag.surface, box.w - 6 * u - w - 12 * u + 11 * u, 12 * u + 4 * u)
                cairo_paint(cr)
            }
        }
        return surface
    }

    private func drawProductImage(_ cr: OpaquePointer, _ card: ProductCard, x: Double, y: Double, side: Double) {
        if let path = card.image {
            switch ProductImage.load(path, width: Int(side), height: Int(side)) {
            case .success(let image):
                cairo_save(cr)
                roundedRect(cr, x, y, side, side, 16 * layout.u)
                cairo_clip(cr)
                cairo_set_source_surface(cr, image.surface, x + (side - Double(image.width)) / 2, y + (side - Double(image.height)) / 2)
                cairo_paint(cr)
                cairo_restore(cr)
                return
            case .failure(let failure):
                warn("product \(card.sku): image \(failure.path) could not be used (\(failure.reason)); showing a placeholder")
            }
        }
        // Placeholder: the product's initial on a soft tile.
        roundedRect(cr, x, y, side, side, 16 * layout.u)
        setColor(cr, 0xF1E3D3)
        cairo_fill(cr)
        let initial = String(TextImages.displayable(card.name).prefix(1))
        let letter = texts.image(initial, .init(size: side * 0.45, bold: true, color: 0xC9A27E, maxWidth: side))
        cairo_set_source_surface(cr, letter.surface, x + (side - Double(letter.width)) / 2, y + (side - Double(letter.height)) / 2)
        cairo_paint(cr)
    }

    private func drawCountdown(_ cr: OpaquePointer, _ s: SceneState) {
        guard let n = s.countdown else { return }
        let (cx, cy, r) = layout.countdown
        cairo_arc(cr, cx, cy, r, 0, 2 * .pi)
        cairo_set_source_rgba(cr, 0.9, 0.22, 0.27, 0.92)
        cairo_fill(cr)
        let number = texts.image(String(n), .init(size: r * 1.25, bold: true, color: 0xFFFFFF, maxWidth: r * 2))
        cairo_set_source_surface(cr, number.surface, (cx - Double(number.width) / 2).rounded(), (cy - Double(number.height) / 2).rounded())
        cairo_paint(cr)
    }

    private func drawBanner(_ cr: OpaquePointer, _ s: SceneState) {
        guard s.linkBanner > 0.01 else { return }
        let box = layout.banner, u = layout.u
        let slot = s.card?.slot
        let text = language == .zh ? "链接已上架" + (slot.map { " · 拍\($0)号链接" } ?? "") : "Link is up" + (slot.map { " · tap item #\($0)" } ?? "")
        let label = texts.image(text, .init(size: 28 * u, bold: true, color: 0xFFFFFF, maxWidth: box.w - 40 * u))
        let w = Double(label.width) + 48 * u, h = Double(label.height) + 18 * u
        let x = box.x + (box.w - w) / 2, y = box.y - (1 - s.linkBanner) * 30 * u
        cairo_push_group(cr)
        roundedRect(cr, x, y, w, h, h / 2)
        setColor(cr, Self.teal)
        cairo_fill(cr)
        cairo_set_source_surface(cr, label.surface, (x + 24 * u).rounded(), (y + 9 * u).rounded())
        cairo_paint(cr)
        cairo_pop_group_to_source(cr)
        cairo_paint_with_alpha(cr, s.linkBanner)
    }

    private func drawBubble(_ cr: OpaquePointer, _ s: SceneState) {
        guard let bubble = s.bubble else { return }
        let box = layout.bubble, u = layout.u
        let name = texts.image("@" + bubble.user, .init(size: 22 * u, bold: true, color: Self.teal, maxWidth: box.w - 32 * u))
        let text = texts.image(bubble.text, .init(size: 24 * u, color: 0x1D1D24, maxWidth: box.w - 32 * u, maxLines: 2))
        let h = Double(name.height + text.height) + 28 * u, w = Double(max(name.width, text.width)) + 32 * u
        roundedRect(cr, box.x, box.y, w, h, 18 * u)
        cairo_set_source_rgba(cr, 1, 1, 1, 0.95)
        cairo_fill(cr)
        cairo_move_to(cr, box.x + 30 * u, box.y + h)
        cairo_line_to(cr, box.x + 52 * u, box.y + h + 18 * u)
        cairo_line_to(cr, box.x + 60 * u, box.y + h)
        cairo_fill(cr)
        cairo_set_source_surface(cr, name.surface, box.x + 16 * u, box.y + 10 * u)
        cairo_paint(cr)
        cairo_set_source_surface(cr, text.surface, box.x + 16 * u, box.y + 14 * u + Double(name.height))
        cairo_paint(cr)
    }

    /// The spoken line, wrapped, with the current word highlighted; at most two lines are shown,
    /// scrolling with the highlight, so a long line never runs off the frame.
    private func drawSubtitle(_ cr: OpaquePointer, _ s: SceneState) {
        guard let sub = s.subtitle else { return }
        let box = layout.subtitle, u = layout.u
        let shown = TextImages.displayable(sub.text)
        guard !shown.isEmpty else { return }
        let style = TextImages.Style(size: (layout.portrait ? 32 : 30) * u, bold: true, color: 0xFFFFFF, maxWidth: box.w - 40 * u, maxLines: 0, center: true)
        if subtitles.count > 64 { subtitles.removeAll() }
        let entry = subtitles[shown] ?? {
            let l = TextLayout(shown, style)
            return (l, l.render())
        }()
        subtitles[shown] = entry
        let lineHeight = style.size * 1.45
        var top = 0.0
        var highlightBox: (x: Double, y: Double, width: Double, height: Double)?
        if let span = sub.highlight.flatMap({ Self.utf8Range(of: $0, in: sub.text, shown: shown) }) {
            let b = entry.layout.box(fromByte: span.lowerBound, toByte: span.upperBound)
            highlightBox = b
            top = max(0, (b.y / lineHeight).rounded(.down) - 1) * lineHeight
        }
        let visible = min(Double(entry.image.height) - top, lineHeight * 2 + 4)
        let panelH = visible + 20 * u
        let panelY = box.y + (box.h - panelH) / 2
        roundedRect(cr, box.x, panelY, box.w, panelH, 16 * u)
        cairo_set_source_rgba(cr, 0.08, 0.08, 0.12, 0.62)
        cairo_fill(cr)
        let textX = (box.x + (box.w - Double(entry.image.width)) / 2).rounded(), textY = (panelY + 10 * u - top).rounded()
        cairo_save(cr)
        cairo_rectangle(cr, box.x, panelY + 6 * u, box.w, visible + 8 * u)
        cairo_clip(cr)
        if let b = highlightBox {
            roundedRect(cr, textX + b.x - 4 * u, textY + b.y, b.width + 8 * u, b.height + 2, 8 * u)
            cairo_set_source_rgba(cr, 1, 0.82, 0.25, 0.95)
            cairo_fill(cr)
        }
        cairo_set_source_surface(cr, entry.image.surface, textX, textY)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    /// A scalar span of the original text as UTF-8 bytes of the displayable text.
    static func utf8Range(of span: TextSpan, in original: String, shown: String) -> Range<Int>? {
        let kept = Set(shown.unicodeScalars.map { $0 })
        var byte = 0, start: Int?, end: Int?
        for (i, c) in original.unicodeScalars.enumerated() {
            if i == span.start { start = byte }
            if i == span.end { end = byte; break }
            if kept.contains(c) { byte += String(c).utf8.count }
        }
        guard let s = start else { return nil }
        return s..<(end ?? byte)
    }

    // MARK: Helpers

    private func paintBackground(_ b: Background, into surface: CairoSurface) {
        surface.draw { cr in
            switch b {
            case .color(let c): setColor(cr, c); cairo_paint(cr)
            case .green: setColor(cr, 0x00B140); cairo_paint(cr)
            case .transparent: break
            case .image(let path):
                switch ProductImage.load(path, width: width * 4, height: height * 4) {
                case .success(let image):
                    let k = max(Double(width) / Double(image.width), Double(height) / Double(image.height))
                    cairo_scale(cr, k, k)
                    cairo_set_source_surface(cr, image.surface, (Double(width) / k - Double(image.width)) / 2, (Double(height) / k - Double(image.height)) / 2)
                    cairo_paint(cr)
                case .failure(let f):
                    warn("background \(f.path) could not be used (\(f.reason)); using the studio background")
                    studio(cr)
                }
            case .studio: studio(cr)
            }
        }
    }

    private func studio(_ cr: OpaquePointer) {
        let g = cairo_pattern_create_linear(0, 0, 0, Double(height))
        cairo_pattern_add_color_stop_rgb(g, 0, 0.99, 0.89, 0.89)
        cairo_pattern_add_color_stop_rgb(g, 1, 0.80, 0.90, 0.96)
        cairo_set_source(cr, g)
        cairo_paint(cr)
        cairo_pattern_destroy(g)
        // A soft floor glow behind the presenter.
        let cx = layout.avatarX + model.width / 2
        let r = cairo_pattern_create_radial(cx, Double(height) * 0.55, 10, cx, Double(height) * 0.55, model.width * 0.6)
        cairo_pattern_add_color_stop_rgba(r, 0, 1, 1, 1, 0.55)
        cairo_pattern_add_color_stop_rgba(r, 1, 1, 1, 1, 0)
        cairo_set_source(cr, r)
        cairo_paint(cr)
        cairo_pattern_destroy(r)
    }

    private func warn(_ message: String) {
        if !warnings.contains(message) { warnings.append(message) }
    }
}

func roundedRect(_ cr: OpaquePointer, _ x: Double, _ y: Double, _ w: Double, _ h: Double, _ r: Double) {
    let r = min(r, w / 2, h / 2)
    cairo_new_sub_path(cr)
    cairo_arc(cr, x + w - r, y + r, r, -.pi / 2, 0)
    cairo_arc(cr, x + w - r, y + h - r, r, 0, .pi / 2)
    cairo_arc(cr, x + r, y + h - r, r, .pi / 2, .pi)
    cairo_arc(cr, x + r, y + r, r, .pi, 3 * .pi / 2)
    cairo_close_path(cr)
}

func setColor(_ cr: OpaquePointer, _ c: UInt32) {
    cairo_set_source_rgb(cr, Double((c >> 16) & 0xFF) / 255, Double((c >> 8) & 0xFF) / 255, Double(c & 0xFF) / 255)
}
