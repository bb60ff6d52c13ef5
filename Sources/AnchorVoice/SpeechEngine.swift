import AnchorCore
import Foundation
import Synchronization

/// Speaks utterances with espeak-ng: 48 kHz mono float PCM, loudness-normalized, with a word,
/// phoneme, viseme, stress and pause timeline in samples. espeak-ng has global state, so all
/// speech in the process goes through this one actor; concurrent callers wait their turn.
public actor SpeechEngine {
    /// The only one: espeak-ng's state is the process's.
    public static let shared = SpeechEngine()

    /// Synthesis (tens of milliseconds of CPU a line) runs on a thread of its own, never on the
    /// cooperative pool the channels' chat, HTTP and network work share.
    private let thread = ThreadExecutor(name: "anchor-espeak")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Target loudness of speech (EBU R128 integrated), and the peak ceiling.
    public static let targetLUFS = -16.0
    public static let peakCeiling: Float = 0.891 // −1 dBFS
    /// One call speaks at most this much text (about four minutes); a longer utterance stops at a
    /// word boundary before it, and the timeline says where, so the caller can go on from there.
    public static let maxScalarsPerCall = 4_000

    /// CPU nanoseconds spent speaking, all callers.
    private let spentNanoseconds = Atomic<Int>(0)
    /// CPU seconds spent speaking since the process started (a preview's "voice" stage).
    public nonisolated var cpuSeconds: Double { Double(spentNanoseconds.load(ordering: .relaxed)) / 1e9 }

    private var engine: EspeakEngine?
    private var resampler: Resampler?
    private var gains: [String: Float] = [:]

    private init() {}

    private func ready() throws(VoiceError) -> (EspeakEngine, Resampler) {
        if let engine, let resampler { return (engine, resampler) }
        let e = try EspeakEngine()
        let r = try Resampler(from: e.sampleRate, to: SpeechClip.sampleRate)
        engine = e
        resampler = r
        return (e, r)
    }

    /// The installed espeak-ng voices.
    public func voices() throws -> [VoiceDescription] {
        try ready().0.voices().map { VoiceDescription(name: $0.name, identifier: $0.identifier, languages: $0.languages) }
    }

    /// Speaks one utterance. Cancelling the calling task stops at the next word boundary; the
    /// clip then says where (`timeline.isComplete == false`, `timeline.stoppedAt`).
    public func speak(_ u: Utterance, voice: String? = nil) async throws -> SpeechClip {
        let stop = StopFlag()
        return try await withTaskCancellationHandler {
            try self.speakNow(u, voice: voice, stop: stop)
        } onCancel: {
            stop.set()
        }
    }

    /// All espeak-ng work for one utterance, in one synchronous actor-isolated call, so no other
    /// caller's voice or parameters can interleave with it.
    func speakNow(_ u: Utterance, voice: String?, stop: StopFlag) throws -> SpeechClip {
        let cpu = CPUTime.thread()
        defer { spentNanoseconds.add(Int((CPUTime.thread() - cpu) * 1e9), ordering: .relaxed) }
        let voiceName = voice ?? u.language.defaultVoice
        let (engine, resampler) = try ready()
        try engine.setVoice(voiceName)
        let gain = try calibratedGain(voiceName, language: u.language)
        let prosody = Prosody.forIntent(u.intent, language: u.language)
        var clip = ClipAssembler(utterance: u, voice: voiceName)
        let meter = LoudnessMeter(sampleRate: engine.sampleRate)
        for piece in SpeechPlanner.pieces(u, prosody: prosody) {
            if stop.isSet { clip.stop(at: piece.range.lowerBound); break }
            if piece.range.upperBound > Self.maxScalarsPerCall { clip.stop(at: piece.range.lowerBound); break }
            let text = SpeechText(u, range: piece.range)
            if text.isSpeakable {
                engine.apply(prosody)
                let raw = engine.synthesize(ssml: text.ssml) { stop.isSet }
                meter.add(raw.samples)
                clip.append(raw, text: text, inputRate: engine.sampleRate, resampler: resampler)
                if raw.cancelled { break }
            }
            clip.appendSilence(milliseconds: piece.pauseAfter, explicitAt: piece.explicitPause ? piece.range.upperBound : nil)
        }
        // Loudness is measured on espeak-ng's own output as it arrives (silence is gated out by
        // BS.1770 anyway), so no second pass over the 48 kHz clip is needed.
        let measured = meter.frames >= engine.sampleRate ? meter.integrated : -.infinity
        return clip.finish(measuredLUFS: measured, fallbackGain: gain)
    }

    /// The gain that brings this voice to the target loudness, measured once on a reference line.
    private func calibratedGain(_ voice: String, language: Language) throws -> Float {
        if let g = gains[voice] { return g }
        let (engine, resampler) = try ready()
        let reference = language == .zh
            ? "晚上好，欢迎来到直播间。今天给大家带来几款好物，价格都很实在，喜欢的可以点击购物车。"
            : "Good evening and welcome. Tonight we have a few lovely things for you, at prices you will like, so make yourself at home."
        engine.apply(.neutral)
        var audio: [Float] = []
        let line = Utterance(text: reference, language: language, intent: .chat, reason: .init(.tagged, "calibration"))
        for piece in SpeechPlanner.pieces(line, prosody: .neutral) {
            let text = SpeechText(line, range: piece.range)
            resampler.resample(engine.synthesize(ssml: text.ssml) { false }.samples, appendingTo: &audio)
        }
        let measured = Loudness.measure(audio, sampleRate: SpeechClip.sampleRate).integrated
        let g: Float = measured.isFinite ? Float(pow(10, (Self.targetLUFS - measured) / 20)) : 1
        gains[voice] = g
        return g
    }

    /// For `anchor bench voice`: espeak-ng synthesis alone, no resampling or timeline.
    public func synthesizeRaw(_ text: String, voice: String) throws -> Int {
        let (engine, _) = try ready()
        try engine.setVoice(voice)
        engine.apply(.neutral)
        let ssml = SpeechText(Utterance(text: text, language: .en, intent: .chat, reason: .init(.tagged, "")), range: 0..<text.unicodeScalars.count).ssml
        return engine.synthesize(ssml: ssml) { false }.samples.count
    }
}

/// An installed espeak-ng voice.
public struct VoiceDescription: Sendable, Codable, Hashable {
    public var name: String
    public var identifier: String
    public var languages: [String]
}
