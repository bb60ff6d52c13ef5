import AnchorAvatar
import AnchorCore
import AnchorEngine
import AnchorMedia
import ArgumentParser
import Foundation

struct ShowBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "End to end: render a fixed show to MP4 and compare the CPU it took with ffmpeg's x264 alone on the same frames.",
        discussion: """
        Renders the show twice — frames drawn on a second thread while x264 encodes (what \
        'anchor preview' does), then everything on one thread — and reports × real time, CPU \
        by stage, and total CPU divided by the CPU of 'ffmpeg -c:v libx264' with identical \
        settings (preset, zerolatency, CBR, GOP, one thread) encoding the identical frames, \
        piped in as BGRA. Targets at 1280x720@30: ≥ 4× real time, CPU ≤ 1.3× x264 alone.
        """
    )

    @Option(help: "The show (default: Scripts/demo.show.md).")
    var show: String?

    @Option(help: "Frame size.")
    var size = "1280x720"

    @Option(help: "Frames per second.")
    var fps = 30

    @Option(help: "x264 preset.")
    var preset = "veryfast"

    @Option(help: "Render only this long (default: the whole show).")
    var duration: String?

    func run() async throws {
        let (w, h, samples) = try RenderOptions.validate(size: size, fps: fps, duration: duration)
        let showPath = try BenchShow.path(show)
        let loaded = try ShowLoader(path: showPath, catalogOptions: try CatalogOptions.parse([]), seed: 7).load()
        let (folder, background) = try loaded.stage(showPath: showPath, avatar: nil, background: nil)
        var video = VideoSettings(width: w, height: h, fps: fps)
        video.preset = preset
        video.tune = "zerolatency"
        var options = PreviewRenderer.Options()
        options.width = w; options.height = h; options.fps = fps
        options.duration = samples
        options.video = video
        options.background = background
        let renderer = PreviewRenderer(rundown: loaded.rundown, catalog: loaded.catalog, avatarFolder: folder)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-bench-\(getpid()).mp4").path
        defer { try? FileManager.default.removeItem(atPath: out) }

        Terminal.error("rendering \(showPath) at \(w)x\(h)@\(fps), pipelined…")
        options.pipelined = true
        let piped = try await renderer.render(to: out, options: options)
        Terminal.error("rendering again on one thread…")
        options.pipelined = false
        let serial = try await renderer.render(to: out, options: options)

        // The identical frames, drawn again (not timed) and piped to ffmpeg as BGRA.
        Terminal.error("encoding the same \(serial.frames) frames with ffmpeg -c:v libx264…")
        let frameRenderer = try FrameRenderer(avatarFolder: folder, width: w, height: h, background: options.background)
        let sampler = SceneSampler(performance: serial.performance, rig: frameRenderer.model.rig)
        let rate = Int(MediaTime.sampleRate)
        let x264 = try X264Reference(settings: video).run { pipe in
            for n in 0..<serial.frames {
                let frame = frameRenderer.render(sampler.state(at: n * rate / fps))
                try X264Reference.write(frame, to: pipe)
            }
        }

        let media = serial.mediaSeconds
        print(String(format: "anchor bench — %@, %dx%d@%d, %.1f s of media (%d frames), x264 %@ zerolatency, 1 encoding thread",
                     (showPath as NSString).lastPathComponent, w, h, fps, media, serial.frames, preset))
        print("                            wall    × real time     CPU   CPU ÷ x264 alone")
        func row(_ name: String, wall: Double, cpu: Double) {
            print("  " + name.padding(toLength: 24, withPad: " ", startingAt: 0)
                  + String(format: "%6.1f s  %8.1f×  %8.1f s  %8.2f×", wall, media / wall, cpu, cpu / x264.cpu))
        }
        row("anchor, pipelined", wall: piped.wallSeconds, cpu: piped.cpuSeconds)
        row("anchor, one thread", wall: serial.wallSeconds, cpu: serial.cpuSeconds)
        print("  " + "ffmpeg x264 alone".padding(toLength: 24, withPad: " ", startingAt: 0)
              + String(format: "%6.1f s  %8.1f×  %8.1f s  %8.2f×   (encoding only, same frames)", x264.wall, media / x264.wall, x264.cpu, 1.0))
        print(String(format: "  x264 inside anchor: %.1f s CPU, %.2f× ffmpeg's whole run, which also reads %.1f GB of BGRA from a pipe and converts colour",
                     serial.stages.x264, serial.stages.x264 / x264.cpu, Double(serial.frames * w * h * 4) / 1e9))
        for (name, r) in [("pipelined", piped), ("one thread", serial)] {
            let st = r.stages
            let other = max(0, r.cpuSeconds - st.total)
            let parts = [("voice", st.voice), ("avatar", st.avatar), ("colour", st.conversion), ("x264", st.x264),
                         ("audio", st.audio), ("mux", st.mux), ("other", other)]
            print("  CPU by stage, \(name): " + parts.map { String(format: "%@ %.0f%%", $0.0, 100 * $0.1 / r.cpuSeconds) }.joined(separator: ", "))
        }
        let speed = media / piped.wallSeconds, ratio = serial.cpuSeconds / x264.cpu
        print(String(format: "  targets: ≥ 4× real time — %@ (%.1f×, pipelined); CPU ≤ 1.3× x264 alone — %@ (%.2f×, one thread; %.2f× pipelined)",
                     speed >= 4 ? "met" : "MISSED", speed, ratio <= 1.3 ? "met" : "MISSED", ratio, piped.cpuSeconds / x264.cpu))
    }
}
