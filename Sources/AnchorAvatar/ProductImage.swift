import CRsvg
import Foundation

/// Decodes a product image (PNG, JPEG, WebP — whatever gdk-pixbuf has loaders for) scaled to
/// fit a box, as a cairo surface.
enum ProductImage {
    static func load(_ path: String, width: Int, height: Int) -> Result<CairoSurface, ImageFailure> {
        guard FileManager.default.fileExists(atPath: path) else { return .failure(ImageFailure(path: path, reason: "no such file")) }
        let (decoded, message) = GLibError.call { gdk_pixbuf_new_from_file_at_scale(path, Int32(width), Int32(height), 1, &$0) }
        guard let pixbuf = decoded else { return .failure(ImageFailure(path: path, reason: message ?? "cannot decode")) }
        defer { g_object_unref(UnsafeMutableRawPointer(pixbuf)) }
        let w = Int(gdk_pixbuf_get_width(pixbuf)), h = Int(gdk_pixbuf_get_height(pixbuf))
        let channels = Int(gdk_pixbuf_get_n_channels(pixbuf)), rowstride = Int(gdk_pixbuf_get_rowstride(pixbuf))
        let alpha = gdk_pixbuf_get_has_alpha(pixbuf) != 0
        guard let src = gdk_pixbuf_read_pixels(pixbuf) else { return .failure(ImageFailure(path: path, reason: "no pixels")) }
        let image = CairoSurface(width: w, height: h)
        image.withMutablePixels { dst, stride in
            for y in 0..<h {
                let row = (dst + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<w {
                    let s = src + y * rowstride + x * channels
                    let a = alpha ? UInt32(s[3]) : 255
                    let r = UInt32(s[0]) * a / 255, g = UInt32(s[1]) * a / 255, b = UInt32(s[2]) * a / 255
                    row[x] = (a << 24) | (r << 16) | (g << 8) | b
                }
            }
        }
        return .success(image)
    }

    struct ImageFailure: Error {
        var path: String
        var reason: String
    }
}
