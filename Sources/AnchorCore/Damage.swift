/// The parts of a picture that changed since some earlier picture: a few rectangles, merged
/// when they touch or overlap, so callers can redraw and reconvert only those pixels.
public struct Damage: Sendable, Equatable {
    /// Inside this frame; nothing outside is ever reported.
    public let bounds: PixelRect
    public private(set) var rects: [PixelRect] = []

    /// More rectangles than this are merged into their bounding box.
    static let maxRects = 6

    public init(width: Int, height: Int) {
        bounds = PixelRect(x: 0, y: 0, width: width, height: height)
    }

    /// Everything changed.
    public static func full(width: Int, height: Int) -> Damage {
        var d = Damage(width: width, height: height)
        d.rects = [d.bounds]
        return d
    }

    public var isEmpty: Bool { rects.isEmpty }
    public var isFull: Bool { rects.count == 1 && rects[0] == bounds }
    /// Pixels covered (rectangles never overlap after merging).
    public var area: Int { rects.reduce(0) { $0 + $1.area } }

    public mutating func add(_ rect: PixelRect) {
        var r = rect.aligned(to: 2, within: bounds)
        guard !r.isEmpty else { return }
        // Swallow every rectangle this one overlaps or touches, until none is left to swallow.
        var i = 0
        while i < rects.count {
            let o = rects[i]
            if r.x <= o.maxX && o.x <= r.maxX && r.y <= o.maxY && o.y <= r.maxY {
                r = r.union(o)
                rects.remove(at: i)
                i = 0
            } else {
                i += 1
            }
        }
        rects.append(r)
        if rects.count > Self.maxRects { rects = [rects.reduce(rects[0]) { $0.union($1) }] }
        // Mostly changed: one full rectangle is cheaper than many edges.
        if area * 10 > bounds.area * 7 { rects = [bounds] }
    }

    public mutating func formUnion(_ other: Damage) {
        for r in other.rects { add(r) }
    }
}
