import AnchorCore
import Foundation

struct CountdownPlan {
    var cx, cy, r: Double
    var number: CairoSurface
    var numberX: Double, numberY: Double
}

struct BannerPlan {
    var label: CairoSurface
    var x, y, w, h, u: Double
    var alpha: Double
}

struct BubblePlan {
    var name: CairoSurface, text: CairoSurface
    var x, y, w, h, u: Double
    var style: ChatBubble.Style
    /// 0…1 while it pops in: scale and opacity.
    var appear: Double
    /// The tail under the bubble, pointing at the presenter.
    var tail: Double { 18 * u }
}

struct SubtitlePlan {
    var image: CairoSurface
    var panel: (x: Double, y: Double, w: Double, h: Double)
    /// The rows of text that show (two at most).
    var window: (y: Double, h: Double)
    var textX: Double, textY: Double
    var highlight: (x: Double, y: Double, w: Double, h: Double)?
    var u: Double
}

/// The overlays over the presenter: countdown, "link is up" banner, chat bubble, subtitles.
extension FrameRenderer {
    func countdownLayer(_ s: SceneState) -> Layer {
        guard let n = s.countdown else { return .absent }
        let (cx, cy, r) = layout.countdown
        let number = texts.image(String(n), .init(size: r * 1.25, bold: true, color: 0xFFFFFF, maxWidth: r * 2))
        let plan = CountdownPlan(cx: cx, cy: cy, r: r, number: number, numberX: (cx - Double(number.width) / 2).rounded(),
                                 numberY: (cy - Double(number.height) / 2).rounded())
        let bounds = PixelRect(covering: cx - r, cy - r, 2 * r, 2 * r, pad: 1)
            .union(PixelRect(covering: plan.numberX, plan.numberY, Double(number.width), Double(number.height)))
        return Layer(look: .countdown(n), bounds: bounds, paint: .countdown(plan))
    }

    func drawCountdown(_ g: borrowing DrawingContext, _ p: CountdownPlan) {
        g.circle(p.cx, p.cy, radius: p.r)
        g.setColor(red: 0.9, green: 0.22, blue: 0.27, alpha: 0.92)
        g.fill()
        g.draw(p.number, x: p.numberX, y: p.numberY)
    }

    func bannerLayer(_ s: SceneState) -> Layer {
        // A lucky draw's panel takes the banner's place while it runs.
        guard s.linkBanner > 0.01, s.draw == nil else { return .absent }
        let box = layout.banner, u = layout.u
        let slot = s.card?.slot
        let text = s.language == .zh ? "链接已上架" + (slot.map { " · 拍\($0)号链接" } ?? "") : "Link is up" + (slot.map { " · tap item #\($0)" } ?? "")
        let label = texts.image(text, .init(size: 28 * u, bold: true, color: 0xFFFFFF, maxWidth: box.w - 40 * u))
        let w = Double(label.width) + 48 * u, h = Double(label.height) + 18 * u
        let plan = BannerPlan(label: label, x: box.x + (box.w - w) / 2, y: box.y - (1 - s.linkBanner) * 30 * u, w: w, h: h, u: u, alpha: s.linkBanner)
        return Layer(look: .banner(visibility: s.linkBanner, text: text), bounds: PixelRect(covering: plan.x, plan.y, w, h, pad: 1),
                     paint: .banner(plan))
    }

    /// Before a scheduled show: when it starts and a countdown, big, at the bottom.
    func warmupLayer(_ s: SceneState) -> Layer {
        guard let w = s.warmup else { return .absent }
        let u = layout.u
        let left = w.secondsLeft >= 3600 ? String(format: "%d:%02d:%02d", w.secondsLeft / 3600, w.secondsLeft / 60 % 60, w.secondsLeft % 60)
                                         : String(format: "%d:%02d", w.secondsLeft / 60, w.secondsLeft % 60)
        let text = s.language == .zh ? "\(w.startsAt) 开播 · 还有 \(left)" : "Live at \(w.startsAt) · starting in \(left)"
        let label = texts.image(text, .init(size: 40 * u, bold: true, color: 0xFFFFFF, maxWidth: layout.width * 0.9))
        let width = Double(label.width) + 64 * u, h = Double(label.height) + 28 * u
        let plan = BannerPlan(label: label, x: (layout.width - width) / 2, y: layout.height * 0.82, w: width, h: h, u: u * 1.4, alpha: 0.94)
        return Layer(look: .warmup(w, s.language), bounds: PixelRect(covering: plan.x, plan.y, width, h, pad: 1), paint: .draw(plan))
    }

    /// A lucky draw taking entries: the keyword to type, the time left and how many entered.
    func drawLayer(_ s: SceneState) -> Layer {
        guard let d = s.draw else { return .absent }
        let box = layout.banner, u = layout.u
        let clock = String(format: "%d:%02d", d.secondsLeft / 60, d.secondsLeft % 60)
        let text = s.language == .zh ? "抽奖 · 发送“\(d.keyword)” · \(clock) · \(d.entrants)人参与"
                                     : "Lucky draw · type “\(d.keyword)” · \(clock) · \(d.entrants) entered"
        let label = texts.image(text, .init(size: 28 * u, bold: true, color: 0xFFFFFF, maxWidth: box.w * 1.4 - 40 * u))
        let w = Double(label.width) + 48 * u, h = Double(label.height) + 18 * u
        let plan = BannerPlan(label: label, x: box.x + (box.w - w) / 2, y: box.y, w: w, h: h, u: u, alpha: 1)
        return Layer(look: .draw(d, s.language), bounds: PixelRect(covering: plan.x, plan.y, w, h, pad: 1), paint: .draw(plan))
    }

    func drawBanner(_ g: borrowing DrawingContext, _ p: BannerPlan, color: UInt32 = FrameRenderer.teal) {
        g.group(alpha: p.alpha) { g in
            g.roundedRect(p.x, p.y, p.w, p.h, p.h / 2)
            g.setColor(color)
            g.fill()
            g.draw(p.label, x: (p.x + 24 * p.u).rounded(), y: (p.y + 9 * p.u).rounded())
        }
    }

    func bubbleLayer(_ s: SceneState) -> Layer {
        guard let bubble = s.bubble else { return .absent }
        let box = layout.bubble, u = layout.u
        // A thanks leaves room for the heart before the names.
        let heart = bubble.style == .thanks ? 30 * u : 0
        let header = bubble.style == .thanks ? bubble.user : "@" + bubble.user
        let color: UInt32 = switch bubble.style { case .question: Self.teal; case .thanks: 0xD6336C; case .paid: 0xB7791F }
        let name = texts.image(header, .init(size: 22 * u, bold: true, color: color, maxWidth: box.w - 32 * u - heart))
        let text = texts.image(bubble.text, .init(size: 24 * u, color: 0x1D1D24, maxWidth: box.w - 32 * u, maxLines: 2))
        let plan = BubblePlan(name: name, text: text, x: box.x, y: box.y, w: max(Double(name.width) + heart, Double(text.width)) + 32 * u,
                              h: Double(name.height + text.height) + 28 * u, u: u, style: bubble.style, appear: s.bubbleIn)
        return Layer(look: .bubble(bubble, appear: s.bubbleIn), bounds: PixelRect(covering: plan.x, plan.y, plan.w, plan.h + plan.tail + Self.bubbleRise * u, pad: 1),
                     paint: .bubble(plan))
    }

    func drawBubble(_ g: borrowing DrawingContext, _ p: BubblePlan) {
        g.saved { g in
            if p.appear < 1 {
                // Rises into place by whole pixels while it fades in (scaling would resample the
                // text differently in a partial redraw than in a full one).
                g.translate(0, (Self.bubbleRise * p.u * (1 - p.appear)).rounded())
                g.group(alpha: p.appear) { g in drawBubbleBody(g, p) }
            } else {
                drawBubbleBody(g, p)
            }
        }
    }

    private func drawBubbleBody(_ g: borrowing DrawingContext, _ p: BubblePlan) {
        let u = p.u
        g.roundedRect(p.x, p.y, p.w, p.h, 18 * u)
        switch p.style {
        case .question, .thanks: g.setColor(red: 1, green: 1, blue: 1, alpha: 0.95)
        case .paid: g.setColor(red: 1, green: 0.96, blue: 0.82, alpha: 0.97)
        }
        g.fill()
        g.move(to: p.x + 30 * u, p.y + p.h)
        g.line(to: p.x + 52 * u, p.y + p.h + p.tail)
        g.line(to: p.x + 60 * u, p.y + p.h)
        g.fill()
        var nameX = p.x + 16 * u
        if p.style == .thanks {
            drawHeart(g, cx: nameX + 12 * u, cy: p.y + 10 * u + Double(p.name.height) / 2, size: 22 * u)
            nameX += 30 * u
        }
        g.draw(p.name, x: nameX, y: p.y + 10 * u)
        g.draw(p.text, x: p.x + 16 * u, y: p.y + 14 * u + Double(p.name.height))
    }

    /// How far (in font units) a bubble rises as it pops in.
    static let bubbleRise = 12.0

    /// A filled heart centred at (cx, cy), `size` wide.
    func drawHeart(_ g: borrowing DrawingContext, cx: Double, cy: Double, size: Double) {
        let s = size / 2
        g.move(to: cx, cy + s * 0.9)
        g.curve(cx - s * 1.3, cy, cx - s * 0.7, cy - s * 1.1, to: cx, cy - s * 0.4)
        g.curve(cx + s * 0.7, cy - s * 1.1, cx + s * 1.3, cy, to: cx, cy + s * 0.9)
        g.closePath()
        g.setColor(red: 0.84, green: 0.2, blue: 0.42)
        g.fill()
    }

    /// The spoken line, wrapped, with the current word highlighted; at most two lines are shown,
    /// scrolling with the highlight, so a long line never runs off the frame.
    func subtitleLayer(_ s: SceneState) -> Layer {
        guard let sub = s.subtitle else { return .absent }
        let box = layout.subtitle, u = layout.u
        let shown = TextImages.displayable(sub.text)
        guard !shown.isEmpty else { return .absent }
        let style = TextImages.Style(size: (layout.portrait ? 32 : 30) * u, bold: true, color: 0xFFFFFF, maxWidth: box.w - 40 * u, maxLines: 0, center: true)
        if subtitles.count > 64 { subtitles.removeAll() }
        let entry = subtitles[shown] ?? {
            let l = TextLayout(shown, style)
            return (l, l.render())
        }()
        subtitles[shown] = entry
        let lineHeight = style.size * 1.45
        var top = 0.0
        var word: (x: Double, y: Double, width: Double, height: Double)?
        if let span = sub.highlight.flatMap({ Self.utf8Range(of: $0, in: sub.text, shown: shown) }) {
            let b = entry.layout.box(fromByte: span.lowerBound, toByte: span.upperBound)
            word = b
            top = max(0, (b.y / lineHeight).rounded(.down) - 1) * lineHeight
        }
        let visible = min(Double(entry.image.height) - top, lineHeight * 2 + 4)
        let panelH = visible + 20 * u
        let panelY = box.y + (box.h - panelH) / 2
        let textX = (box.x + (box.w - Double(entry.image.width)) / 2).rounded(), textY = (panelY + 10 * u - top).rounded()
        let plan = SubtitlePlan(image: entry.image, panel: (box.x, panelY, box.w, panelH), window: (panelY + 6 * u, visible + 8 * u),
                                textX: textX, textY: textY, highlight: word.map { (textX + $0.x - 4 * u, textY + $0.y, $0.width + 8 * u, $0.height + 2) },
                                u: u)
        let marked = plan.highlight.map { PixelRect(covering: $0.x, $0.y, $0.w, $0.h, pad: 1) } ?? .zero
        return Layer(look: .subtitle(sub.text, top: top), bounds: PixelRect(covering: box.x, panelY, box.w, panelH, pad: 1),
                     paint: .subtitle(plan), detail: .word(sub.highlight), detailBounds: marked)
    }

    func drawSubtitle(_ g: borrowing DrawingContext, _ p: SubtitlePlan) {
        let u = p.u
        g.roundedRect(p.panel.x, p.panel.y, p.panel.w, p.panel.h, 16 * u)
        g.setColor(red: 0.08, green: 0.08, blue: 0.12, alpha: 0.62)
        g.fill()
        g.saved { g in
            g.rectangle(p.panel.x, p.window.y, p.panel.w, p.window.h)
            g.clip()
            if let h = p.highlight {
                g.roundedRect(h.x, h.y, h.w, h.h, 8 * u)
                g.setColor(red: 1, green: 0.82, blue: 0.25, alpha: 0.95)
                g.fill()
            }
            g.draw(p.image, x: p.textX, y: p.textY)
        }
    }
}
