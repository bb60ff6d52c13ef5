import AnchorAvatar
import AnchorCore
import AnchorMedia
import AnchorStream
import AnchorVoice
import Foundation
import NIOCore
import Synchronization

/// Plays a show in real time into one or more ingests, directed live (`LiveDirector`): viewers'
/// answers cut in at word boundaries, and another show can take over at a segment start.
/// Frames are made against a monotonic clock, at most `lookahead` before they are due; a frame that would be late is skipped
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
        /// False: as fast as the CPU allows, no frame skipped (a soak test in accelerated time).
        public var paced = true
        /// AAC (classic RTMP) or Opus (Enhanced RTMP; ingests that read it: YouTube, SRS ≥ 6, MediaMTX, FFmpeg ≥ 6.1).
        public var audioCodec: AudioEncoder.Codec = .aac
        /// H.264, or H.265 as Enhanced RTMP for RTMP destinations (WebRTC stays H.264).
        public var videoCodec: VideoCodec = .h264
        /// Keep everything played, for `Status.performance` at the end (a preview's contact sheet).
        public var keepsPerformance = false
        /// Seed lucky draws from the show (a preview names the same winner every time).
        public var drawSeedsFromShow = false
        /// Encode on a thread of its own while the loop draws the next frame (a preview on two
        /// cores); the packet hooks are then called on that thread, in the same order.
        public var encodesOnOwnThread = false
        public init(video: VideoSettings) { self.video = video }
    }

    /// A snapshot for the status line and the control port.
    public struct Status: Sendable {
        public var elapsed: Double
        public var mediaSeconds: Double
        public var framesSent: Int
        public var framesSkipped: Int
        public var fps: Double
        public var videoKbps: Double
        public var destinations: [Destination.Status]
        public var interrupted = false
        /// The show, segment and product on air.
        public var program = ""
        public var segment = ""
        public var productSKU: String?
        public var position = ShowPosition.start
        public var paused = false
        public var answersWaiting = 0
        public var answersMerged = 0
        public var answersShed = 0
        /// Clips and music that could not be played (the show went on without them), each once.
        public var problems: [String] = []
        /// Each pair of encoders and the CPU seconds it has spent (two when RTMP and WebRTC are both pushed).
        public var encoders: [(name: String, cpuSeconds: Double)] = []
        /// CPU seconds of the frame loop's thread by stage.
        public var stages = Stages()
        /// The whole performance, in the last status of a run with `keepsPerformance`.
        public var performance: Performance?
    }

    /// CPU seconds spent by the frame loop's thread in each stage, and by its encoding thread
    /// when it has one (the voice is synthesized on a thread of its own, and is not in these).
    /// Meaningful when the loop stays on one thread (a `ThreadExecutor`, as a channel and a
    /// preview run it); elsewhere its awaits may resume on another thread of the pool.
    public struct Stages: Sendable {
        /// Directing is the Director's planning, chat and markers; video and audio include
        /// handing the packets on (a preview's muxer).
        public var directing = 0.0, drawing = 0.0, colour = 0.0, video = 0.0, audio = 0.0
        public var total: Double { directing + drawing + colour + video + audio }
    }

    /// What a caller plugs into a live run: chat, remote control, show switching, recording.
    public struct Hooks {
        /// Viewers: the channel's chat on air, a replayed log in a preview.
        public var chat: (any Audience)?
        public var control: LiveControl?
        /// Asked before each segment (see `LiveDirector.willEnterSegment`).
        public var willEnterSegment: ((String, ShowPosition, Bool) -> Program?)?
        /// Something began playing, at this many seconds of stream time.
        public var onMarker: ((LiveDirector.Marker, Double) -> Void)?
        /// The encoders, once made (a recorder needs their parameters); a throw ends the run.
        public var onEncoders: ((VideoEncoder, AudioEncoder) throws -> Void)?
        /// Every encoded packet, in order (video pts in frames, audio pts in samples); a throw
        /// (a full disk) ends the run. On the encoding thread with `encodesOnOwnThread`.
        public var onPacket: ((EncodedPacket) throws -> Void)?
        /// The show's sound, a frame's worth at a time, as it is encoded.
        public var onAudio: ((ArraySlice<Float>) throws -> Void)?
        /// A small copy of the picture, about once a second.
        public var onThumbnail: ((CairoSurface) -> Void)?
        /// Frame `n` (its encoded pts) begins to be drawn now: where capture-to-viewer latency starts.
        public var onFrameStart: ((Int) -> Void)?
        /// Frames sent and skipped are counted here as they happen.
        public var metrics: ChannelMetrics?
        public init() {}
    }

    public let program: Program
    public let avatarFolder: String

    public init(program: Program, avatarFolder: String) {
        self.program = program
        self.avatarFolder = avatarFolder
    }

    public init(rundown: Rundown, catalog: Catalog?, avatarFolder: String) {
        self.init(program: Program(id: rundown.title, rundown: rundown, catalog: catalog), avatarFolder: avatarFolder)
    }

    public func run(to targets: [PushTarget], options o: Options, group: EventLoopGroup, hooks: Hooks = Hooks(),
                    status report: (Status) -> Void, shouldStop: () -> Bool) async throws -> Status {
        let started = ContinuousClock.now
        let s = o.video
        Heap.limitArenas() // a channel runs for days: keep fragmentation from growing memory
        let rate = SpeechClip.sampleRate
        let renditions = try Rendition.make(for: targets, options: o, group: group, recording: hooks.onEncoders != nil)
        // The recorder (MP4 segments) takes H.264.
        let primary = renditions.first { $0.video is VideoEncoder } ?? renditions[0]
        if let h264 = primary.video as? VideoEncoder { try hooks.onEncoders?(h264, primary.audio) }
        primary.onPacket = hooks.onPacket
        let destinations = renditions.flatMap(\.destinations)
        // Each child says whether it was a destination that ended (true) or the end's deadline (false).
        return try await withThrowingTaskGroup(of: Bool.self) { tasks in
            // Destinations connect while the first lines are being spoken.
            for d in destinations { tasks.addTask { await d.run(); return true } }
            defer {
                for d in destinations { d.finish() }
                tasks.cancelAll()
            }

            let renderer = try FrameRenderer(avatarFolder: avatarFolder, width: s.width, height: s.height, background: o.background)
            let clips = ClipLibrary()
            renderer.clips = clips
            let director = LiveDirector(program: program, rig: renderer.model.rig)
            director.willEnterSegment = hooks.willEnterSegment
            director.drawHost = hooks.chat
            director.keepsHistory = o.keepsPerformance
            director.seedsDrawsFromShow = o.drawSeedsFromShow
            try await director.plan()
            // Pictures are lent to the encoding thread (if any) while the next one is converted.
            let depth = o.encodesOnOwnThread ? 2 : 1
            let encoding = o.encodesOnOwnThread ? EncodeThread(pictures: depth) : nil
            defer { encoding?.abandon() }
            let pictures = PictureRing(count: depth, converter: ColorConverter(width: s.width, height: s.height))
            /// Runs on the encoding thread, in order, when there is one.
            func encode(_ kind: EncodeThread.Kind, _ job: @escaping () throws -> Void) throws {
                if let encoding { try encoding.submit(kind, job) } else { try job() }
            }
            /// The loop's stages with the encoding thread's share.
            func allStages() -> Stages {
                guard let encoding else { return stages }
                var all = stages
                let cpu = encoding.cpuSeconds
                all.video += cpu.picture
                all.audio += cpu.sound
                return all
            }
            let limit = o.duration ?? (program.rundown.loop ? rate * 86_400 : nil)
            let frames = limit.map { ($0 * s.fps + rate - 1) / rate } ?? Int.max

            var sent = 0, skipped = 0
            var window: (at: ContinuousClock.Instant, sent: Int, bytes: Int) = (.now, 0, 0)
            var status = Status(elapsed: 0, mediaSeconds: 0, framesSent: 0, framesSkipped: 0, fps: 0, videoKbps: 0, destinations: [])
            var stages = Stages()
            var cpu = CPUTime.thread()
            /// Charges the thread's CPU time since the last call to a stage.
            func charge(_ stage: WritableKeyPath<Stages, Double>) {
                let now = CPUTime.thread()
                stages[keyPath: stage] += now - cpu
                cpu = now
            }
            let frameDuration = Duration.nanoseconds(1_000_000_000 / Int64(s.fps))
            let clockStart = ContinuousClock.now
            var lastReport = clockStart
            var n = 0
            var stopAt: Int?
            while n < frames {
                // A signal: the word being spoken is finished, then the stream ends.
                if stopAt == nil, shouldStop() {
                    status.interrupted = true
                    stopAt = min(director.stop(), director.audioPosition + rate * 2)
                }
                if let stopAt, director.audioPosition >= stopAt { break }
                let due = o.paced ? clockStart + frameDuration * n : ContinuousClock.now
                let wake = due - o.lookahead
                if o.paced, ContinuousClock.now < wake { try await Task.sleep(until: wake, clock: .continuous) }

                if stopAt == nil { hooks.control?.apply(to: director) }
                if let chat = hooks.chat {
                    // Stream time: the wall clock's when paced (arrivals are wall-clock instants). Unpaced
                    // (a preview), the audio's less the lookahead: a paced loop works on the frame due
                    // `lookahead` from now, so a message is heard at the same frame both ways.
                    let now = o.paced ? (ContinuousClock.now - clockStart).inSeconds
                                      : Double(director.audioPosition) / Double(rate) - o.lookahead.inSeconds
                    for (d, waited) in chat.decide(onScreen: director.productOnScreen(at: director.audioPosition),
                                                   language: director.program.rundown.language, streamTime: now) {
                        director.offer(d, arrivedAt: now - waited)
                    }
                }
                try await director.plan()
                charge(\.directing)
                if limit == nil, director.isFinished { break }

                if o.paced, n > 0, ContinuousClock.now - due > frameDuration * 2 {
                    skipped += 1 // behind: the picture skips, the sound does not
                    hooks.metrics?.framesSkipped.increment()
                } else {
                    let madeAt = ContinuousClock.now
                    hooks.onFrameStart?(n)
                    let frame = renderer.render(director.sampler.state(at: n * rate / s.fps))
                    let damage = renderer.takeDamage()
                    charge(\.drawing)
                    encoding?.waitForPicture()
                    let picture = pictures.convert(frame, damage: damage)
                    if let onThumbnail = hooks.onThumbnail, n % s.fps == 0 { onThumbnail(frame.scaled(toWidth: 320)) }
                    if n % (s.fps * 60) == 0 { Heap.trimIfDue() }
                    charge(\.colour)
                    try encode(.picture) { [n] in
                        for r in renditions { try r.encode(picture, index: n, changed: damage, madeAt: madeAt) }
                    }
                    sent += 1
                    hooks.metrics?.framesSent.increment()
                    charge(\.video)
                }
                let pcm = director.read((n + 1) * rate / s.fps - director.audioPosition)
                try hooks.onAudio?(pcm)
                try encode(.sound) { for r in renditions { try r.encode(pcm) } }
                charge(\.audio)
                for m in director.passed(upTo: director.audioPosition) {
                    let at = Double(m.at) / Double(rate)
                    if case .answer(let d, let arrived) = m.kind {
                        // Both in stream time: the answer's start and the question's arrival.
                        hooks.chat?.heard(d, at: at, latency: max(0, at - arrived))
                    }
                    switch m.kind {
                    case .segment(let title, let sku): status.segment = title; status.productSKU = sku
                    case .line, .answer, .draw, .cue: break
                    }
                    status.program = m.program
                    status.position = m.position
                    hooks.onMarker?(m, at)
                }
                n += 1

                let now = ContinuousClock.now
                if now - lastReport >= .seconds(1) || n == frames {
                    let span = (now - window.at).inSeconds
                    status.fps = Double(sent - window.sent) / max(0.001, span)
                    let bytes = primary.videoBytes
                    status.videoKbps = Double(bytes - window.bytes) * 8 / 1000 / max(0.001, span)
                    window = (now, sent, bytes)
                    lastReport = now
                    status.elapsed = (now - started).inSeconds
                    status.mediaSeconds = Double(n) / Double(s.fps)
                    status.framesSent = sent
                    status.framesSkipped = skipped
                    status.destinations = destinations.map(\.current)
                    status.paused = director.paused
                    status.answersWaiting = director.answers.count
                    status.answersMerged = director.answers.merged
                    status.answersShed = director.answers.shed
                    status.problems = director.soundProblems + clips.problems
                    status.encoders = renditions.map { ($0.name, $0.cpuSeconds) }
                    status.stages = allStages()
                    report(status)
                }
            }
            try encode(.sound) { for r in renditions { try r.flush() } }
            try encoding?.finish()
            // End cleanly: queued media goes out, then FCUnpublish and deleteStream.
            for d in destinations { d.finish() }
            // Wait until every destination has ended, for at most 3 s.
            if !destinations.isEmpty {
                tasks.addTask { try? await Task.sleep(for: .seconds(3)); return false }
                var ended = 0
                while ended < destinations.count, let destinationEnded = try await tasks.next(), destinationEnded { ended += 1 }
            }
            status.elapsed = (ContinuousClock.now - started).inSeconds
            status.mediaSeconds = Double(n) / Double(s.fps)
            status.framesSent = sent
            status.framesSkipped = skipped
            status.destinations = destinations.map(\.current)
            status.encoders = renditions.map { ($0.name, $0.cpuSeconds) }
            charge(\.video)
            status.stages = allStages()
            if o.keepsPerformance {
                var p = director.performance
                p.length = n * rate / s.fps
                status.performance = p
            }
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
