import CCairo

/// An ARGB32 cairo image surface (premultiplied, BGRA in memory), released when dropped.
/// Sendable (unchecked): cairo surfaces are not thread-safe, so a surface is drawn by one thread
/// and, once handed on (a thumbnail to the status board, a text image to the cache), only read —
/// `pngData()` and `withPixels` do not write it.
public final class CairoSurface: @unchecked Sendable {
    let surface: OpaquePointer
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = max(1, width)
        self.height = max(1, height)
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(self.width), Int32(self.height))
    }

    deinit { cairo_surface_destroy(surface) }

    /// Bytes per row.
    public var stride: Int { Int(cairo_image_surface_get_stride(surface)) }

    /// The pixels (BGRA, premultiplied alpha), read-only.
    public func withPixels<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        cairo_surface_flush(surface)
        let base = UnsafeRawPointer(cairo_image_surface_get_data(surface))
        return try body(UnsafeRawBufferPointer(start: base, count: stride * height))
    }

    /// Lets code outside cairo write the pixels (BGRA, premultiplied; `stride` bytes a row).
    public func withMutablePixels<R>(_ body: (_ base: UnsafeMutableRawPointer, _ stride: Int) throws -> R) rethrows -> R {
        cairo_surface_flush(surface)
        defer { cairo_surface_mark_dirty(surface) }
        return try body(UnsafeMutableRawPointer(cairo_image_surface_get_data(surface)), stride)
    }

    /// Runs drawing code with a fresh drawing context on this surface.
    func draw(_ body: (borrowing DrawingContext) -> Void) {
        do {
            let context = DrawingContext(self)
            body(context)
        }
        cairo_surface_mark_dirty(surface)
    }

    /// Writes a PNG file (cairo's encoder).
    public func writePNG(to path: String) throws(AvatarError) {
        cairo_surface_flush(surface)
        let status = cairo_surface_write_to_png(surface, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw AvatarError.cannotWrite(path, String(cString: cairo_status_to_string(status)))
        }
    }
}

extension CairoSurface {
    /// The picture as PNG bytes (for the dashboard's thumbnail).
    public func pngData() -> [UInt8] {
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        cairo_surface_flush(surface)
        withExtendedLifetime(sink) {
            _ = cairo_surface_write_to_png_stream(surface, { closure, data, length in
                let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        }
        return sink.bytes
    }

    /// A copy scaled to `width` (keeping the aspect ratio), for thumbnails.
    public func scaled(toWidth target: Int) -> CairoSurface {
        let h = max(1, height * target / max(1, width))
        let out = CairoSurface(width: target, height: h)
        out.draw { g in
            g.scale(Double(target) / Double(width), Double(h) / Double(height))
            g.draw(self, x: 0, y: 0)
        }
        return out
    }
}
