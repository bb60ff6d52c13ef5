import AnchorAvatar
import AnchorCore
import AnchorMedia
import AnchorVoice
import Foundation
import NIOPosix

/// Renders a show offline to a video file, as fast as the CPU allows. It is the live run
/// (`LiveRenderer`, the live Director) unpaced and with no destination: the same lines at the
/// same samples, viewers' answers cut in at the same word boundaries, the same frames — what
/// the preview shows is what airs. Audio samples are the clock: frame N is at N/fps.
public struct PreviewRenderer {
    public struct Options: Sendable {
        public var width = 1280, height = 720, fps = 30
        /// Stop after this many samples (nil: the whole show, once).
        public var duration: Int?
        public var background: Background = .studio
        public var format = "mp4"
        public var video: VideoSettings?
        public var audioOut: String?
        public var audioCodec: AudioEncoder.Codec = .aac
        public init() {}
    }

    public struct Progress: Sendable {
        /// How much is done, 0…1: by frames with a duration, else by segments (a show's length is
        /// known only once it has been spoken).
        public var fraction: Double
        /// Seconds of media rendered and wall seconds spent.
        public var mediaSeconds: Double
        public var elapsed: Double
    }

    public struct Result: Sendable {
        public var frames: Int
        public var interrupted: Bool
        public var mediaSeconds: Double
        /// Presentation time of the last video frame and of the end of the last audio packet.
        public var lastVideoSeconds: Double
        public var audioEndSeconds: Double
        public var chapters: [MP4Writer.Chapter]
        /// CPU seconds of the frame loop's thread by stage, and of the voice (espeak-ng's thread).
        public var stages: LiveRenderer.Stages
        public var voiceSeconds: Double
        public var wallSeconds: Double
        /// Process CPU seconds, all threads.
        public var cpuSeconds: Double
        public var performance: Performance
        /// Clips or music that could not be played (the show went on without them).
        public var problems: [String] = []
        /// Answers shed because too many waited (as on air).
        public var answersShed = 0
        /// How the lucky draws ended, in order.
        public var draws: [DrawOutcome] = []
    }

    public let rundown: Rundown
    public let catalog: Catalog?
    public let avatarFolder: String

    public init(rundown: Rundown, catalog: Catalog?, avatarFolder: String) {
        self.rundown = rundown
        self.catalog = catalog
        self.avatarFolder = avatarFolder
    }

    /// Renders to `path`; a failed write (disk full…) leaves no file behind. `shouldStop` ends
    /// the render as a stop ends a live run: the word being spoken finishes.
    public func render(to path: String, options o: Options, chat: ChatFeed? = nil, progress: @escaping (Progress) -> Void = { _ in },
                       shouldStop: () -> Bool = { false }) async throws -> Result {
        let wallStart = ContinuousClock.now
        let cpuStart = CPUTime.process()
        let rate = SpeechClip.sampleRate
        var program = Program(id: rundown.title, rundown: rundown, catalog: catalog)
        // Without a duration a preview is the show once, even a looping one.
        if o.duration == nil { program.rundown.loop = false }
        let voiceStart = SpeechEngine.shared.cpuSeconds
        let segments = max(1, rundown.segments.count)
        func fraction(_ s: LiveRenderer.Status) -> Double {
            guard let duration = o.duration else { return min(1, Double(s.position.segment) / Double(segments)) }
            return min(1, s.mediaSeconds * Double(rate) / Double(duration))
        }

        var settings = o.video ?? VideoSettings(width: o.width, height: o.height, fps: o.fps)
        settings.width = o.width; settings.height = o.height; settings.fps = o.fps
        var live = LiveRenderer.Options(video: settings)
        live.paced = false
        live.duration = o.duration
        live.background = o.background
        live.audioCodec = o.audioCodec
        live.keepsPerformance = true
        live.drawSeedsFromShow = true
        // The next frame is drawn while x264 encodes this one: the same packets, sooner.
        live.encodesOnOwnThread = true

        let output = PreviewOutput(path: path, format: o.format, title: rundown.title, wav: try o.audioOut.map { try WAVStream(path: $0, sampleRate: rate) })
        var hooks = LiveRenderer.Hooks()
        hooks.chat = chat
        hooks.onEncoders = { video, audio in try output.open(video: video, audio: audio) }
        hooks.onPacket = { try output.write($0) }
        hooks.onAudio = { try output.wav?.write($0) }
        hooks.onMarker = { m, _ in output.note(m) }
        let status: LiveRenderer.Status
        // The frame loop on a thread of its own, as a channel's: its stages are that thread's CPU time.
        let thread = ThreadExecutor(name: "anchor-preview")
        defer { thread.close() }
        do {
            status = try await withTaskExecutorPreference(thread) {
                try await LiveRenderer(program: program, avatarFolder: avatarFolder)
                    .run(to: [], options: live, group: MultiThreadedEventLoopGroup.singleton, hooks: hooks, status: { s in
                        progress(Progress(fraction: fraction(s), mediaSeconds: s.mediaSeconds, elapsed: (ContinuousClock.now - wallStart).inSeconds))
                    }, shouldStop: shouldStop)
            }
        } catch {
            output.abandon()
            throw error
        }
        let rendered = status.framesSent
        let chapters = output.chapters(endingAt: rendered * rate / o.fps)
        do {
            try output.finish(chapters: chapters, endMilliseconds: Int64(rendered) * 1000 / Int64(o.fps))
        } catch {
            output.abandon()
            throw error
        }
        progress(Progress(fraction: 1, mediaSeconds: status.mediaSeconds, elapsed: (ContinuousClock.now - wallStart).inSeconds))
        guard let performance = status.performance else { preconditionFailure("a preview's run keeps its performance (keepsPerformance)") }
        var result = Result(frames: rendered, interrupted: status.interrupted, mediaSeconds: Double(rendered) / Double(o.fps),
                            lastVideoSeconds: Double(output.lastVideo) / Double(o.fps), audioEndSeconds: Double(output.audioEnd) / Double(rate),
                            chapters: chapters, stages: status.stages, voiceSeconds: SpeechEngine.shared.cpuSeconds - voiceStart,
                            wallSeconds: (ContinuousClock.now - wallStart).inSeconds, cpuSeconds: CPUTime.process() - cpuStart,
                            performance: performance)
        result.problems = status.problems
        result.answersShed = status.answersShed
        result.draws = output.draws
        return result
    }

    /// Moments for a contact sheet: a second and a half into each segment, at most `count`.
    public static func sheetMoments(_ p: Performance, count: Int = 12) -> [(at: Int, caption: String)] {
        let rate = SpeechClip.sampleRate
        var picks = p.segments.map { s in (at: min(p.length - 1, s.start + rate * 3 / 2), caption: s.title) }
        if picks.count > count {
            let step = Double(picks.count) / Double(count)
            picks = (0..<count).map { picks[Int(Double($0) * step)] }
        }
        return picks.map { (at: $0.at, caption: String(format: "%@ · %.1fs", $0.caption, Double($0.at) / Double(rate))) }
    }
}
