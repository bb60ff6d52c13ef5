import AnchorAvatar
import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorMedia
import ArgumentParser
import Foundation
import Synchronization

struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a show to a video file offline, faster than real time, to see and hear it before it airs.",
        discussion: """
        The show is directed exactly as on air (the live Director, run without pacing): the same \
        lines at the same moments, and with --chat/--events the same answers cut in at the same \
        word boundaries. H.264 (x264) and AAC in MP4 with a chapter per segment; audio is the \
        clock, so sound and picture stay in sync to the sample. Ctrl-C stops at the end of the \
        word being spoken and still leaves a playable file.

        Examples:
          anchor preview Scripts/demo.show.md -o demo.mp4 --contact-sheet demo.png
          anchor preview Scripts/demo-zh.show.md -o zh.mp4 --size 720x1280 --avatar juno
          anchor preview Scripts/overnight.show.md -o hour.mp4 --duration 1h --size 640x360
        """
    )

    @Argument(help: "The show.")
    var show: String

    @Option(name: .shortAndLong, help: "The video file to write (.mp4, .mov or .mkv).")
    var output: String

    @OptionGroup var picture: PictureOptions
    var size: String { picture.size }
    var fps: Int { picture.fps }

    @Option(help: "Render only this long (90s, 10m, 1h); a looping show repeats to fill it.")
    var duration: String?

    @Option(help: "Seed for variants, particles and blinks.")
    var seed: UInt64?

    @Option(help: "Replay a chat log (JSON lines {\"t\", \"user\", \"text\"}, t in seconds from the start) into the preview: answers are spoken as on air, at the next word boundary, with the question in a bubble.")
    var chat: String?

    @Option(help: ArgumentHelp("Replay viewer events (JSON lines: {\"t\", \"type\": \"gift\"|\"like\"|\"follow\"|\"share\"|\"join\"|\"paid_message\"|\"message\", \"user\", …}) into the preview: thanks and paid messages are spoken as on air.", valueName: "log"))
    var events: String?

    @Option(help: "Chat rules: a *.rules.yaml file or a folder (default: Scripts/).")
    var rules: String?

    @Option(help: "Also write a contact sheet (PNG) of the show's segments.")
    var contactSheet: String?

    @Option(help: "Background: studio, green, transparent, #RRGGBB or an image file.")
    var background: String?

    @Option(help: "Avatar folder name in Models/ (default: the show's).")
    var avatar: String?

    @Option(help: "x264 preset: ultrafast … veryslow.")
    var preset = "veryfast"

    /// Encode as live does (x264 tune zerolatency), for `anchor bench quality`.
    @Flag(help: .hidden)
    var liveEncoder = false

    /// A lossless master (x264 QP 0), for `anchor bench quality`.
    @Flag(help: .hidden)
    var lossless = false

    @Option(help: "Audio codec: aac (128 kb/s) or opus (64 kb/s, 20 ms frames).")
    var audio: AudioEncoder.Codec = .aac

    @Option(help: "Also write the master audio as a WAV file.")
    var audioOut: String?

    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        let (w, h, samples) = try RenderOptions.validate(size: size, fps: fps, duration: duration)
        var viewerEvents: [ViewerEvent]?
        for path in [chat, events].compactMap({ $0 }) {
            do {
                // A chat log is an event log: both keep each viewer's platform id.
                viewerEvents = (viewerEvents ?? []) + (try EventLogFile(path: path).readAll())
            } catch {
                Terminal.error("error: \(error)")
                throw ExitCode(1)
            }
        }
        let ext = (output as NSString).pathExtension.lowercased()
        guard ["mp4", "mov", "mkv"].contains(ext) else { throw ValidationError("the output must end in .mp4, .mov or .mkv, not '\(output)'") }
        let outDir = (output as NSString).deletingLastPathComponent
        if !outDir.isEmpty, !FileManager.default.isWritableFile(atPath: outDir) {
            Terminal.error("error: cannot write \(output): the folder '\(outDir)' does not exist or is not writable")
            throw ExitCode(1)
        }

        let loaded = try ShowLoader(path: show, catalogOptions: catalogOptions, seed: seed).load()
        let rundown = loaded.rundown
        let (folder, bg) = try loaded.stage(showPath: show, avatar: avatar, background: background)

        var options = PreviewRenderer.Options()
        options.width = w; options.height = h; options.fps = fps
        options.duration = samples
        options.background = bg
        options.format = ext
        options.audioOut = audioOut
        options.audioCodec = audio
        var video = picture.video(width: w, height: h, preset: preset)
        video.tune = liveEncoder ? "zerolatency" : nil
        video.lossless = lossless
        options.video = video

        let feed = try viewerEvents.map { events in
            ChatFeed(events: events, responder: try ChatOptions.responder(catalog: loaded.catalog ?? Catalog(), rules: rules, blocklist: nil))
        }
        let stop = await Interrupt.install()
        let bar = ProgressBar(isTerminal: Terminal.isTTY(STDERR_FILENO))
        let result: PreviewRenderer.Result
        do {
            result = try await PreviewRenderer(rundown: rundown, catalog: loaded.catalog, avatarFolder: folder)
                .render(to: output, options: options, chat: feed, progress: { bar.update($0) }, shouldStop: { stop.isSet })
        } catch {
            bar.finish()
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        bar.finish()
        let drift = abs(result.lastVideoSeconds + 1 / Double(fps) - result.audioEndSeconds) * 1000
        print(String(format: "wrote %@: %.1f s, %d frames, %dx%d@%d, %d chapters", output, result.mediaSeconds, result.frames, w, h, fps, result.chapters.count))
        print(String(format: "rendered in %.1f s (%.1f× real time, %.1f s CPU); audio and video end %.1f ms apart", result.wallSeconds, result.mediaSeconds / max(0.001, result.wallSeconds), result.cpuSeconds, drift))
        let st = result.stages
        let parts = [("voice", result.voiceSeconds), ("directing", st.directing), ("avatar", st.drawing), ("colour", st.colour),
                     ("video", st.video), ("audio", st.audio)]
        print("CPU by stage: " + parts.map { String(format: "%@ %.1f s", $0.0, $0.1) }.joined(separator: ", "))
        for problem in result.problems { Terminal.error("warning: \(problem); the show went on without it") }
        if result.interrupted { print(String(format: "stopped at %.1f s by Ctrl-C; the file is complete and playable up to there", result.mediaSeconds)) }
        if let sheet = contactSheet {
            do {
                let portrait = h > w
                let image = try ContactSheet.make(performance: result.performance, avatarFolder: folder, moments: PreviewRenderer.sheetMoments(result.performance),
                                                  cellWidth: portrait ? 180 : 320, cellHeight: portrait ? 320 : 180, columns: portrait ? 6 : 4, background: bg,
                                                  clips: ClipLibrary())
                try image.writePNG(to: sheet)
                print("wrote \(sheet) (contact sheet)")
            } catch {
                Terminal.error("error: \(error)")
                throw ExitCode(1)
            }
        }
        if let audioOut { print("wrote \(audioOut) (master audio)") }
        if let feed {
            let chatLog = feed.log.filter { $0.decision.source != .thanks && $0.decision.source != .paid }
            let spoken = chatLog.filter { $0.spokenAt != nil }
            let delays = spoken.map { Double($0.spokenAt!) / Double(MediaTime.sampleRate) - $0.arrivedAt }.sorted()
            // Typed: inside String(format:) a bare `0` would be passed as an Int and shift every number after it.
            let medianDelay: Double = delays.isEmpty ? 0 : delays[delays.count / 2]
            let blocked = chatLog.filter { $0.decision.source == .blocked }.count
            let messages = feed.counts[.message, default: 0]
            if chat != nil || messages > 0 {
                print(String(format: "chat: %d messages, %d answered on air (waited %.1f s at the median for a word to end), %d blocked, %d not answered (reactions, chatter, cooldowns, %d shed as on air)",
                             messages, spoken.count, medianDelay, blocked,
                             chatLog.count - spoken.count - blocked, result.answersShed))
            }
            let others = feed.counts.filter { $0.key != .message }.sorted { $0.key.rawValue < $1.key.rawValue }
            if !others.isEmpty {
                let thanked = feed.log.filter { ($0.decision.source == .thanks || $0.decision.source == .paid) && $0.spokenAt != nil }
                print("events: " + others.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
                      + "; \(thanked.filter { $0.decision.source == .thanks }.count) thanks and \(thanked.filter { $0.decision.source == .paid }.count) paid messages spoken")
            }
            for o in result.draws {
                print("lucky draw “\(o.keyword)”: \(o.entrants.count) entered, " + (o.winner.map { "winner \($0.name ?? "(name not shown)") [\($0.id)]" } ?? "nobody entered")
                      + " (seed \(o.seed), from the show's seed)")
            }
            if feed.pending > 0 { print("\(feed.pending) chat messages or events came after the end of the show") }
        }
    }
}
