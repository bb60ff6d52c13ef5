import AnchorAvatar
import AnchorCore
import AnchorMedia
import AnchorVoice
import Foundation

/// Renders a show offline to a video file, as fast as the CPU allows: speech first (audio
/// encoded as it is spoken), then every frame drawn, converted and encoded, with audio
/// interleaved by time. Audio samples are the clock: frame N is at N/fps.
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
        /// Draw frames on a second thread while x264 encodes (faster on two cores, a little more CPU).
        public var pipelined = true
        public init() {}
    }

    public struct Progress: Sendable {
        public var frame: Int
        public var frames: Int
        /// Seconds of media rendered and wall seconds spent.
        public var mediaSeconds: Double
        public var elapsed: Double
    }

    /// CPU seconds per stage (CPU time of the thread doing it, measured around each stage).
    public struct StageTimes: Sendable {
        public var voice = 0.0, audio = 0.0, avatar = 0.0, conversion = 0.0, x264 = 0.0, mux = 0.0
        public var total: Double { voice + audio + avatar + conversion + x264 + mux }
    }

    public struct Result: Sendable {
        public var frames: Int
        public var interrupted: Bool
        public var mediaSeconds: Double
        /// Presentation time of the last video frame and of the end of the last audio packet.
        public var lastVideoSeconds: Double
        public var audioEndSeconds: Double
        public var chapters: [MP4Writer.Chapter]
        public var stages: StageTimes
        public var wallSeconds: Double
        /// Process CPU seconds, all threads.
        public var cpuSeconds: Double
        public var performance: Performance
        /// Clips or music that could not be played (the show went on without them).
        public var problems: [String] = []
    }

    public let rundown: Rundown
    public let catalog: Catalog?
    public let avatarFolder: String

    public init(rundown: Rundown, catalog: Catalog?, avatarFolder: String) {
        self.rundown = rundown
        self.catalog = catalog
        self.avatarFolder = avatarFolder
    }

    public func render(to path: String, options o: Options, chat: ChatFeed? = nil, progress: (Progress) -> Void = { _ in },
                       shouldStop: () -> Bool = { false }) async throws -> Result {
        let wallStart = ContinuousClock.now
        let cpuStart = CPUTime.process()
        var stages = StageTimes()
        let rate = SpeechClip.sampleRate
        let audio = try AudioEncoder(codec: o.audioCodec, bitrate: o.audioCodec == .aac ? 128_000 : 64_000)
        let wav = try o.audioOut.map { try WAVStream(path: $0, sampleRate: rate) }
        let limit = o.duration
        // Speech first: every line synthesized and placed; the audio is read out with the frames.
        let voiceStart = CPUTime.process()
        var track = ShowAudio()
        let sounds = SoundLibrary()
        track.beds.set(rundown.music.flatMap(sounds.bed), at: 0)
        let performance = try await PerformanceBuilder(rundown: rundown, catalog: catalog).build(until: limit, chat: chat) { start, clip in
            track.voice.place(clip, at: start)
        }
        for e in performance.events {
            if case .play(let play) = e.cue, let sound = sounds.sound(for: play) { track.placeClip(sound, at: e.at) }
            if case .music(let file) = e.cue { track.beds.set(file.flatMap(sounds.bed), at: e.at) }
        }
        stages.voice += CPUTime.process() - voiceStart
        let total = max(rate / o.fps, limit ?? performance.length)
        let frames = (total * o.fps + rate - 1) / rate

        // Video.
        var settings = o.video ?? VideoSettings(width: o.width, height: o.height, fps: o.fps)
        settings.width = o.width; settings.height = o.height; settings.fps = o.fps
        let encoder = try VideoEncoder(settings)
        let renderer = try FrameRenderer(avatarFolder: avatarFolder, width: o.width, height: o.height, background: o.background)
        let clips = ClipLibrary()
        renderer.clips = clips
        let sampler = SceneSampler(performance: performance, rig: renderer.model.rig)
        let chapters = performance.segments.enumerated().compactMap { i, s -> MP4Writer.Chapter? in
            let videoEnd = frames * rate / o.fps
            let end = i + 1 < performance.segments.count ? min(performance.segments[i + 1].start, videoEnd) : videoEnd
            guard s.start < videoEnd else { return nil }
            return MP4Writer.Chapter(title: s.title, start: Int64(s.start) * 1000 / Int64(rate), end: Int64(end) * 1000 / Int64(rate))
        }
        let writer = try MP4Writer(path: path, format: o.format, video: encoder, audio: audio, title: rundown.title, chapters: chapters)
        var audioEnd: Int64 = 0
        func write(_ packets: [EncodedPacket]) throws {
            let m = CPUTime.thread()
            for p in packets {
                try writer.write(p)
                audioEnd = p.pts + p.duration
            }
            stages.mux += CPUTime.thread() - m
        }
        /// Reads, encodes and writes the audio up to `sample`.
        func writeAudio(until sample: Int) throws {
            guard sample > track.position else { return }
            let a = CPUTime.thread()
            let pcm = track.read(sample - track.position)
            try wav?.write(pcm)
            let packets = audio.encode(pcm)
            stages.audio += CPUTime.thread() - a
            try write(packets)
        }
        var lastVideo: Int64 = -1
        var rendered = 0
        var interrupted = false
        let pipeline = FramePipeline(count: frames, converter: ColorConverter(width: o.width, height: o.height),
                                     threaded: o.pipelined) { n in
            (renderer.render(sampler.state(at: n * rate / o.fps)), renderer.takeDamage())
        }
        do {
            for n in 0..<frames {
                if shouldStop() { interrupted = true; break }
                let (frame, changed) = pipeline.next()
                var c = CPUTime.thread()
                let packets = encoder.encode(frame, index: Int64(n), changed: changed)
                pipeline.release()
                stages.x264 += CPUTime.thread() - c
                c = CPUTime.thread()
                for p in packets { try writer.write(p); lastVideo = max(lastVideo, p.pts) }
                stages.mux += CPUTime.thread() - c
                try writeAudio(until: (n + 1) * rate / o.fps)
                rendered = n + 1
                progress(Progress(frame: rendered, frames: frames, mediaSeconds: Double(rendered) / Double(o.fps),
                                  elapsed: (ContinuousClock.now - wallStart).inSeconds))
            }
            pipeline.finish()
            var c = CPUTime.thread()
            let tail = encoder.flush()
            stages.x264 += CPUTime.thread() - c
            c = CPUTime.thread()
            for p in tail { try writer.write(p); lastVideo = max(lastVideo, p.pts) }
            stages.mux += CPUTime.thread() - c
            // Audio to the end of the last frame, so both tracks end together.
            try writeAudio(until: rendered * rate / o.fps)
            let a = CPUTime.thread()
            let audioTail = audio.flush()
            stages.audio += CPUTime.thread() - a
            try write(audioTail)
            try writer.finish(endMilliseconds: Int64(rendered) * 1000 / Int64(o.fps))
            try wav?.close()
            stages.avatar = pipeline.avatarSeconds
            stages.conversion = pipeline.conversionSeconds
        } catch {
            pipeline.finish()
            // A failed write (disk full…) leaves no half file behind.
            try? writer.finish(endMilliseconds: nil)
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        var result = Result(frames: rendered, interrupted: interrupted, mediaSeconds: Double(rendered) / Double(o.fps),
                      lastVideoSeconds: Double(lastVideo) / Double(o.fps), audioEndSeconds: Double(audioEnd) / Double(rate),
                      chapters: chapters.filter { $0.start < Int64(rendered) * 1000 / Int64(o.fps) }, stages: stages, wallSeconds: (ContinuousClock.now - wallStart).inSeconds,
                      cpuSeconds: CPUTime.process() - cpuStart, performance: performance)
        result.problems = sounds.problems + clips.problems
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
