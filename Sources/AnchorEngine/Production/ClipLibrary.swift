import AnchorAvatar
import AnchorMedia

/// The pictures of the clips a show plays, decoded for the renderer: one decoder and one
/// surface per file and size, the least recently used closed beyond a few. Used by one
/// renderer, on its thread.
/// Sendable (unchecked) only to be handed to its renderer when a channel starts; from then on
/// it is used by that renderer alone, on the channel's frame thread.
public final class ClipLibrary: ClipFrames, @unchecked Sendable {
    private struct Entry {
        var video: ClipVideo?
        var surface: CairoSurface
        var used: Int
    }

    private var entries: [String: Entry] = [:]
    private var clock = 0
    static let kept = 4
    /// Files that could not be opened, each once.
    public private(set) var problems: [String] = []

    public init() {}

    public func picture(_ file: String, at milliseconds: Int, width: Int, height: Int, matte: UInt32) -> (image: CairoSurface, frame: Int)? {
        clock += 1
        let key = "\(width)x\(height) \(matte) \(file)"
        if entries[key] == nil {
            if entries.count >= Self.kept, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key { entries[oldest] = nil }
            var video: ClipVideo?
            do { video = try ClipVideo(path: file, width: width, height: height, matte: matte) } catch {
                let text = "\(error)"
                if !problems.contains(text) { problems.append(text) }
            }
            entries[key] = Entry(video: video, surface: CairoSurface(width: width, height: height), used: clock)
        }
        entries[key]!.used = clock
        guard let entry = entries[key], let video = entry.video else { return nil }
        let frame = entry.surface.withMutablePixels { base, stride in video.frame(at: milliseconds, into: base, stride: stride) }
        return frame.map { (entry.surface, $0) }
    }
}
