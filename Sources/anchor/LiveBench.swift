import AnchorCore
import AnchorEngine
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

    func run() async throws {
        let (w, h, samples) = try RenderOptions.validate(size: size, fps: fps, duration: duration)
        guard let show = try BenchShow.overnight() else {
            Terminal.error("error: cannot find Scripts/overnight.show.md (run from the anchor folder or set ANCHOR_HOME)")
            throw ExitCode(1)
        }
        let (loaded, folder, background) = (show.loaded, show.avatarFolder, show.background)
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
        let status = try await LiveRenderer(rundown: loaded.rundown, catalog: loaded.catalog, avatarFolder: folder)
            .run(to: [url], options: options, group: MultiThreadedEventLoopGroup.singleton, status: { s in
                if mark == nil, s.mediaSeconds >= 3 { mark = (CPUTime.process(), .now) }
                last = (CPUTime.process(), .now)
            }, shouldStop: { false })
        let cpuAll = CPUTime.process() - cpu0, wallAll = (ContinuousClock.now - wall0).inSeconds
        let cpu = last.cpu - (mark?.cpu ?? cpu0), wall = (last.wall - (mark?.wall ?? wall0)).inSeconds
        guard let d = status.destinations.first, d.sessions > 0 else {
            Terminal.error("error: the local receiver never took the stream")
            throw ExitCode(1)
        }
        let lat = d.videoLatencyMs.sorted()
        func pct(_ p: Double) -> Double { lat.isEmpty ? .nan : lat[min(lat.count - 1, Int(Double(lat.count) * p))] }
        print(String(format: "anchor bench live — %dx%d@%d, x264 %@, %.0f s of the overnight show into ffmpeg -listen on 127.0.0.1", w, h, fps, preset, status.mediaSeconds))
        print(String(format: "  CPU          %.2f of one core steady (%.1f s CPU over %.1f s), all threads: drawing, colour, x264, AAC, RTMP", cpu / wall, cpu, wall))
        print(String(format: "               %.2f with start-up (speech, avatar parts, connect: %.1f s CPU over %.1f s)", cpuAll / wallAll, cpuAll, wallAll))
        print(String(format: "  frames       %d sent, %d skipped to keep time, %d dropped in the queue", d.sentVideo, status.framesSkipped, d.queue.droppedVideo))
        print(String(format: "  latency      frame start → socket: p50 %.1f ms, p99 %.1f ms, max %.1f ms", pct(0.5), pct(0.99), lat.last ?? .nan))
        print(String(format: "  target: ≤ 0.25 of a core — %@", cpu / wall <= 0.25 ? "met" : "MISSED"))
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
