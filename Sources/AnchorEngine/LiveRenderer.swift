import AnchorAvatar
import AnchorCore
import AnchorMedia
import AnchorStream
import AnchorVoice
import Foundation
import NIOCore
import Synchronization

/// Plays a show in real time into one or more ingests. Frames are made against a monotonic
/// clock, at most `lookahead` before they are due; a frame that would be late is skipped
/// (counted) while audio is always made in full, so sound never underruns. Each destination
/// has its own queue and reconnect loop, so the show keeps time whatever the network does.
public struct LiveRenderer {
    public struct Options: Sendable {
        public var video: VideoSettings
        /// Stop after this many samples (nil: the whole show; a looping show, 24 hours).
        public var duration: Int?
        public var background: Background = .studio
        public var lookahead: Duration = .milliseconds(150)
        public var queueCapacityMs: UInt32 = 3_000
        /// Extra certificates to trust for rtmps:// (a PEM file).
        public var trustedCA: String?
        public init(video: VideoSettings) { self.video = video }
    }

    /// A snapshot for the status line.
    public struct Status: Sendable {
        public var elapsed: Double
        public var mediaSeconds: Double
        public var framesSent: Int
        public var framesSkipped: Int
        public var fps: Double
        public var videoKbps: Double
        public var destinations: [Destination.Status]
        public var interrupted = false
    }

    public let rundown: Rundown
    public let catalog: Catalog?
    public let avatarFolder: String

    public init(rundown: Rundown, catalog: Catalog?, avatarFolder: String) {
        self.rundown = rundown
        self.catalog = catalog
        self.avatarFolder = avatarFolder
    }

    public func run(to urls: [StreamURL], options o: Options, group: EventLoopGroup,
                    status report: (Status) -> Void, shouldStop: () -> Bool) async throws -> Status {
        let started = ContinuousClock.now
        let s = o.video
        let rate = SpeechClip.sampleRate
        let video = try VideoEncoder(s)
        let audio = try AudioEncoder()
        let keyframe = KeyframeRequest()
        let settings = PublishSettings(metadata: .init(width: s.width, height: s.height, fps: s.fps, videoKbps: s.bitrateKbps, audioKbps: 128),
                                       videoConfig: video.decoderConfiguration, audioConfig: audio.extradata)
        let destinations = try urls.map { url in
            try Destination(url: url, settings: settings, group: group, queueCapacityMs: o.queueCapacityMs, trustedCA: o.trustedCA) {
                keyframe.request()
            }
        }
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            // Destinations connect while the speech is being made.
            for d in destinations { tasks.addTask { await d.run() } }
            defer {
                for d in destinations { d.finish() }
                tasks.cancelAll()
            }

            var track = SpeechTrack()
            let until = o.duration ?? (rundown.loop ? rate * 86_400 : nil)
            let performance = try await PerformanceBuilder(rundown: rundown, catalog: catalog).build(until: until) { start, clip in
                track.place(clip, at: start)
            }
            let total = until ?? performance.length
            let frames = (total * s.fps + rate - 1) / rate
            let renderer = try FrameRenderer(avatarFolder: avatarFolder, width: s.width, height: s.height, background: o.background,
                                             language: rundown.language)
            let sampler = SceneSampler(performance: performance, rig: renderer.model.rig)
            let converter = try ColorConverter(width: s.width, height: s.height)
            let picture = I420Frame(width: s.width, height: s.height)
            // Timestamps start after the AAC priming, so sound and picture line up in FLV.
            let priming = Int64(audio.primingSamples)
            let offsetMs = UInt32(priming * 1000 / Int64(rate))

            func push(_ packets: [EncodedPacket], madeAt: ContinuousClock.Instant = .now) {
                for p in packets {
                    let ts: UInt32 = p.kind == .video
                        ? UInt32(truncatingIfNeeded: p.pts * 1000 / Int64(s.fps)) &+ offsetMs
                        : UInt32(truncatingIfNeeded: max(0, p.pts + priming) * 1000 / Int64(rate))
                    let packet = StreamPacket(kind: p.kind == .video ? .video : .audio, timestamp: ts, isKeyframe: p.isKeyframe, data: p.data, madeAt: madeAt)
                    for d in destinations { d.queue.push(packet) }
                }
            }

            var sent = 0, skipped = 0, bytes = 0
            var window: (at: ContinuousClock.Instant, sent: Int, bytes: Int) = (.now, 0, 0)
            var status = Status(elapsed: 0, mediaSeconds: 0, framesSent: 0, framesSkipped: 0, fps: 0, videoKbps: 0, destinations: [])
            let frameDuration = Duration.nanoseconds(1_000_000_000 / Int64(s.fps))
            let clockStart = ContinuousClock.now
            var lastReport = clockStart
            for n in 0..<frames {
                if shouldStop() { status.interrupted = true; break }
                let due = clockStart + frameDuration * n
                let wake = due - o.lookahead
                if ContinuousClock.now < wake { try await Task.sleep(until: wake, clock: .continuous) }
                if keyframe.take() { video.forceKeyframe() }
                if n > 0, ContinuousClock.now - due > frameDuration * 2 {
                    skipped += 1 // behind: the picture skips, the sound does not
                } else {
                    let madeAt = ContinuousClock.now
                    let frame = renderer.render(sampler.state(at: n * rate / s.fps))
                    frame.withPixels { converter.convert(bgra: $0.baseAddress!, stride: frame.stride, into: picture) }
                    let packets = video.encode(picture, index: Int64(n))
                    bytes += packets.reduce(0) { $0 + $1.data.count }
                    push(packets, madeAt: madeAt)
                    sent += 1
                }
                let pcm = track.read((n + 1) * rate / s.fps - track.position)
                push(audio.encode(pcm))

                let now = ContinuousClock.now
                if now - lastReport >= .seconds(1) || n == frames - 1 {
                    let span = (now - window.at).inSeconds
                    status.fps = Double(sent - window.sent) / max(0.001, span)
                    status.videoKbps = Double(bytes - window.bytes) * 8 / 1000 / max(0.001, span)
                    window = (now, sent, bytes)
                    lastReport = now
                    status.elapsed = (now - started).inSeconds
                    status.mediaSeconds = Double(n + 1) / Double(s.fps)
                    status.framesSent = sent
                    status.framesSkipped = skipped
                    status.destinations = destinations.map(\.current)
                    report(status)
                }
            }
            // End cleanly: queued media goes out, then FCUnpublish and deleteStream.
            for d in destinations { d.finish() }
            let deadline = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < deadline, destinations.contains(where: { d in
                switch d.current.state { case .finished, .failed: false; default: true }
            }) {
                try? await Task.sleep(for: .milliseconds(20))
            }
            status.elapsed = (ContinuousClock.now - started).inSeconds
            status.framesSent = sent
            status.framesSkipped = skipped
            status.destinations = destinations.map(\.current)
            return status
        }
    }

}

/// Set by a destination that (re)started publishing; the encoder makes the next frame an IDR.
final class KeyframeRequest: Sendable {
    private let flag = Atomic<Bool>(false)
    func request() { flag.store(true, ordering: .relaxed) }
    func take() -> Bool { flag.exchange(false, ordering: .relaxed) }
}
