/// An integer rectangle of pixels.
public struct PixelRect: Sendable, Equatable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The smallest pixel rectangle that covers a rectangle in fractional coordinates, plus `pad`.
    public init(covering x: Double, _ y: Double, _ width: Double, _ height: Double, pad: Int = 0) {
        let x0 = Int((x).rounded(.down)) - pad, y0 = Int((y).rounded(.down)) - pad
        let x1 = Int((x + width).rounded(.up)) + pad, y1 = Int((y + height).rounded(.up)) + pad
        self.init(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    public static let zero = PixelRect(x: 0, y: 0, width: 0, height: 0)

    public var isEmpty: Bool { width == 0 || height == 0 }
    public var area: Int { width * height }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    public func union(_ o: PixelRect) -> PixelRect {
        if isEmpty { return o }
        if o.isEmpty { return self }
        let x0 = min(x, o.x), y0 = min(y, o.y)
        return PixelRect(x: x0, y: y0, width: max(maxX, o.maxX) - x0, height: max(maxY, o.maxY) - y0)
    }

    public func intersection(_ o: PixelRect) -> PixelRect {
        let x0 = max(x, o.x), y0 = max(y, o.y)
        let r = PixelRect(x: x0, y: y0, width: min(maxX, o.maxX) - x0, height: min(maxY, o.maxY) - y0)
        return r.isEmpty ? .zero : r
    }

    /// Grown outwards so every edge falls on a multiple of `n` (2 for 4:2:0 chroma), then kept
    /// inside `bounds`.
    public func aligned(to n: Int, within bounds: PixelRect) -> PixelRect {
        let x0 = x - ((x % n) + n) % n, y0 = y - ((y % n) + n) % n
        let x1 = (maxX + n - 1) / n * n, y1 = (maxY + n - 1) / n * n
        return PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0).intersection(bounds)
    }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}
