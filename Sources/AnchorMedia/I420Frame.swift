/// One picture in planar 4:2:0 (Y, U, V), in memory this object owns; reused frame after frame.
/// Sendable (unchecked): its pixels are reused frame after frame, so it has an owner at a time —
/// the converter writing it, then the encoder reading it, handed over in order (the frame loop
/// calls one after the other); never written while read.
public final class I420Frame: @unchecked Sendable {
    public let width: Int
    public let height: Int
    /// Plane pointers and their row strides (Y, U, V).
    public let planes: (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>)
    public let strides: (Int, Int, Int)
    private let storage: UnsafeMutableRawPointer

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        // Rows padded to 64 bytes, so x264's SIMD loads stay aligned.
        let yStride = (width + 63) & ~63, cStride = (width / 2 + 63) & ~63
        let ySize = yStride * height, cSize = cStride * (height / 2)
        storage = UnsafeMutableRawPointer.allocate(byteCount: ySize + 2 * cSize, alignment: 64)
        let base = storage.assumingMemoryBound(to: UInt8.self)
        planes = (base, base + ySize, base + ySize + cSize)
        strides = (yStride, cStride, cStride)
    }

    deinit { storage.deallocate() }
}
