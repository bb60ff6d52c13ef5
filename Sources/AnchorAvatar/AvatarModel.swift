import AnchorCore
import CRsvg
import Foundation

/// A loaded avatar: its rig and every SVG part rasterized once at one output scale.
/// Frames are composed from these images with affine transforms; no SVG is parsed per frame.
/// Sendable (unchecked): every part is rasterized in `init` and never changed; renderers only
/// read the part surfaces (cairo reads of one image surface from several threads are safe).
public final class AvatarModel: @unchecked Sendable {
    public struct Part {
        let image: CairoSurface
        /// Where the image's top-left corner sits, in output pixels from the avatar's origin.
        let x: Double
        let y: Double
    }

    public let rig: Rig
    public let scale: Double
    /// Parts by slot, then by state; every slot has at least one.
    let parts: [String: [String: Part]]
    /// Parts the rig names but the SVG lacks (each slot falls back to another of its states).
    public let missingParts: [String]

    public var width: Double { rig.canvasWidth * scale }
    public var height: Double { rig.canvasHeight * scale }

    /// Loads `Models/NAME` (a folder with rig.json and the SVG it names) at `scale` output
    /// pixels per canvas unit.
    public init(folder: String, scale: Double) throws(AvatarError) {
        let rigPath = (folder as NSString).appendingPathComponent("rig.json")
        rig = try Rig.load(from: rigPath)
        self.scale = scale
        let svgPath = (folder as NSString).appendingPathComponent(rig.svg)
        guard let data = FileManager.default.contents(atPath: svgPath) else { throw AvatarError.svgInvalid(svgPath, "file not found") }
        let (loaded, message) = GLibError.call { error in
            data.withUnsafeBytes { raw in rsvg_handle_new_from_data(raw.baseAddress?.assumingMemoryBound(to: UInt8.self), gsize(raw.count), &error) }
        }
        guard let handle = loaded else { throw AvatarError.svgInvalid(svgPath, message ?? "unreadable") }
        defer { g_object_unref(UnsafeMutableRawPointer(handle)) }

        var parts: [String: [String: Part]] = [:], missing: [String] = []
        var viewport = RsvgRectangle(x: 0, y: 0, width: rig.canvasWidth, height: rig.canvasHeight)
        for (slotName, slot) in rig.slots {
            var states: [String: Part] = [:]
            for (state, id) in slot.parts {
                var ink = RsvgRectangle(), logical = RsvgRectangle()
                let found = GLibError.call { rsvg_handle_get_geometry_for_layer(handle, "#" + id, &viewport, &ink, &logical, &$0) }.result != 0
                guard found, ink.width > 0, ink.height > 0 else {
                    missing.append(id)
                    continue
                }
                let image = CairoSurface(width: Int((ink.width * scale).rounded(.up)) + 2, height: Int((ink.height * scale).rounded(.up)) + 2)
                let ox = (ink.x * scale).rounded(.down) - 1, oy = (ink.y * scale).rounded(.down) - 1
                image.draw { g in
                    g.translate(-ox, -oy)
                    g.scale(scale, scale)
                    // A layer that does not render leaves its part blank; the rig check reports missing parts.
                    try? g.render(svg: handle, layer: "#" + id, viewport: viewport)
                }
                states[state] = Part(image: image, x: ox, y: oy)
            }
            if states.isEmpty { throw AvatarError.slotEmpty(svgPath, slot: slotName) }
            parts[slotName] = states
        }
        self.parts = parts
        missingParts = missing.sorted()
    }

    /// The image for a slot in a state, falling back to `rest`, `default`, `open`, then any.
    func part(_ slot: String, _ state: String) -> Part? {
        guard let states = parts[slot] else { return nil }
        return states[state] ?? states["rest"] ?? states["default"] ?? states["open"] ?? states.values.first
    }
}
