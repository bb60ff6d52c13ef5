import AnchorCore
@testable import AnchorMedia
import AnchorTestSupport
import Foundation
import Testing

/// Clips of every container and codec Debian's FFmpeg writes, made by ffmpeg in the test,
/// read back through `ClipInfo`, `ClipVideo` and `ClipSound`.
@Suite struct ClipTests {
    /// Runs ffmpeg with `args` to make `name` in `dir`.
    static func make(_ dir: URL, _ name: String, _ args: [String]) throws -> String {
        try TestSupport.ffmpeg(args, writing: dir.appendingPathComponent(name).path)
    }

    /// One second each of red, green and blue, `size`, 30 fps.
    static let colours = ["-f", "lavfi", "-i", "color=c=red:s=160x96:r=30:d=1", "-f", "lavfi", "-i", "color=c=lime:s=160x96:r=30:d=1",
                          "-f", "lavfi", "-i", "color=c=blue:s=160x96:r=30:d=1", "-filter_complex", "[0][1][2]concat=n=3:v=1:a=0"]

    /// A clip and the pixels it draws into (kept: a picture is only written again when it changes).
    final class Screen {
        let video: ClipVideo
        var pixels: [UInt8]
        init(_ video: ClipVideo) { self.video = video; pixels = [UInt8](repeating: 0, count: video.width * video.height * 4) }

        /// The BGRA pixel at the centre of the box.
        func centre(at ms: Int) -> (frame: Int?, b: UInt8, g: UInt8, r: UInt8) {
            let frame = pixels.withUnsafeMutableBytes { video.frame(at: ms, into: $0.baseAddress!, stride: video.width * 4) }
            let i = (video.height / 2 * video.width + video.width / 2) * 4
            return (frame, pixels[i], pixels[i + 1], pixels[i + 2])
        }
    }

    @Test func everyContainerAndCodecOpensAndShowsItsColoursInOrder() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let clips = [
            try Self.make(dir, "h264.mp4", Self.colours + ["-c:v", "libx264", "-pix_fmt", "yuv420p"]),
            try Self.make(dir, "h264.mov", Self.colours + ["-c:v", "libx264", "-pix_fmt", "yuv420p"]),
            try Self.make(dir, "hevc.mkv", Self.colours + ["-c:v", "libx265", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p"]),
            try Self.make(dir, "vp9.webm", Self.colours + ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"]),
            try Self.make(dir, "av1.mp4", Self.colours + ["-c:v", "libaom-av1", "-cpu-used", "8", "-row-mt", "1", "-b:v", "100k"]),
            // 10-bit, converted on the way in.
            try Self.make(dir, "hevc10.mp4", Self.colours + ["-c:v", "libx265", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le"]),
        ]
        for clip in clips {
            let info = try ClipInfo.probe(clip)
            #expect(info.width == 160 && info.height == 96, "\(clip)")
            #expect(abs(info.milliseconds - 3000) <= 40, "\(clip): \(info.milliseconds) ms")
            #expect(!info.isStill && !info.hasAudio, "\(clip)")
            let video = Screen(try ClipVideo(path: clip, width: 80, height: 48))
            // Forward, then back to the start (a seek), then a jump ahead.
            for (ms, expected) in [(500, "r"), (1500, "g"), (2500, "b"), (400, "r"), (2900, "b")] {
                let p = video.centre(at: ms)
                let dominant = p.r > 200 && p.g < 60 && p.b < 60 ? "r" : p.g > 200 && p.r < 60 && p.b < 60 ? "g" : p.b > 200 && p.r < 60 && p.g < 60 ? "b" : "?"
                #expect(dominant == expected, "\(clip) at \(ms) ms: rgb \(p.r),\(p.g),\(p.b)")
                #expect(p.frame.map { $0 <= ms && $0 > ms - 100 } == true, "\(clip) at \(ms) ms shows the frame of \(p.frame ?? -1) ms")
            }
        }
    }

    @Test func oddSizedPicturesAreLetterboxedAndStillsDecode() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        // 4:4:4 lets x264 take odd sides.
        let odd = try Self.make(dir, "odd.mp4", ["-f", "lavfi", "-i", "color=c=white:s=320x240:r=25:d=1", "-vf", "scale=321:241", "-c:v", "libx264", "-pix_fmt", "yuv444p"])
        let info = try ClipInfo.probe(odd)
        #expect(info.width == 321 && info.height == 241)
        // A 4:3 picture in a 16:9 box: black bars left and right, the picture in the middle.
        let video = try ClipVideo(path: odd, width: 160, height: 90)
        var px = [UInt8](repeating: 7, count: 160 * 90 * 4)
        #expect(px.withUnsafeMutableBytes { video.frame(at: 0, into: $0.baseAddress!, stride: 640) } == 0)
        #expect(px[(45 * 160 + 2) * 4 + 2] == 0 && px[(45 * 160 + 2) * 4 + 3] == 255)
        #expect(px[(45 * 160 + 80) * 4 + 2] > 240)
        let png = try Self.make(dir, "still.png", ["-f", "lavfi", "-i", "color=c=blue:s=64x64", "-frames:v", "1"])
        let still = try ClipInfo.probe(png)
        #expect(still.isStill && still.milliseconds == 0 && still.width == 64)
        let picture = Screen(try ClipVideo(path: png, width: 32, height: 32))
        // The one picture, whatever time is asked for.
        for ms in [0, 2000, 100] { #expect(picture.centre(at: ms).b > 240) }
    }

    @Test func soundIsConvertedTo48kMonoAndCutWhereAsked() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        // 44.1 kHz stereo, 1 kHz in both channels.
        let clip = try Self.make(dir, "tone.mp4", ["-f", "lavfi", "-i", "color=c=gray:s=64x64:r=30:d=2", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=44100:duration=2",
                                                   "-ac", "2", "-c:v", "libx264", "-c:a", "aac", "-shortest"])
        let info = try ClipInfo.probe(clip)
        #expect(info.audioRate == 44_100 && info.audioChannels == 2 && info.audioCodec == "aac")
        let all = try #require(try ClipSound.decode(clip))
        #expect(abs(all.count - 96_000) < 2_400, "\(all.count) samples")
        let cut = try #require(try ClipSound.decode(clip, from: 500, length: 1000))
        #expect(cut.count == 48_000)
        // 1 kHz at 48 kHz: 2 000 zero crossings a second.
        var crossings = 0
        for i in 1..<cut.count where (cut[i - 1] < 0) != (cut[i] < 0) { crossings += 1 }
        #expect(abs(crossings - 2000) < 20, "\(crossings) crossings")
        #expect(cut.map(abs).max()! > 0.05)
        // A clip with no sound has none.
        let silent = try Self.make(dir, "silent.mkv", ["-f", "lavfi", "-i", "color=c=gray:s=64x64:r=30:d=1", "-c:v", "libx264"])
        #expect(try ClipSound.decode(silent) == nil)
        #expect(try ClipInfo.probe(silent).hasAudio == false)
    }

    @Test func truncatedAndBogusFilesAreRefusedClearlyOrPlayWhatIsThere() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let whole = try Self.make(dir, "whole.mp4", Self.colours + ["-c:v", "libx264"])
        // An MP4 cut in half loses its index (written at the end): it does not open.
        let data = try Data(contentsOf: URL(fileURLWithPath: whole))
        let half = dir.appendingPathComponent("half.mp4").path
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: half))
        #expect(throws: MediaError.self) { try ClipInfo.probe(half) }
        do { _ = try ClipInfo.probe(half) } catch { #expect("\(error)".contains("half.mp4")) }
        // A Matroska file cut in half plays what is there.
        let mkv = try Self.make(dir, "whole.mkv", Self.colours + ["-c:v", "libx264"])
        let mkvData = try Data(contentsOf: URL(fileURLWithPath: mkv))
        let cutMKV = dir.appendingPathComponent("cut.mkv").path
        try mkvData.prefix(mkvData.count * 6 / 10).write(to: URL(fileURLWithPath: cutMKV))
        let video = Screen(try ClipVideo(path: cutMKV, width: 80, height: 48))
        #expect(video.centre(at: 500).r > 200)
        // Asked past what is there, it keeps the last picture it has.
        #expect(video.centre(at: 2900).frame != nil)
        // Text named like a clip.
        let bogus = dir.appendingPathComponent("bogus.mp4").path
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: bogus))
        #expect(throws: MediaError.self) { try ClipInfo.probe(bogus) }
    }
}
