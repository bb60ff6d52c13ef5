import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorMedia
import AnchorStore
import AnchorVoice
import ArgumentParser
import Foundation
import NIOPosix

struct Soak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole live pipeline for many hours in accelerated time and watch memory, files and A/V drift.",
        discussion: """
        Plays a looping show through the live Director (line by line, chat answered and cut in), \
        draws, converts and encodes every frame and all the sound — exactly what 'anchor run' \
        does — but as fast as the CPU allows and without a network. Viewers' messages are made \
        up from the catalog (questions, greetings, spam, a 64 KB message, emoji) every few lines. \
        It samples resident memory and open file descriptors every --every of show time and \
        reports them with the A/V drift and counts of everything. A small frame keeps a 24-hour \
        soak to minutes per simulated hour; --size 1280x720 --fps 30 soaks the real thing.

        Examples:
          anchor soak --hours 24
          anchor soak --hours 1 --size 1280x720 --fps 30 --record /tmp/soak
        """
    )

    @Argument(help: "The show (default: Scripts/overnight.show.md, which loops).")
    var show: String?

    @Option(help: "Hours of show time.")
    var hours = 24.0

    @Option(help: "Sample memory and files every this much show time.")
    var every = "1h"

    @Option(help: "Frame size.")
    var size = "256x144"

    @Option(help: "Frames per second.")
    var fps = 10

    @Option(help: "A viewer's message every N spoken lines (0: no chat).")
    var chatEvery = 3

    @Option(help: "Also record to this folder (segmented MP4, as 'anchor run --record').")
    var record: String?

    @OptionGroup var catalogOptions: CatalogOptions

    func run() async throws {
        guard hours > 0, hours <= 24 * 14 else { throw ValidationError("--hours must be more than 0 and at most 336") }
        let (w, h, _) = try RenderOptions.validate(size: size, fps: fps, duration: nil)
        guard let sampleMs = Parse.milliseconds(every), sampleMs >= 1000 else { throw ValidationError("--every takes a time like 10m or 1h") }
        let path = show ?? (Assets.folder("Scripts", containing: "overnight.show.md", nearShow: nil).map { $0 + "/overnight.show.md" } ?? "Scripts/overnight.show.md")
        var loaded = try ShowLoader(path: path, catalogOptions: catalogOptions, seed: 7).load()
        loaded.rundown.loop = true
        let (folder, background) = try loaded.stage(showPath: path, avatar: nil, background: nil)
        let catalog = loaded.catalog ?? Catalog()
        let chat = LiveChat(responder: try ChatOptions.responder(catalog: catalog, rules: nil, blocklist: nil))
        var viewers = MadeUpViewers(catalog: catalog)

        var video = VideoSettings(width: w, height: h, fps: fps)
        video.bitrateKbps = max(200, w * h * fps / 1_000 / 12)
        var options = LiveRenderer.Options(video: video)
        options.paced = false
        options.background = background
        options.duration = Int(hours * 3600) * SpeechClip.sampleRate

        var hooks = LiveRenderer.Hooks()
        hooks.chat = chat
        let counts = SoakCounts()
        hooks.onMarker = { m, _ in
            switch m.kind {
            case .line:
                counts.lines += 1
                if chatEvery > 0, counts.lines % chatEvery == 0 { chat.post(viewers.next(at: Double(counts.lines))) }
            case .segment: counts.segments += 1
            case .answer: counts.answers += 1
            case .draw, .cue: break
            }
        }
        let stateDir = try TemporaryFolder()
        let recorder = try record.map { dir in
            try Recorder(folder: dir, fps: fps, segmentMilliseconds: 3_600_000, air: AirLogWriter(log: AirLog(database: AnchorDatabase(path: stateDir.path + "/soak.db")))) { message, isError in
                if isError { Terminal.error("recording: \(message)") }
            }
        }
        hooks.onEncoders = { v, a in recorder?.start(video: v, audio: a) }
        hooks.onPacket = { p in
            recorder?.write(p)
            counts.bytes += p.data.count
            if p.kind == .video { counts.lastVideoFrame = max(counts.lastVideoFrame, p.pts) } else { counts.audioEnd = max(counts.audioEnd, p.pts + p.duration) }
        }

        let start = ContinuousClock.now
        var samples: [(show: Double, wall: Double, rssKB: Int, fds: Int)] = [(0, 0, ResidentMemory.kilobytes(), Self.openFiles())]
        var nextSample = Double(sampleMs) / 1000
        FileHandle.standardOutput.write(Data((String(format: "soak: %@ for %.1f h of show at %dx%d@%d, a message every %d lines%@\n", loaded.rundown.title, hours, w, h, fps,
                                                     chatEvery, record.map { ", recording to \($0)" } ?? "")
            + "   show time      wall    RSS MB   files   lines   answers\n"
            + String(format: "  %10@  %8@  %8.1f  %6d  %6d  %8d\n", "0:00:00", "0:00:00", Double(samples[0].rssKB) / 1024, samples[0].fds, 0, 0)).utf8))
        let stop = await Interrupt.install()
        let final = try await LiveRenderer(program: Program(id: path, rundown: loaded.rundown, catalog: loaded.catalog), avatarFolder: folder)
            .run(to: [], options: options, group: MultiThreadedEventLoopGroup.singleton, hooks: hooks, status: { s in
                _ = chat.takeUnanswered() // as 'anchor run' does (it stores them)
                guard s.mediaSeconds >= nextSample else { return }
                nextSample += Double(sampleMs) / 1000
                let sample = (s.mediaSeconds, (ContinuousClock.now - start).inSeconds, ResidentMemory.kilobytes(), Self.openFiles())
                samples.append(sample)
                // Written at once (not buffered), so a soak piped to a file shows its progress.
                FileHandle.standardOutput.write(Data((String(format: "  %10@  %8@  %8.1f  %6d  %6d  %8d", Self.hms(sample.0), Self.hms(sample.1),
                                                             Double(sample.2) / 1024, sample.3, counts.lines, counts.answers) + "\n").utf8))
            }, shouldStop: { stop.isSet })
        recorder?.finish()
        let wall = (ContinuousClock.now - start).inSeconds
        let stats = chat.stats
        let settled = samples.count > 2 ? samples[1] : samples[0]
        let peak = samples.map(\.rssKB).max() ?? 0
        let videoEnd = Double(counts.lastVideoFrame + 1) / Double(fps)
        let audioEnd = Double(counts.audioEnd) / Double(SpeechClip.sampleRate)
        print(String(format: "soak: %@ of show in %@ (%.1f× real time)%@", Self.hms(final.mediaSeconds), Self.hms(wall),
                     final.mediaSeconds / max(0.001, wall), final.interrupted ? ", stopped by signal" : ""))
        print(String(format: "  memory: %.1f MB after the first sample, %.1f MB at the end, %.1f MB at most (target: flat, < 150 MB)",
                     Double(settled.rssKB) / 1024, Double(samples.last!.rssKB) / 1024, Double(peak) / 1024))
        print("  open files: \(samples.first!.fds) at the start, \(samples.last!.fds) at the end, \(samples.map(\.fds).max() ?? 0) at most")
        print(String(format: "  A/V: video ends at %.3f s, audio at %.3f s: drift %.2f frames (target < 1)", videoEnd, audioEnd,
                     abs(videoEnd - audioEnd) * Double(fps)))
        print("  counts: \(final.framesSent) frames, \(counts.lines) lines, \(counts.segments) segments, \(String(format: "%.1f", Double(counts.bytes) / 1e6)) MB encoded; "
              + "chat \(stats.received) messages, \(counts.answers) answers, \(stats.blocked) blocked, \(stats.silent) silent, \(stats.shed) shed"
              + (recorder.map { ", recording \($0.status.files) files" + ($0.status.error.map { ", error: \($0)" } ?? "") } ?? ""))
    }

    static func hms(_ s: Double) -> String { String(format: "%d:%02d:%02d", Int(s) / 3600, Int(s) / 60 % 60, Int(s) % 60) }

    static func openFiles() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count }
}

/// Tallies the soak's hooks update (all on the live loop).
final class SoakCounts: @unchecked Sendable {
    var lines = 0, segments = 0, answers = 0, bytes = 0
    var lastVideoFrame: Int64 = -1
    var audioEnd: Int64 = 0
}
