import AnchorAvatar
import AnchorCore
import AnchorEngine
import AnchorScript
import ArgumentParser
import Foundation

/// The checks `preview` and `bench` share on size, fps and duration.
public enum RenderOptions {
    /// Width, height, and the duration in samples (nil: the whole show).
    public static func validate(size: String, fps: Int, duration: String?) throws -> (Int, Int, Int?) {
        guard let (w, h) = Parse.size(size) else {
            throw ValidationError("--size takes WIDTHxHEIGHT with even sides from 64 to 7680, like 1280x720, not '\(size)'")
        }
        guard (1...60).contains(fps) else { throw ValidationError("--fps must be from 1 to 60, not \(fps)") }
        guard let duration else { return (w, h, nil) }
        guard let ms = Parse.milliseconds(duration), ms > 0 else {
            throw ValidationError("--duration takes a time like 90s, 10m or 1h, not '\(duration)'")
        }
        return (w, h, ms * Int(MediaTime.sampleRate) / 1000)
    }
}
