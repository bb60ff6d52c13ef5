import AnchorAvatar
import AnchorCore
import AnchorEngine
import AnchorScript
import AnchorMedia
import AnchorStream
import ArgumentParser
import Foundation
import NIOPosix

struct LiveBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "One live channel in real time into a local receiver: CPU as a fraction of one core, frame-to-socket latency.",
        discussion: """
        Pushes the demo show over RTMP to 'ffmpeg -listen 1' on 127.0.0.1 (which only reads and \
        discards), and measures anchor's own CPU time over the run — drawing, colour, x264, AAC, \
        RTMP — divided by the wall time, and the time from starting a frame to handing its bytes \
        to the socket. Target at 1280x720@30: ≤ 0.25 of a core.

        With --clip, the same is measured a second time on a segment that plays the clip full \
        screen (decode, scale, colour, x264 on moving pictures), and the two are compared: \
        target ≤ 2× the presenter.

          anchor bench live --duration 60s
          anchor bench live --clip Assets/media/serum-ad.mp4
        """
    )

    @Option(help: "How long to stream.")
    var duration = "20s"

    @Option(help: "Frame size.")
    var size = "1280x720"

    @Option(help: "Frames per second.")
    var fps = 30

    @Option(help: ArgumentHelp("Encoding profile (as 'anchor live --profile').", valueName: "name"))
    var profile = EncodingProfile.narrowband.name

    @Option(help: "x264 preset (as 'anchor live --preset').")
    var preset = "superfast"

    @Option(help: "More x264 options, key=value:key=value, with x264's own names (as ffmpeg's -x264-params).")
    var x264Params = ""

    @Option(help: ArgumentHelp("Also stream a segment playing this clip full screen, and compare.", valueName: "file"))
    var clip: String?

    /// One run's figures.
    struct Figures {
        var cpu: Double, wall: Double, cpuAll: Double, wallAll: Double, media: Double
        var sent: Int, skipped: Int, dropped: Int
        var latency: [Double]
        var share: Double { cpu / wall }
        func percentile(_ p: Double) -> Double { latency.isEmpty ? .nan : latency[min(latency.count - 1, Int(Double(latency.count) * p))] }
    }

    func run() async throws {
        guard let show = try BenchShow.overnight() else {
            Terminal.error("error: cannot find Scripts/overnight.show.md (run from the anchor folder or set ANCHOR_HOME)")
            throw ExitCode(1)
        }
        let (w, h, _) = try RenderOptions.validate(size: size, fps: fps, duration: duration)
        let presenter = try await stream(show.loaded.rundown, catalog: show.loaded.catalog, folder: show.avatarFolder, background: show.background)
        print(String(format: "anchor bench live — %dx%d@%d, x264 %@, %.0f s of the overnight show into ffmpeg -listen on 127.0.0.1", w, h, fps, preset, presenter.media))
        print(String(format: "  CPU          %.2f of one core steady (%.1f s CPU over %.1f s), all threads: drawing, colour, x264, AAC, RTMP", presenter.share, presenter.cpu, presenter.wall))
        print(String(format: "               %.2f with start-up (speech, avatar parts, connect: %.1f s CPU over %.1f s)", presenter.cpuAll / presenter.wallAll, presenter.cpuAll, presenter.wallAll))
        print(String(format: "  frames       %d sent, %d skipped to keep time, %d dropped in the queue", presenter.sent, presenter.skipped, presenter.dropped))
        print(String(format: "  latency      frame start → socket: p50 %.1f ms, p99 %.1f ms, max %.1f ms", presenter.percentile(0.5), presenter.percentile(0.99), presenter.latency.last ?? .nan))
        print(String(format: "  target: ≤ 0.25 of a core — %@", presenter.share <= 0.25 ? "met" : "MISSED"))
        guard let clip else { return }
        guard FileManager.default.fileExists(atPath: clip) else { throw ValidationError("--clip: no such file '\(clip)'") }
        let path = (clip as NSString).isAbsolutePath ? clip : FileManager.default.currentDirectoryPath + "/" + clip
        let text = "---\ntitle: Clip segment\nloop: true\n---\n# Spot\n@play \"\(path)\" full\n"
        let compiled = ScriptCompiler.parse(text, path: "clip.show.md").compile(catalog: nil, media: ShowMedia.resolve)
        guard let rundown = compiled.rundown else {
            Terminal.print(compiled.diagnostics) { _ in nil }
            throw ExitCode(1)
        }
        let segment = try await stream(rundown, catalog: nil, folder: show.avatarFolder, background: show.background)
        print(String(format: "  clip segment %.2f of one core steady (%@ full screen, looped: decode, scale, colour, x264); %d skipped, p99 %.1f ms",
                     segment.share, (clip as NSString).lastPathComponent, segment.skipped, segment.percentile(0.99)))
        let ratio = segment.share / presenter.share
        print(String(format: "  clip / presenter: %.2f× — target ≤ 2× — %@", ratio, ratio <= 2 ? "met" : "MISSED"))
    }

    /// Streams `rundown` for the bench's duration into a local receiver and measures it.
    func stream(_ rundown: Rundown, catalog: Catalog?, folder: String, background: Background) async throws -> Figures {
        let (w, h, samples) = try RenderOptions.validate(size: size, fps: fps, duration: duration)
        let port = try Self.freePort()
        let url = try StreamURL("rtmp://127.0.0.1:\(port)/live/bench")
        let sink = Process()
        sink.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        sink.arguments = ["-v", "error", "-listen", "1", "-f", "flv", "-i", "rtmp://127.0.0.1:\(port)/live/bench", "-c", "copy", "-f", "null", "-"]
        sink.standardOutput = FileHandle.nullDevice
        sink.standardError = FileHandle.nullDevice // it complains when the stream ends
        try sink.run()
        defer { if sink.isRunning { sink.terminate() } }
        try await Task.sleep(for: .milliseconds(500))

        // What 'anchor live' encodes by default (the narrowband profile), unless --profile says otherwise.
        var video = try PictureOptions.profile(named: profile).settings(width: w, height: h, fps: fps)
        video.tune = "zerolatency"
        video.preset = preset
        video.x264Params = x264Params
        var options = LiveRenderer.Options(video: video)
        options.duration = samples
        options.background = background
        Terminal.error("streaming \(duration) of \(w)x\(h)@\(fps) to ffmpeg on 127.0.0.1:\(port)…")
        // Steady state: from 3 s in (speech made, parts drawn, connected) to the end.
        var mark: (cpu: Double, wall: ContinuousClock.Instant)?
        var last: (cpu: Double, wall: ContinuousClock.Instant) = (0, .now)
        let cpu0 = CPUTime.process(), wall0 = ContinuousClock.now
        let status = try await LiveRenderer(rundown: rundown, catalog: catalog, avatarFolder: folder)
            .run(to: [.rtmp(url)], options: options, group: MultiThreadedEventLoopGroup.singleton, status: { s in
                if mark == nil, s.mediaSeconds >= 3 { mark = (CPUTime.process(), .now) }
                last = (CPUTime.process(), .now)
            }, shouldStop: { false })
        let cpuAll = CPUTime.process() - cpu0, wallAll = (ContinuousClock.now - wall0).inSeconds
        let cpu = last.cpu - (mark?.cpu ?? cpu0), wall = (last.wall - (mark?.wall ?? wall0)).inSeconds
        guard let d = status.destinations.first, d.sessions > 0 else {
            Terminal.error("error: the local receiver never took the stream")
            throw ExitCode(1)
        }
        return Figures(cpu: cpu, wall: wall, cpuAll: cpuAll, wallAll: wallAll, media: status.mediaSeconds, sent: d.sentVideo,
                       skipped: status.framesSkipped, dropped: d.queue.droppedVideo, latency: d.videoLatencyMs.sorted())
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw ValidationError("no free TCP port on 127.0.0.1") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
