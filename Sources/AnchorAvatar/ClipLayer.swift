import AnchorCore

/// Where a renderer gets the pictures of played clips: decoded elsewhere, drawn here.
public protocol ClipFrames: AnyObject {
    /// The picture of `file` at `milliseconds` into it, fitted into a `width`×`height` surface,
    /// and a number that changes exactly when the picture does; nil when the file has no picture.
    /// Around a picture of another shape (and through a transparent one) shows `matte` (0xAARRGGBB).
    func picture(_ file: String, at milliseconds: Int, width: Int, height: Int, matte: UInt32) -> (image: CairoSurface, frame: Int)?
}

extension FrameRenderer {
    /// The clip playing, in its box; absent when nothing plays or the file has no picture.
    func clipLayer(_ s: SceneState) -> Layer {
        guard let shot = s.clip, let clips else { return .absent }
        let box: Layout.Box
        switch shot.placement {
        case .full: box = Layout.Box(x: 0, y: 0, w: Double(width), h: Double(height))
        case .window: box = layout.clipWindow
        case .card: box = layout.cardImage
        }
        let rect = PixelRect(x: Int(box.x.rounded()), y: Int(box.y.rounded()), width: Int(box.w.rounded()), height: Int(box.h.rounded()))
        guard rect.width > 0, rect.height > 0,
              let (image, frame) = clips.picture(shot.file, at: shot.milliseconds, width: rect.width, height: rect.height,
                                                        matte: shot.placement == .card ? 0xFFFF_FFFF : 0xFF00_0000) else { return .absent }
        // A window gets a white frame and a soft shadow, like a picture-in-picture on TV.
        let border = shot.placement == .window ? max(2, (5 * layout.u).rounded()) : 0
        let bounds = border == 0 ? rect : PixelRect(covering: Double(rect.x) - border, Double(rect.y) - border, Double(rect.width) + 2 * border,
                                                    Double(rect.height) + 2 * border, pad: Int(border) + 4)
        return Layer(look: .clip(shot.file, frame: frame), bounds: bounds,
                     paint: .clip(image, x: Double(rect.x), y: Double(rect.y), border: border))
    }

    func drawClip(_ g: borrowing DrawingContext, _ image: CairoSurface, x: Double, y: Double, border: Double) {
        if border > 0 {
            let w = Double(image.width), h = Double(image.height)
            // The shadow: three widening, faint rounded rectangles a little below the frame.
            for i in stride(from: 3.0, through: 1, by: -1) {
                let spread = border + i
                g.roundedRect(x - spread, y - spread + border * 0.6, w + 2 * spread, h + 2 * spread, spread)
                g.setColor(red: 0, green: 0, blue: 0, alpha: 0.07)
                g.fill()
            }
            g.roundedRect(x - border, y - border, w + 2 * border, h + 2 * border, border)
            g.setColor(0xFFFFFF)
            g.fill()
        }
        g.draw(image, x: x, y: y)
    }
}
