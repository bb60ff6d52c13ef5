import AnchorAvatar
import AnchorCore
import AnchorMedia
import ArgumentParser
import Foundation

/// `ffmpeg -c:v libx264` alone, with the settings anchor's encoder uses, on raw BGRA frames we
/// pipe in: the yardstick the benchmarks divide by.
struct X264Reference {
    var settings: VideoSettings

    var arguments: [String] {
        let s = settings
        let kbps = "\(s.maxrateKbps ?? s.bitrateKbps)k"
        let rate = s.crf.map { ["-crf", String(format: "%g", $0)] } ?? ["-b:v", "\(s.bitrateKbps)k"]
        return ["-v", "error", "-f", "rawvideo", "-pix_fmt", "bgra", "-s", "\(s.width)x\(s.height)", "-r", "\(s.fps)", "-i", "pipe:0",
                "-filter_threads", "1", "-sws_flags", "neighbor+full_chroma_inp",
                "-vf", "scale=out_color_matrix=bt709:out_range=tv", "-pix_fmt", "yuv420p",
                "-c:v", "libx264", "-preset", s.preset] + (s.tune.map { ["-tune", $0] } ?? []) +
               ["-profile:v", "high"] + rate + ["-maxrate", kbps, "-bufsize", "\(s.bufferKbps ?? s.maxrateKbps ?? s.bitrateKbps)k",
                "-g", "\(s.fps * s.keyframeSeconds)", "-keyint_min", "\(s.fps * s.keyframeSeconds)", "-sc_threshold", "0",
                "-bf", "\(s.bframes)", "-threads", "\(s.threads)", "-f", "null", "-"]
    }

    /// Runs ffmpeg while `feed` writes `width*height*4`-byte frames to it; returns ffmpeg's own
    /// wall and CPU seconds.
    func run(feed: (FileHandle) throws -> Void) throws -> (wall: Double, cpu: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = arguments
        let input = Pipe()
        process.standardInput = input
        let cpuBefore = BenchClock.childrenCPU()
        let start = ContinuousClock.now
        do { try process.run() } catch { throw ValidationError("cannot run ffmpeg (\(error)); scripts/setup.sh installs it") }
        signal(SIGPIPE, SIG_IGN)
        do {
            try feed(input.fileHandleForWriting)
            try input.fileHandleForWriting.close()
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
        process.waitUntilExit()
        let wall = (ContinuousClock.now - start).inSeconds
        guard process.terminationStatus == 0 else { throw ValidationError("ffmpeg exited with \(process.terminationStatus); is it built with libx264?") }
        return (wall, BenchClock.childrenCPU() - cpuBefore)
    }

    /// Writes a frame's BGRA pixels as ffmpeg's rawvideo expects them: rows without the
    /// padding cairo may add to its stride.
    static func write(_ frame: CairoSurface, to pipe: FileHandle) throws {
        let row = frame.width * 4
        try frame.withPixels { px in
            if frame.stride == row { try pipe.write(contentsOf: px) } else {
                for y in 0..<frame.height { try pipe.write(contentsOf: px[(y * frame.stride)..<(y * frame.stride + row)]) }
            }
        }
    }
}
