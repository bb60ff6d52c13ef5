import AnchorCore
import CColor

/// BGRA (as cairo draws it, full range) → I420 (BT.709, limited range; chroma the mean of each
/// 2×2 block), for the whole picture or only the rectangles that changed. The loop is C
/// (`CColor`), eight pixels a step in vector lanes, so debug builds keep live frame rates.
public final class ColorConverter: Sendable {
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public func convert(bgra: UnsafeRawPointer, stride: Int, into frame: I420Frame) {
        precondition(frame.width == width && frame.height == height, "frame size differs from the converter's")
        Self.convert(bgra: bgra, stride: stride, into: frame, rect: PixelRect(x: 0, y: 0, width: width & ~1, height: height & ~1))
    }

    /// Converts only `damage` (rectangles on even coordinates): the rest of `frame` must already
    /// hold the same picture.
    public func convert(bgra: UnsafeRawPointer, stride: Int, into frame: I420Frame, damage: Damage) {
        precondition(frame.width == width && frame.height == height, "frame size differs from the converter's")
        for r in damage.rects { Self.convert(bgra: bgra, stride: stride, into: frame, rect: r) }
    }

    static func convert(bgra: UnsafeRawPointer, stride: Int, into frame: I420Frame, rect r: PixelRect) {
        precondition(r.x % 2 == 0 && r.y % 2 == 0 && r.width % 2 == 0 && r.height % 2 == 0
                     && r.x >= 0 && r.y >= 0 && r.maxX <= frame.width && r.maxY <= frame.height, "rectangle \(r) is not on the 4:2:0 grid")
        guard !r.isEmpty else { return }
        anchor_bgra_to_i420(bgra.assumingMemoryBound(to: UInt8.self) + r.y * stride + r.x * 4, stride,
                            frame.planes.0 + r.y * frame.strides.0 + r.x, frame.strides.0,
                            frame.planes.1 + (r.y / 2) * frame.strides.1 + r.x / 2, frame.strides.1,
                            frame.planes.2 + (r.y / 2) * frame.strides.2 + r.x / 2, frame.strides.2,
                            Int32(r.width), Int32(r.height))
    }
}
