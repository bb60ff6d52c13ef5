import AnchorAvatar
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorScript
import ArgumentParser
import Foundation

struct Frame: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one still of a show at a moment, as PNG.",
        discussion: """
        The show is spoken up to that moment so the mouth, gestures and overlays are exactly \
        what the stream shows then.

        Examples:
          anchor frame Scripts/demo.show.md --at 12.5s -o frame.png
          anchor frame Scripts/demo-zh.show.md --at 1m5s --size 720x1280 -o portrait.png
          anchor frame Scripts/demo.show.md --at 3s --background green --avatar juno -o g.png
        """
    )

    @Argument(help: "The show.")
    var show: String

    @Option(help: "When: 12.5s, 750ms, 1m30s.")
    var at: String

    @Option(help: "Frame size, WIDTHxHEIGHT (1280x720 landscape, 720x1280 portrait).")
    var size = "1280x720"

    @Option(help: "Background: studio, green, transparent, #RRGGBB or an image file (default: the show's, else studio).")
    var background: String?

    @Option(help: "Avatar folder name in Models/ (default: the show's).")
    var avatar: String?

    @Option(help: "Seed for variants, particles and blinks.")
    var seed: UInt64?

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(name: .shortAndLong, help: "The PNG to write.")
    var output: String

    func run() async throws {
        guard let ms = Parse.milliseconds(at) else { throw ValidationError("--at takes a time like 12.5s, 750ms or 1m30s, not '\(at)'") }
        guard let (w, h) = Parse.size(size) else { throw ValidationError("--size takes WIDTHxHEIGHT with even sides from 64 to 7680, like 1280x720, not '\(size)'") }
        let loaded = try ShowLoader(path: show, catalogOptions: catalogOptions, seed: seed).load()
        let rundown = loaded.rundown
        let (folder, bg) = try loaded.stage(showPath: show, avatar: avatar, background: background)
        let t = ms * Int(MediaTime.sampleRate) / 1000
        do {
            let renderer = try FrameRenderer(avatarFolder: folder, width: w, height: h, background: bg)
            renderer.clips = ClipLibrary()
            let performance = try await Rehearsal.performance(of: Program(id: show, rundown: rundown, catalog: loaded.catalog), rig: renderer.model.rig, until: t)
            if t > performance.length {
                Terminal.error(String(format: "note: the show is %.1f s long; %@ is after its end", Double(performance.length) / Double(Int(MediaTime.sampleRate)), at))
            }
            let sampler = SceneSampler(performance: performance, rig: renderer.model.rig)
            try renderer.render(sampler.state(at: t)).writePNG(to: output)
            for warning in renderer.warnings { Terminal.error("warning: \(warning)") }
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        print("wrote \(output) (\(w)x\(h), \(at) into \(rundown.title))")
    }
}
