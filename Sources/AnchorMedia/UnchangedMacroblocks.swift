import AnchorCore
import CX264
import Foundation

/// x264's per-macroblock hint (`x264_image_properties_t.mb_info`) made from a frame's damage:
/// every 16×16 block no damage rectangle touches is flagged `X264_MBINFO_CONSTANT`, so x264
/// skips it without motion search or the trial transform it would otherwise spend finding that
/// out. x264 only trusts the flag when the reference is the previous frame at a quality at least
/// as good, so an over-cautious damage costs speed, never a wrong picture; a damage that misses
/// a change would freeze those pixels, which the renderer's tests rule out.
enum UnchangedMacroblocks {
    static let size = 16

    /// A malloc'd array of one flag per macroblock, for x264 to free with `free` once the frame
    /// is encoded; nil when the whole frame changed (no hint is better than an all-clear one).
    static func flags(for damage: Damage, width: Int, height: Int) -> UnsafeMutablePointer<UInt8>? {
        guard !damage.isFull else { return nil }
        let columns = (width + size - 1) / size, rows = (height + size - 1) / size
        guard let flags = malloc(columns * rows)?.bindMemory(to: UInt8.self, capacity: columns * rows) else { return nil }
        flags.initialize(repeating: UInt8(X264_MBINFO_CONSTANT), count: columns * rows)
        for r in damage.rects where !r.isEmpty {
            let x0 = r.x / size, x1 = min(columns, (r.maxX + size - 1) / size)
            let y0 = r.y / size, y1 = min(rows, (r.maxY + size - 1) / size)
            for y in y0..<y1 { (flags + y * columns + x0).update(repeating: 0, count: x1 - x0) }
        }
        return flags
    }
}
