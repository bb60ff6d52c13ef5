import AnchorAvatar
import AnchorCommandLine
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
        Renders the show as 'anchor preview' does (the live Director and frame loop, unpaced, \
        the encoders on a second thread) and reports × real time, CPU \
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

        Terminal.error("rendering \(showPath) at \(w)x\(h)@\(fps) (the live loop, unpaced)…")
        let run = try await renderer.render(to: out, options: options)

        // The identical frames, drawn again (not timed) and piped to ffmpeg as BGRA.
        Terminal.error("encoding the same \(run.frames) frames with ffmpeg -c:v libx264…")
        let frameRenderer = try FrameRenderer(avatarFolder: folder, width: w, height: h, background: options.background)
        frameRenderer.clips = ClipLibrary()
        let sampler = SceneSampler(performance: run.performance, rig: frameRenderer.model.rig)
        let rate = Int(MediaTime.sampleRate)
        let x264 = try X264Reference(settings: video).run { pipe in
            for n in 0..<run.frames {
                let frame = frameRenderer.render(sampler.state(at: n * rate / fps))
                try X264Reference.write(frame, to: pipe)
            }
        }

        let media = run.mediaSeconds
        print(String(format: "anchor bench — %@, %dx%d@%d, %.1f s of media (%d frames), x264 %@ zerolatency on one thread",
                     (showPath as NSString).lastPathComponent, w, h, fps, media, run.frames, preset))
        print("                            wall    × real time     CPU   CPU ÷ x264 alone")
        func row(_ name: String, wall: Double, cpu: Double, _ note: String = "") {
            print("  " + name.padding(toLength: 24, withPad: " ", startingAt: 0)
                  + String(format: "%6.1f s  %8.1f×  %8.1f s  %8.2f×", wall, media / wall, cpu, cpu / x264.cpu) + note)
        }
        row("anchor preview", wall: run.wallSeconds, cpu: run.cpuSeconds)
        row("ffmpeg x264 alone", wall: x264.wall, cpu: x264.cpu, "   (encoding only, same frames)")
        let st = run.stages
        print(String(format: "  x264 inside anchor: %.1f s CPU, %.2f× ffmpeg's whole run, which also reads %.1f GB of BGRA from a pipe and converts colour",
                     st.video, st.video / x264.cpu, Double(run.frames * w * h * 4) / 1e9))
        let other = max(0, run.cpuSeconds - st.total - run.voiceSeconds)
        let parts = [("voice", run.voiceSeconds), ("directing", st.directing), ("avatar", st.drawing), ("colour", st.colour),
                     ("video", st.video), ("audio", st.audio), ("other", other)]
        print("  CPU by stage: " + parts.map { String(format: "%@ %.0f%%", $0.0, 100 * $0.1 / run.cpuSeconds) }.joined(separator: ", "))
        let speed = media / run.wallSeconds, ratio = run.cpuSeconds / x264.cpu
        print(String(format: "  targets: ≥ 4× real time — %@ (%.1f×); CPU ≤ 1.3× x264 alone — %@ (%.2f×)",
                     speed >= 4 ? "met" : "MISSED", speed, ratio <= 1.3 ? "met" : "MISSED", ratio))
    }
}
