/// Where things go on a frame: the avatar and the overlays, for landscape or portrait.
struct Layout {
    struct Box { var x, y, w, h: Double }

    let width: Double, height: Double
    let portrait: Bool
    /// Font unit: 1 at 720 pixels on the short side.
    let u: Double
    let avatarScale: Double
    let avatarX: Double, avatarY: Double
    let card: Box, subtitle: Box, banner: Box, bubble: Box
    let countdown: (x: Double, y: Double, r: Double)

    init(width: Int, height: Int, canvasWidth: Double, canvasHeight: Double) {
        let w = Double(width), h = Double(height)
        self.width = w
        self.height = h
        portrait = h > w
        u = min(w, h) / 720
        if portrait {
            // The presenter fills the width and stands behind the card, as in vertical rooms.
            card = Box(x: w * 0.05, y: h * 0.585, w: w * 0.90, h: h * 0.215)
            avatarScale = min(w / canvasWidth, (card.y + card.h * 0.4 - h * 0.12) / canvasHeight)
            avatarX = (w - canvasWidth * avatarScale) / 2
            avatarY = card.y + card.h * 0.4 - canvasHeight * avatarScale
            subtitle = Box(x: w * 0.04, y: h * 0.82, w: w * 0.92, h: h * 0.15)
            banner = Box(x: w * 0.10, y: h * 0.015, w: w * 0.80, h: h * 0.045)
            bubble = Box(x: w * 0.04, y: h * 0.075, w: w * 0.56, h: h * 0.10)
            countdown = (w * 0.84, card.y - 80 * u, 62 * u)
        } else {
            avatarScale = h * 0.98 / canvasHeight
            avatarX = w * 0.32 - canvasWidth * avatarScale / 2
            avatarY = h - canvasHeight * avatarScale
            card = Box(x: w * 0.62, y: h * 0.08, w: w * 0.345, h: h * 0.64)
            subtitle = Box(x: w * 0.04, y: h * 0.79, w: w * 0.92, h: h * 0.18)
            banner = Box(x: w * 0.25, y: h * 0.02, w: w * 0.50, h: h * 0.075)
            bubble = Box(x: w * 0.02, y: h * 0.04, w: w * 0.30, h: h * 0.16)
            countdown = (w * 0.54, h * 0.36, 70 * u)
        }
    }

    /// The product card puts its image left of the text when it is wide (portrait frames).
    var cardIsHorizontal: Bool { card.w / card.h > 1.6 }

    /// Where the card's text column starts, from the card's left edge.
    var cardTextX: Double {
        let pad = 20 * u
        return cardIsHorizontal ? pad + (card.h - 2 * pad - 8 * u) + pad : 24 * u
    }

    /// The square of the card where the product's picture goes (frame coordinates).
    var cardImage: Box {
        let pad = 20 * u
        if cardIsHorizontal {
            let side = card.h - 2 * pad - 8 * u
            return Box(x: card.x + pad, y: card.y + pad, w: side, h: side)
        }
        let side = min(card.w - 2 * pad, card.h * 0.46)
        return Box(x: card.x + (card.w - side) / 2, y: card.y + pad, w: side, h: side)
    }

    /// Where a clip played in a window goes: 16:9 beside the presenter (over the card's place).
    var clipWindow: Box {
        if portrait { return Box(x: card.x, y: card.y, w: card.w, h: card.h) }
        let w = width * 0.44
        return Box(x: width * 0.53, y: height * 0.06, w: w, h: w * 9 / 16)
    }

    /// The avatar scale for a frame size (the model is rasterized at it).
    static func avatarScale(width: Int, height: Int, rig: Rig) -> Double {
        Layout(width: width, height: height, canvasWidth: rig.canvasWidth, canvasHeight: rig.canvasHeight).avatarScale
    }
}
