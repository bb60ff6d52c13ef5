import CAV

/// The pictures of a video clip (or one still picture), decoded in order and scaled with
/// libswscale to fit a box, letterboxed in black. Asked for times that mostly move forward, it
/// decodes ahead one frame at a time; a step back or a long jump seeks.
public final class ClipVideo {
    public let path: String
    public let width: Int
    public let height: Int
    /// What shows around a picture of another shape and through a transparent one (BGRA as a
    /// little-endian word: 0xFF000000 is opaque black).
    public let matte: UInt32
    private let input: MediaInput
    private let current = av_frame_alloc()!
    private var currentMilliseconds: Int?
    private var lookahead: Int?
    private var scaler: OpaquePointer?
    /// The frame last written and where the picture sits in the box.
    private var written: Int?
    private var fitted: (x: Int, y: Int, w: Int, h: Int)?

    /// A jump further ahead than this seeks instead of decoding every frame between.
    static let seekAhead = 3_000

    public init(path: String, width: Int, height: Int, matte: UInt32 = 0xFF00_0000) throws(MediaError) {
        guard let input = try MediaInput(path: path, type: AVMEDIA_TYPE_VIDEO) else {
            throw MediaError.input(path: path, reason: "it has no picture")
        }
        self.path = path
        self.width = width
        self.height = height
        self.matte = matte
        self.input = input
    }

    deinit {
        var f: UnsafeMutablePointer<AVFrame>? = current
        av_frame_free(&f)
        sws_freeContext(scaler)
    }

    /// Writes the picture showing `ms` into the clip (the last one before it) into `pixels`
    /// (BGRA, premultiplied, `width`×`height` with `stride` bytes a row) and returns the time of
    /// that picture, which changes exactly when the picture does; nil when nothing decodes.
    /// Pixels are written only when the picture changes: pass the same buffer every time.
    public func frame(at ms: Int, into pixels: UnsafeMutableRawPointer, stride: Int) -> Int? {
        if let shown = currentMilliseconds, ms < shown || ms - shown > Self.seekAhead {
            input.seek(toMilliseconds: ms)
            currentMilliseconds = nil
            lookahead = nil
        }
        while true {
            if lookahead == nil {
                guard input.next() else { break }
                lookahead = input.frameMilliseconds
            }
            guard let next = lookahead, next <= ms || currentMilliseconds == nil else { break }
            av_frame_unref(current)
            av_frame_move_ref(current, input.frame)
            currentMilliseconds = next
            lookahead = nil
        }
        guard let shown = currentMilliseconds else { return nil }
        if written != shown {
            scale(into: pixels, stride: stride)
            written = shown
        }
        return shown
    }

    private func scale(into pixels: UnsafeMutableRawPointer, stride: Int) {
        let f = current.pointee
        let (sw, sh) = (Int(f.width), Int(f.height))
        guard sw > 0, sh > 0 else { return }
        // The largest picture of the source's shape that fits the box, centred.
        let k = min(Double(width) / Double(sw), Double(height) / Double(sh))
        let w = max(1, min(width, Int((Double(sw) * k).rounded()))), h = max(1, min(height, Int((Double(sh) * k).rounded())))
        let fit = (x: (width - w) / 2, y: (height - h) / 2, w: w, h: h)
        if fitted.map({ $0 != fit }) ?? true {
            for row in 0..<height {
                let line = (pixels + row * stride).assumingMemoryBound(to: UInt32.self)
                line.update(repeating: matte, count: width)
            }
            fitted = fit
        }
        let format = AVPixelFormat(rawValue: f.format)
        scaler = sws_getCachedContext(scaler, f.width, f.height, format, Int32(w), Int32(h), AV_PIX_FMT_BGRA, SWS_BILINEAR, nil, nil, nil)
        guard let scaler else { return }
        let desc = av_pix_fmt_desc_get(format)
        let flags = desc.map { $0.pointee.flags } ?? 0
        // A YUV source's own matrix (BT.709 for HD when it does not say), into full-range RGB.
        if flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0 {
        let space = f.colorspace == AVCOL_SPC_UNSPECIFIED ? (sh >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601) : Int32(f.colorspace.rawValue)
        let fullRange: Int32 = f.color_range == AVCOL_RANGE_JPEG || format == AV_PIX_FMT_YUVJ420P ? 1 : 0
        _ = sws_setColorspaceDetails(scaler, sws_getCoefficients(space), fullRange, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
        }
        var dst: [UnsafeMutablePointer<UInt8>?] = [(pixels + fit.y * stride + fit.x * 4).assumingMemoryBound(to: UInt8.self), nil, nil, nil]
        var dstStride: [Int32] = [Int32(stride), 0, 0, 0]
        withUnsafePointer(to: f.data) { data in
            withUnsafePointer(to: f.linesize) { lines in
                data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                    lines.withMemoryRebound(to: Int32.self, capacity: 8) { srcStride in
                        _ = sws_scale(scaler, src, srcStride, 0, f.height, &dst, &dstStride)
                    }
                }
            }
        }
        if flags & UInt64(AV_PIX_FMT_FLAG_ALPHA) != 0 {
            premultiply(pixels + fit.y * stride + fit.x * 4, stride: stride, width: fit.w, height: fit.h)
        }
    }

    /// A picture with transparency is laid over the matte (the result is opaque).
    private func premultiply(_ base: UnsafeMutableRawPointer, stride: Int, width: Int, height: Int) {
        let m = [UInt32(matte & 0xFF), UInt32((matte >> 8) & 0xFF), UInt32((matte >> 16) & 0xFF)]
        for row in 0..<height {
            let p = (base + row * stride).assumingMemoryBound(to: UInt8.self)
            for x in 0..<width {
                let a = UInt32(p[x * 4 + 3])
                for c in 0..<3 { p[x * 4 + c] = UInt8((UInt32(p[x * 4 + c]) * a + m[c] * (255 - a) + 127) / 255) }
                p[x * 4 + 3] = 255
            }
        }
    }
}
