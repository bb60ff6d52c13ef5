import AnchorAvatar
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorScript
import AnchorMedia
import AnchorStore
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

        With --whip, the show also goes out over WebRTC to an aiortc WHIP endpoint on \
        127.0.0.1 (Tests/Fixtures/whip-endpoint.py in the venv scripts/setup.sh makes), which \
        decodes every frame and notes when: encoded frame → first RTP packet on the wire \
        (target p99 < 20 ms), glass-to-glass from the frame's start to the receiver's decode \
        (target < 200 ms), the WebRTC transport's CPU (target < 0.03 of a core at 720p30) and \
        the second encode (constrained baseline + Opus beside RTMP's profile + AAC).

          anchor bench live --duration 60s
          anchor bench live --clip Assets/media/serum-ad.mp4
          anchor bench live --whip
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

    @Flag(help: "Also publish over WebRTC (WHIP) to an aiortc endpoint on 127.0.0.1 and measure latency and CPU.")
    var whip = false

    @Option(help: ArgumentHelp("Also stream again while air events are recorded at this many per second (a chat flood's analytics), and compare.", valueName: "per-second"))
    var analyticsRate = 0

    @Option(help: ArgumentHelp("Video codec of the RTMP stream: h264, or hevc (x265 as Enhanced RTMP; the receiver is PyAV's FFmpeg 8 then, Debian's cannot read it).", valueName: "codec"))
    var codec: VideoCodec = .h264

    /// One run's figures.
    struct Figures {
        var cpu: Double, wall: Double, cpuAll: Double, wallAll: Double, media: Double
        var sent: Int, skipped: Int, dropped: Int
        var latency: [Double]
        var webrtc: WebRTCFigures?
        var share: Double { cpu / wall }
        func percentile(_ p: Double) -> Double { Self.percentile(latency, p) }
        static func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
    }

    /// What the WHIP destination measured.
    struct WebRTCFigures {
        var stats: WebRTCStats
        /// Frame start → decoded by the receiver, ms, sorted.
        var glass: [Double]
        var framesDecoded: Int
        var framesSent: Int
        /// CPU seconds of each encoder pair over the whole run.
        var encoders: [(name: String, cpuSeconds: Double)]
        var wall: Double
    }

    func run() async throws {
        guard let show = try BenchShow.overnight() else {
            Terminal.error("error: cannot find Scripts/overnight.show.md (run from the anchor folder or set ANCHOR_HOME)")
            throw ExitCode(1)
        }
        let (w, h, _) = try RenderOptions.validate(size: size, fps: fps, duration: duration)
        let presenter = try await stream(show.loaded.rundown, catalog: show.loaded.catalog, folder: show.avatarFolder, background: show.background)
        print(String(format: "anchor bench live — %dx%d@%d, %@ %@, %.0f s of the overnight show into %@ on 127.0.0.1", w, h, fps,
                     codec == .hevc ? "x265" : "x264", preset, presenter.media, codec == .hevc ? "PyAV's FFmpeg 8 (Enhanced RTMP)" : "ffmpeg -listen"))
        print(String(format: "  CPU          %.2f of one core steady (%.1f s CPU over %.1f s), all threads: drawing, colour, %@, AAC, RTMP", presenter.share,
                     presenter.cpu, presenter.wall, codec == .hevc ? "x265" : "x264"))
        print(String(format: "               %.2f with start-up (speech, avatar parts, connect: %.1f s CPU over %.1f s)", presenter.cpuAll / presenter.wallAll, presenter.cpuAll, presenter.wallAll))
        print(String(format: "  frames       %d sent, %d skipped to keep time, %d dropped in the queue", presenter.sent, presenter.skipped, presenter.dropped))
        print(String(format: "  latency      frame start → socket: p50 %.1f ms, p99 %.1f ms, max %.1f ms", presenter.percentile(0.5), presenter.percentile(0.99), presenter.latency.last ?? .nan))
        print(String(format: "  target: ≤ 0.25 of a core — %@", presenter.share <= 0.25 ? "met" : "MISSED"))
        if let rtc = presenter.webrtc { Self.report(rtc) }
        if analyticsRate > 0 {
            let temp = try TemporaryFolder()
            let writer = AnalyticsWriter(log: AnalyticsLog(database: try AnchorDatabase(path: temp.path + "/bench.db")), channel: "bench")
            let load = AnalyticsLoad(writer: writer, perSecond: analyticsRate)
            load.start()
            let loaded = try await stream(show.loaded.rundown, catalog: show.loaded.catalog, folder: show.avatarFolder, background: show.background)
            let offered = load.stop()
            let t0 = ContinuousClock.now
            await writer.flush()
            let tail = (ContinuousClock.now - t0).inSeconds
            let s = writer.status
            print(String(format: "  analytics    %d air events recorded at %d/s during the stream: %d written (%.0f/s), %d dropped, %.2f s left to write at the end",
                         offered, analyticsRate, s.written, Double(s.written) / loaded.wallAll, s.dropped, tail))
            print(String(format: "               stream with them: %.2f of a core (%.2f without, ×%.2f), %d skipped (%d without), frame → socket p99 %.1f ms (%.1f without)",
                         loaded.share, presenter.share, loaded.share / presenter.share, loaded.skipped, presenter.skipped, loaded.percentile(0.99), presenter.percentile(0.99)))
            let met = Double(s.written) / loaded.wallAll >= Double(analyticsRate) * 0.95 && s.dropped == 0 && loaded.skipped <= presenter.skipped
            print("  target: ≥ 2000 writes/s with the stream unaffected (no frame skipped that was not skipped without) — \(analyticsRate >= 2_000 && met ? "met" : "MISSED")")
        }
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
        let endpoint = whip ? try WHIPBenchEndpoint.start() : nil
        defer { endpoint?.stop() }
        let sink = Process()
        if codec == .hevc {
            // Debian's FFmpeg 5.1 cannot read Enhanced RTMP: PyAV's FFmpeg 8 listens (and decodes) instead.
            let listener = try Self.venvFixture("flv-listen.py", for: "--codec hevc", needs: "PyAV")
            sink.executableURL = URL(fileURLWithPath: listener.python)
            sink.arguments = [listener.script, "rtmp://127.0.0.1:\(port)/live/bench"]
        } else {
            sink.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
            sink.arguments = ["-v", "error", "-listen", "1", "-f", "flv", "-i", "rtmp://127.0.0.1:\(port)/live/bench", "-c", "copy", "-f", "null", "-"]
        }
        sink.standardOutput = FileHandle.nullDevice
        sink.standardError = FileHandle.nullDevice // it complains when the stream ends
        try sink.run()
        defer { if sink.isRunning { sink.terminate() } }
        try await Task.sleep(for: .milliseconds(codec == .hevc ? 2_000 : 500))

        // What 'anchor live' encodes by default (the narrowband profile), unless --profile says otherwise.
        var video = try PictureOptions.profile(named: profile).settings(width: w, height: h, fps: fps)
        video.tune = "zerolatency"
        video.preset = preset
        video.x264Params = x264Params
        var options = LiveRenderer.Options(video: video)
        options.videoCodec = codec
        options.duration = samples
        options.background = background
        Terminal.error("streaming \(duration) of \(w)x\(h)@\(fps) to ffmpeg on 127.0.0.1:\(port)…")
        // Steady state: from 3 s in (speech made, parts drawn, connected) to the end.
        var mark: (cpu: Double, wall: ContinuousClock.Instant)?
        var last: (cpu: Double, wall: ContinuousClock.Instant) = (0, .now)
        let cpu0 = CPUTime.process(), wall0 = ContinuousClock.now
        var hooks = LiveRenderer.Hooks()
        var frameStarts: [Double] = []
        hooks.onFrameStart = { n in
            if frameStarts.count == n { frameStarts.append(Date().timeIntervalSince1970) }
        }
        let targets: [PushTarget] = [.rtmp(url)] + (endpoint.map { [.whip($0.target)] } ?? [])
        let status = try await LiveRenderer(rundown: rundown, catalog: catalog, avatarFolder: folder)
            .run(to: targets, options: options, group: MultiThreadedEventLoopGroup.singleton, hooks: hooks, status: { s in
                if mark == nil, s.mediaSeconds >= 3 { mark = (CPUTime.process(), .now) }
                last = (CPUTime.process(), .now)
            }, shouldStop: { false })
        let cpuAll = CPUTime.process() - cpu0, wallAll = (ContinuousClock.now - wall0).inSeconds
        let cpu = last.cpu - (mark?.cpu ?? cpu0), wall = (last.wall - (mark?.wall ?? wall0)).inSeconds
        guard let d = status.destinations.first, d.sessions > 0 else {
            Terminal.error("error: the local receiver never took the stream")
            throw ExitCode(1)
        }
        var figures = Figures(cpu: cpu, wall: wall, cpuAll: cpuAll, wallAll: wallAll, media: status.mediaSeconds, sent: d.sentVideo,
                              skipped: status.framesSkipped, dropped: d.queue.droppedVideo, latency: d.videoLatencyMs.sorted())
        if let endpoint {
            guard let rtc = status.destinations.last?.webrtc, rtc.connectSeconds != nil else {
                Terminal.error("error: the WHIP endpoint never connected: \(status.destinations.last?.lastError ?? "no answer")")
                throw ExitCode(1)
            }
            let decoded = try await endpoint.decodedFrames()
            let glass = decoded.compactMap { pts, at -> Double? in
                let n = Int((pts * Int64(fps) + 45_000) / 90_000)
                return n < frameStarts.count ? (at - frameStarts[n]) * 1000 : nil
            }
            figures.webrtc = WebRTCFigures(stats: rtc, glass: glass.sorted(), framesDecoded: decoded.count, framesSent: status.destinations.last?.sentVideo ?? 0,
                                           encoders: status.encoders, wall: wallAll)
        }
        return figures
    }

    static func report(_ rtc: WebRTCFigures) {
        let p99Wire = rtc.stats.latencyMs(0.99) ?? .nan, p99Glass = Figures.percentile(rtc.glass, 0.99)
        let transport = rtc.stats.cpuSeconds / rtc.wall
        print("  WebRTC       WHIP to aiortc on 127.0.0.1: \(rtc.stats.summary.dropFirst(8))")
        print(String(format: "    frame encoded → first RTP packet on the wire: p50 %.2f ms, p99 %.2f ms — target p99 < 20 ms — %@",
                     rtc.stats.latencyMs(0.5) ?? .nan, p99Wire, p99Wire < 20 ? "met" : "MISSED"))
        print(String(format: "    glass to glass (frame start → decoded by aiortc, %d of %d frames): p50 %.0f ms, p99 %.0f ms — target < 200 ms — %@",
                     rtc.framesDecoded, rtc.framesSent, Figures.percentile(rtc.glass, 0.5), p99Glass, p99Glass < 200 ? "met" : "MISSED"))
        print(String(format: "    transport CPU (RTP, SRTP, ICE, RTCP on the event loop): %.3f of a core — target < 0.03 — %@",
                     transport, transport < 0.03 ? "met" : "MISSED"))
        for e in rtc.encoders {
            print(String(format: "    encoder %@: %.3f of a core", e.name, e.cpuSeconds / rtc.wall))
        }
    }

    /// The aiortc WHIP endpoint of the test suite, in the venv the setup makes, not recording.
    final class WHIPBenchEndpoint {
        let process = Process()
        let directory: URL
        let target: WHIPEndpoint

        static func start() throws -> WHIPBenchEndpoint {
            let endpoint = try LiveBench.venvFixture("whip-endpoint.py", for: "--whip", needs: "aiortc")
            return try WHIPBenchEndpoint(python: endpoint.python, script: endpoint.script)
        }

        init(python: String, script: String) throws {
            let port = try LiveBench.freePort()
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-whip-bench-\(port)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            target = try WHIPEndpoint("whip+http://127.0.0.1:\(port)/whip/endpoint")
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script, "\(port)", directory.path, "--no-record"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("ready").path), Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            guard process.isRunning else { throw ValidationError("the aiortc WHIP endpoint did not start") }
        }

        /// (RTP timestamp, unix time) of each frame the endpoint decoded, once its session ended.
        func decodedFrames() async throws -> [(Int64, Double)] {
            let report = directory.appendingPathComponent("session-1.json")
            let deadline = ContinuousClock.now + .seconds(10)
            while !FileManager.default.fileExists(atPath: report.path), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let text = (try? String(contentsOf: directory.appendingPathComponent("frames-1.txt"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                let f = line.split(separator: " ")
                guard f.count == 2, let pts = Int64(f[0]), let at = Double(f[1]) else { return nil }
                return (pts, at)
            }
        }

        /// SIGKILL: a child of anchor inherits its blocked SIGTERM (anchor takes signals on
        /// one thread), and nothing of the endpoint's is needed any more.
        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// A receiver from the test suite and the setup's venv that runs it, found where anchor finds
    /// its other assets (`ANCHOR_HOME`, here, the package the binary was built in).
    static func venvFixture(_ script: String, for option: String, needs: String) throws -> (python: String, script: String) {
        let missing = ValidationError("\(option) needs \(needs) in .build-venv and Tests/Fixtures/\(script): run scripts/setup.sh --no-build in the anchor folder")
        guard let fixtures = Assets.folder("Tests/Fixtures", containing: script, nearShow: nil) else { throw missing }
        let root = ((fixtures as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let python = (root as NSString).appendingPathComponent(".build-venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python) else { throw missing }
        return (python, (fixtures as NSString).appendingPathComponent(script))
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
