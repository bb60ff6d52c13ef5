import AnchorAvatar
import AnchorCore
import AnchorMedia

/// The I420 pictures a frame loop converts into, in turn: one when it encodes on its own
/// thread, a few when an `EncodeThread` reads one while the next is converted. Each picture is
/// converted only where it is out of date: where the drawing changed since it was last used.
final class PictureRing {
    private let pictures: [I420Frame]
    /// Per picture: where the drawing changed since that picture was last converted.
    private var stale: [Damage]
    private var next = 0
    private let converter: ColorConverter

    init(count: Int, converter: ColorConverter) {
        self.converter = converter
        pictures = (0..<count).map { _ in I420Frame(width: converter.width, height: converter.height) }
        stale = pictures.map { _ in .full(width: converter.width, height: converter.height) }
    }

    /// The next picture, holding `surface`, whose drawing changed within `damage` since the last call.
    func convert(_ surface: CairoSurface, damage: Damage) -> I420Frame {
        let k = next
        next = (next + 1) % pictures.count
        for i in stale.indices { stale[i].formUnion(damage) }
        surface.withPixels { converter.convert(bgra: $0.baseAddress!, stride: surface.stride, into: pictures[k], damage: stale[k]) }
        stale[k] = Damage(width: converter.width, height: converter.height)
        return pictures[k]
    }
}
