import AnchorCore
import Foundation

/// Draws frames: background, the avatar composed from its cached parts, and the commerce
/// overlays. One renderer owns one frame buffer, reused for every frame.
/// Sendable (unchecked) only so a channel can create it and move it onto its frame thread: it is
/// then used by that thread alone (one cairo context, one frame buffer).
public final class FrameRenderer: @unchecked Sendable {
    public let width: Int
    public let height: Int
    public let model: AvatarModel
    /// Decoded pictures of the clips a show plays (`@play`); without it they are not drawn.
    public var clips: (any ClipFrames)?
    /// Problems met while drawing (an image that would not decode…), each once.
    public private(set) var warnings: [String] = []

    let layout: Layout
    let frame: CairoSurface
    private let background: CairoSurface?
    private let transparent: Bool
    let texts = TextImages()
    var cards: [String: CairoSurface] = [:]
    var subtitles: [String: (layout: TextLayout, image: CairoSurface)] = [:]
    /// The layers of the last render, to compare the next one with.
    private var previous: [Layer] = []
    /// What changed since `takeDamage()` was last called.
    private var pending: Damage

    static let accent: UInt32 = 0xE63946
    static let teal: UInt32 = 0x2A9D8F

    public init(avatarFolder: String, width: Int, height: Int, background: Background = .studio) throws(AvatarError) {
        guard width >= 64, height >= 64, width <= 7680, height <= 7680 else {
            throw AvatarError.rigInvalid(avatarFolder, "frame size \(width)x\(height) is out of range (64 to 7680 pixels a side)")
        }
        self.width = width
        self.height = height
        let rig = try Rig.load(from: (avatarFolder as NSString).appendingPathComponent("rig.json"))
        model = try AvatarModel(folder: avatarFolder, scale: Layout.avatarScale(width: width, height: height, rig: rig))
        layout = Layout(width: width, height: height, canvasWidth: rig.canvasWidth, canvasHeight: rig.canvasHeight)
        frame = CairoSurface(width: width, height: height)
        pending = Damage(width: width, height: height)
        transparent = background == .transparent
        self.background = transparent ? nil : CairoSurface(width: width, height: height)
        if let bg = self.background { paintBackground(background, into: bg) }
        if !model.missingParts.isEmpty {
            warnings.append("avatar \(rig.name): parts not in the SVG, using fallbacks: " + model.missingParts.joined(separator: ", "))
        }
    }

    /// Renders a scene into the frame buffer and returns it (valid until the next render).
    /// Only the layers whose look changed since the previous render are drawn again, clipped
    /// to where they were and are; `takeDamage()` tells a converter which pixels those are.
    @discardableResult
    public func render(_ s: SceneState) -> CairoSurface {
        let layers = self.layers(s)
        var changed = Damage(width: width, height: height)
        if previous.count == layers.count {
            for (old, new) in zip(previous, layers) {
                for r in old.damage(to: new) { changed.add(r) }
            }
        } else {
            changed = .full(width: width, height: height)
        }
        previous = layers
        guard !changed.isEmpty else { return frame }
        pending.formUnion(changed)
        frame.draw { g in
            let full = changed.isFull
            if !full {
                for r in changed.rects { g.rectangle(Double(r.x), Double(r.y), Double(r.width), Double(r.height)) }
                g.clip()
            }
            g.setOperator(.replace)
            if let background {
                g.draw(background, x: 0, y: 0)
            } else {
                g.setColor(red: 0, green: 0, blue: 0, alpha: 0)
                g.paint()
            }
            g.setOperator(.over)
            for layer in layers where !layer.bounds.isEmpty {
                if full || changed.rects.contains(where: { !$0.intersection(layer.bounds).isEmpty }) { paint(g, layer.paint) }
            }
        }
        return frame
    }

    /// Draws the whole frame at the next render (after its pixels were changed from outside).
    public func invalidate() { previous = [] }

    /// Where the frame changed since the last call (all of it the first time): the only pixels
    /// a colour converter needs to convert again.
    public func takeDamage() -> Damage {
        defer { pending = Damage(width: width, height: height) }
        return pending
    }

    private func layers(_ s: SceneState) -> [Layer] {
        let clip = clipLayer(s)
        // A full-screen clip covers the presenter and the card: they are not drawn under it.
        if case .clip = clip.look, s.clip?.placement == .full {
            var out = [Layer](repeating: .absent, count: model.rig.order.count + 2)
            out[out.count - 1] = clip
            return out + overlayLayers(s)
        }
        var out = avatarLayers(s)
        out.append(cardLayer(s))
        out.append(clip)
        return out + overlayLayers(s)
    }

    /// What is drawn over the presenter, the card and any clip.
    private func overlayLayers(_ s: SceneState) -> [Layer] {
        var out: [Layer] = []
        out.append(countdownLayer(s))
        out.append(bannerLayer(s))
        out.append(drawLayer(s))
        out.append(warmupLayer(s))
        out.append(bubbleLayer(s))
        out.append(subtitleLayer(s))
        return out
    }

    private func paint(_ g: borrowing DrawingContext, _ paint: Layer.Paint) {
        switch paint {
        case .nothing: break
        case .parts(let parts): for p in parts { blit(g, p) }
        case .card(let plan): drawCard(g, plan)
        case .countdown(let plan): drawCountdown(g, plan)
        case .banner(let plan): drawBanner(g, plan)
        case .draw(let plan): drawBanner(g, plan, color: 0xD6336C)
        case .bubble(let plan): drawBubble(g, plan)
        case .subtitle(let plan): drawSubtitle(g, plan)
        case .clip(let image, let x, let y, let border): drawClip(g, image, x: x, y: y, border: border)
        }
    }

    // MARK: Avatar

    private static let openVisemes: Set<Viseme> = [.AI, .E, .O, .L, .etc]

    /// One layer per rig slot, in drawing order, each with the parts it paints this frame.
    private func avatarLayers(_ s: SceneState) -> [Layer] {
        let rig = model.rig, k = model.scale
        var out: [Layer] = []
        out.reserveCapacity(rig.order.count + 5)
        for name in rig.order {
            guard let slot = rig.slots[name] else { continue }
            let head = slot.follows == "head"
            var dx = head ? s.headX : 0, dy = head ? s.headY : s.bodyY
            if name == "brows" { dy += s.browOffset }
            let pivot = slot.pivot.map { SIMD2(layout.avatarX + ($0[0] + dx) * k, layout.avatarY + ($0[1] + dy) * k) }
            var parts: [PartDraw] = []
            func add(_ part: AvatarModel.Part?, alpha: Double = 1, rotate: Double = 0, scaleY: Double = 1) {
                guard let part, alpha > 0.003 else { return }
                let x = (layout.avatarX + part.x + dx * k).rounded(), y = (layout.avatarY + part.y + dy * k).rounded()
                let transformed = (rotate != 0 || scaleY != 1) && pivot != nil
                parts.append(PartDraw(image: part.image, x: x, y: y, alpha: alpha, degrees: transformed ? rotate : 0,
                                      scaleY: transformed ? scaleY : 1, pivot: transformed ? pivot! : .zero))
            }
            switch name {
            case "eyes":
                add(model.part(name, s.eyes))
            case "mouth":
                for (viseme, weight) in s.mouth where weight > 0.01 {
                    let sy = Self.openVisemes.contains(viseme) ? 0.78 + 0.44 * s.jaw : 1
                    add(model.part(name, viseme.rawValue), alpha: weight, scaleY: sy)
                }
            default:
                if let arm = s.arms[name] {
                    // Swap poses in a short cross-fade around the middle of the rise: no long ghosting.
                    let a = SceneSampler.smoothstep((arm.weight - 0.4) / 0.2)
                    if a < 1 { add(model.part(name, "rest"), alpha: 1 - a) }
                    add(model.part(name, arm.pose), alpha: a, rotate: arm.swing * arm.weight)
                } else {
                    add(model.part(name, slot.parts["rest"] != nil ? "rest" : "default"))
                }
            }
            let bounds = parts.reduce(PixelRect.zero) { $0.union($1.bounds) }
            out.append(Layer(look: .parts(parts), bounds: bounds, paint: .parts(parts)))
        }
        return out
    }

    /// Paints a part: a plain integer-aligned blit unless it is rotated or scaled.
    private func blit(_ g: borrowing DrawingContext, _ p: PartDraw) {
        let alpha = p.alpha >= 0.997 ? 1 : p.alpha
        guard p.degrees != 0 || p.scaleY != 1 else { return g.draw(p.image, x: p.x, y: p.y, alpha: alpha) }
        g.saved { g in
            g.translate(p.pivot.x, p.pivot.y)
            if p.degrees != 0 { g.rotate(degrees: p.degrees) }
            if p.scaleY != 1 { g.scale(1, p.scaleY) }
            g.translate(-p.pivot.x, -p.pivot.y)
            g.draw(p.image, x: p.x, y: p.y, alpha: alpha)
        }
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
        surface.draw { g in
            switch b {
            case .color(let c): g.setColor(c); g.paint()
            case .green: g.setColor(0x00B140); g.paint()
            case .transparent: break
            case .image(let path):
                switch ProductImage.load(path, width: width * 4, height: height * 4) {
                case .success(let image):
                    let k = max(Double(width) / Double(image.width), Double(height) / Double(image.height))
                    g.scale(k, k)
                    g.draw(image, x: (Double(width) / k - Double(image.width)) / 2, y: (Double(height) / k - Double(image.height)) / 2)
                case .failure(let f):
                    warn("background \(f.path) could not be used (\(f.reason)); using the studio background")
                    studio(g)
                }
            case .studio: studio(g)
            }
        }
    }

    private func studio(_ g: borrowing DrawingContext) {
        g.paintLinearGradient(from: 0, 0, to: 0, Double(height), [.init(offset: 0, red: 0.99, green: 0.89, blue: 0.89),
                                                                   .init(offset: 1, red: 0.80, green: 0.90, blue: 0.96)])
        // A soft floor glow behind the presenter.
        let cx = layout.avatarX + model.width / 2
        g.paintRadialGradient(centre: cx, Double(height) * 0.55, radius: 10, to: model.width * 0.6,
                              [.init(offset: 0, red: 1, green: 1, blue: 1, alpha: 0.55), .init(offset: 1, red: 1, green: 1, blue: 1, alpha: 0)])
    }

    func warn(_ message: String) {
        if !warnings.contains(message) { warnings.append(message) }
    }
}
