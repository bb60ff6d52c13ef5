import AnchorAvatar
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorMedia
import ArgumentParser
import Foundation

struct AvatarBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avatar",
        abstract: "Avatar render speed vs x264 encoding the same frames, and memory over many frames."
    )

    @Option(help: "Frames to render and encode.")
    var frames = 150

    @Option(help: "Frame size.")
    var size = "1280x720"

    @Option(help: "Frames rendered for the memory check (0 to skip).")
    var memoryFrames = 10_000

    @Option(help: "Avatar in Models/.")
    var avatar = "mika"

    func run() async throws {
        guard let (w, h) = Parse.size(size) else { throw ValidationError("--size takes WIDTHxHEIGHT, like 1280x720") }
        guard let folder = Assets.avatarFolder(avatar), let showPath = Assets.folder("Scripts", containing: "demo.show.md", nearShow: nil) else {
            Terminal.error("error: cannot find Models/\(avatar) and Scripts/demo.show.md (set ANCHOR_HOME to the anchor folder)")
            throw ExitCode(1)
        }
        let loaded = try ShowLoader(path: showPath + "/demo.show.md", catalogOptions: try CatalogOptions.parse([])).load()
        let renderer = try FrameRenderer(avatarFolder: folder, width: w, height: h)
        let performance = try await Rehearsal.performance(of: Program(id: showPath, rundown: loaded.rundown, catalog: loaded.catalog), rig: renderer.model.rig)
        let sampler = SceneSampler(performance: performance, rig: renderer.model.rig)
        let fps = 30
        let rate = Int(MediaTime.sampleRate)

        // Render; the same frames go to x264 alone (ffmpeg), whose own CPU time is the yardstick.
        var renderTime = 0.0, damageTime = 0.0, fullTime = 0.0, redrawn = 0, unchanged = 0
        let converter = ColorConverter(width: w, height: h)
        let incremental = I420Frame(width: w, height: h), whole = I420Frame(width: w, height: h)
        var settings = VideoSettings(width: w, height: h, fps: fps)
        settings.tune = "zerolatency"
        let x264 = try X264Reference(settings: settings).run { pipe in
            for f in 0..<frames {
                let t = (f * rate / fps) % max(1, performance.length)
                let start = CPUTime.thread()
                let frame = renderer.render(sampler.state(at: t))
                renderTime += CPUTime.thread() - start
                let damage = renderer.takeDamage()
                redrawn += damage.area
                if damage.isEmpty { unchanged += 1 }
                // Colour: only what changed, against the whole frame.
                frame.withPixels { px in
                    var c = CPUTime.thread()
                    converter.convert(bgra: px.baseAddress!, stride: frame.stride, into: incremental, damage: damage)
                    damageTime += CPUTime.thread() - c
                    c = CPUTime.thread()
                    converter.convert(bgra: px.baseAddress!, stride: frame.stride, into: whole)
                    fullTime += CPUTime.thread() - c
                }
                try X264Reference.write(frame, to: pipe)
            }
        }
        let x264Time = x264.cpu

        print("anchor bench avatar — \(avatar), \(w)x\(h), \(frames) frames of the demo show, one thread")
        print(String(format: "  avatar render     %7.3f s  %6.0f fps  %5.2f ms/frame", renderTime, Double(frames) / renderTime, renderTime * 1000 / Double(frames)))
        print(String(format: "  x264 (ffmpeg)     %7.3f s  %6.0f fps  CPU; veryfast, zerolatency, 1 thread, same frames", x264Time, Double(frames) / x264Time))
        print(String(format: "  avatar / x264     %7.2f   (target ≤ 0.25)", renderTime / x264Time))
        print(String(format: "  redrawn           %6.1f %% of the pixels a frame on average; %d of %d frames unchanged", 100 * Double(redrawn) / Double(w * h * frames), unchanged, frames))
        print(String(format: "  colour            %5.2f ms/frame converting what changed, %5.2f ms/frame whole frames", damageTime * 1000 / Double(frames), fullTime * 1000 / Double(frames)))

        if memoryFrames > 0 {
            let small = try FrameRenderer(avatarFolder: folder, width: 320, height: 180)
            let warmUp = min(1_000, memoryFrames / 10)
            for f in 0..<warmUp { small.render(sampler.state(at: (f * rate / fps) % performance.length)) }
            let before = ResidentMemory.kilobytes()
            for f in warmUp..<memoryFrames { small.render(sampler.state(at: (f * rate / fps) % performance.length)) }
            print("  memory            \(ResidentMemory.kilobytes() - before) KB resident growth over \(memoryFrames - warmUp) frames after \(warmUp) warm-up frames")
        }
    }

}
