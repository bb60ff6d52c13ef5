import AnchorCore
import Foundation
import AnchorMedia
import AnchorVoice

/// The sounds a show plays besides its voice, decoded once and set to the show's levels:
/// clips at the voice's −16 LUFS (then the cue's volume), music beds 14 LU under it.
final class SoundLibrary {
    static let voiceLoudness = SpeechEngine.targetLUFS
    static let bedLoudness = SpeechEngine.targetLUFS - 14
    /// How far a bed and a talked-over clip go down while someone speaks.
    static let bedDucking: Float = -12
    static let clipDucking: Float = -15

    private var clips: [PlayCue: [Float]] = [:]
    private var clipSamples = 0
    private var beds: [String: MusicBed] = [:]
    /// Files that could not be decoded, each reported once.
    private(set) var problems: [String] = []
    static let budget = 48_000 * 600

    /// The clip's sound at the show's level, or nil when it is muted, silent or unreadable.
    func sound(for cue: PlayCue) -> [Float]? {
        guard let gain = cue.gain, let length = cue.length else { return nil }
        if let cached = clips[cue] { return cached }
        let decoded: [Float]?
        do {
            decoded = try ClipSound.decode(cue.file, from: cue.from, length: length)
        } catch {
            report("\(error)")
            return nil
        }
        guard var samples = decoded, !samples.isEmpty else { return nil }
        Self.level(&samples, loudness: Self.voiceLoudness + gain)
        if clipSamples + samples.count > Self.budget { clips = [:]; clipSamples = 0 }
        clips[cue] = samples
        clipSamples += samples.count
        return samples
    }

    /// The music bed of `file`, looped and levelled; nil (reported) when it cannot be played.
    func bed(_ file: String) -> MusicBed? {
        if let cached = beds[file] { return cached }
        do {
            guard var samples = try ClipSound.decode(file) else { report("cannot play \(file): it has no sound"); return nil }
            Self.level(&samples, loudness: Self.bedLoudness)
            guard let bed = MusicBed(file: file, samples: samples) else { report("cannot play \(file): too short for a music bed"); return nil }
            // A few beds stay decoded (a show that goes back and forth between two), within the budget.
            if beds.count >= 3 || beds.values.reduce(bed.length, { $0 + $1.length }) > Self.budget { beds = [:] }
            beds[file] = bed
            return bed
        } catch {
            report("\(error)")
            return nil
        }
    }

    /// Scales `samples` to an integrated loudness, never past a −1 dBFS peak.
    static func level(_ samples: inout [Float], loudness target: Double) {
        let m = Loudness.measure(samples, sampleRate: 48_000)
        guard m.integrated.isFinite else { return }
        var gain = target - m.integrated
        if m.peak.isFinite { gain = min(gain, -1 - m.peak) }
        let k = Float(pow(10, gain / 20))
        for i in samples.indices { samples[i] *= k }
    }

    private func report(_ problem: String) {
        if !problems.contains(problem) { problems.append(problem) }
    }
}
