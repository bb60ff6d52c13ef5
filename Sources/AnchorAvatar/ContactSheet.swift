import Foundation

/// A grid of stills with captions, so an author sees a show at a glance.
public enum ContactSheet {
    /// `moments`: times (samples) and captions.
    public static func make(performance: Performance, avatarFolder: String, moments: [(at: Int, caption: String)],
                            cellWidth: Int, cellHeight: Int, columns: Int = 4, background: Background = .studio,
                            clips: (any ClipFrames)? = nil) throws(AvatarError) -> CairoSurface {
        let renderer = try FrameRenderer(avatarFolder: avatarFolder, width: cellWidth, height: cellHeight, background: background)
        renderer.clips = clips
        let sampler = SceneSampler(performance: performance, rig: renderer.model.rig)
        let captionHeight = 30, gap = 8
        let cols = max(1, min(columns, moments.count)), rows = max(1, (moments.count + cols - 1) / cols)
        let sheet = CairoSurface(width: cols * (cellWidth + gap) + gap, height: rows * (cellHeight + captionHeight + gap) + gap)
        let texts = TextImages()
        sheet.draw { g in
            g.setColor(red: 0.12, green: 0.12, blue: 0.15)
            g.paint()
            for (i, m) in moments.enumerated() {
                let x = gap + (i % cols) * (cellWidth + gap), y = gap + (i / cols) * (cellHeight + captionHeight + gap)
                let frame = renderer.render(sampler.state(at: m.at))
                g.draw(frame, x: Double(x), y: Double(y))
                let caption = texts.image(m.caption, .init(size: 15, color: 0xEEEEEE, maxWidth: Double(cellWidth)))
                g.draw(caption, x: Double(x), y: Double(y + cellHeight + 5))
            }
        }
        return sheet
    }
}
