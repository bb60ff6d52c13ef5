/// The show's sound on one clock: the voice, the clips' sounds under it (ducked while the host
/// talks over them) and a music bed under both (ducked while either is heard). Preview and air
/// read the same mix, sample for sample.
struct ShowAudio {
    var voice = SoundTrack()
    var clips = SoundTrack()
    /// The music under the show.
    var beds = BedTrack()
    private var clipDucker = Ducker(depthDecibels: SoundLibrary.clipDucking)
    private var bedDucker = Ducker(depthDecibels: SoundLibrary.bedDucking)
    private var mix: [Float] = []
    private var scratch: [Float] = []

    /// Samples read so far.
    var position: Int { voice.position }

    /// Places a clip's sound; one playing at `start` stops there (the newer clip replaces it).
    mutating func placeClip(_ samples: [Float], at start: Int) {
        clips.cut(at: start)
        clips.place(samples, at: start)
    }

    /// Forgets what was planned from `sample` on: the voice is cut there (a line in progress
    /// fades out); a clip already playing goes on, unless `stoppingClips`.
    mutating func cut(at sample: Int, stoppingClips: Bool = false) {
        voice.cut(at: sample)
        if stoppingClips { clips.cut(at: sample) } else { clips.dropPlacements(from: sample) }
        beds.cut(at: sample)
    }

    mutating func compact() {
        voice.compact()
        clips.compact()
    }

    /// The next `count` samples of the mix, valid until the next call.
    mutating func read(_ count: Int) -> ArraySlice<Float> {
        let start = voice.position
        let speech = voice.read(count)
        let sound = clips.read(count)
        if mix.count < count { mix = [Float](repeating: 0, count: count); scratch = mix }
        mix.withUnsafeMutableBufferPointer { out in
            speech.withUnsafeBufferPointer { v in
                sound.withUnsafeBufferPointer { c in
                    // Clips duck under the voice; out holds them for now.
                    (out.baseAddress!).update(from: c.baseAddress!, count: count)
                    clipDucker.apply(UnsafeMutableBufferPointer(rebasing: out[0..<count]), sideChain: v)
                    for i in 0..<count { out[i] += v[i] }
                }
            }
            guard !beds.isSilent else { return }
            scratch.withUnsafeMutableBufferPointer { b in
                let music = UnsafeMutableBufferPointer(rebasing: b[0..<count])
                beds.read(at: start, into: music)
                bedDucker.apply(music, sideChain: UnsafeBufferPointer(rebasing: out[0..<count]))
                for i in 0..<count { out[i] += music[i] }
            }
        }
        return mix[0..<count]
    }
}
