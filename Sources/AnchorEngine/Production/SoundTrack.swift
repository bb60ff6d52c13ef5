import AnchorVoice

/// The show's audio as placed clips, read out in order as PCM: the master clock. Clips of a
/// looping show are shared, so an hour of a short loop costs the memory of one pass.
struct SpeechTrack {
    private var placements: [(start: Int, clip: SpeechClip)] = []
    private var index = 0
    /// Samples read so far.
    private(set) var position = 0
    private var buffer: [Float] = []
    /// A clip cut short fades out over this many samples (5 ms), so a barge-in does not click.
    static let fadeOut = SpeechClip.sampleRate / 200

    /// Places a clip at `start`; clips come in time order and do not overlap.
    mutating func place(_ clip: SpeechClip, at start: Int) { placements.append((start, clip)) }

    /// Forgets everything placed from `sample` on (not yet read), and cuts short a clip that
    /// would still be playing there. `sample` must not be before `position`.
    mutating func cut(at sample: Int) {
        precondition(sample >= position, "cannot cut audio already read")
        while let last = placements.last, last.start >= sample, placements.count > index { placements.removeLast() }
        guard let last = placements.indices.last, placements[last].start + placements[last].clip.samples.count > sample else { return }
        var clip = placements[last].clip
        let keep = sample - placements[last].start
        clip.samples.removeLast(clip.samples.count - keep)
        let fade = min(Self.fadeOut, keep)
        for i in 0..<fade { clip.samples[keep - fade + i] *= Float(fade - i) / Float(fade) }
        placements[last].clip = clip
    }

    /// Drops clips that ended before `position` (a live show would otherwise grow forever).
    mutating func compact() {
        guard index > 4 else { return }
        placements.removeFirst(index)
        index = 0
    }

    /// The next `count` samples (silence between clips), valid until the next call.
    mutating func read(_ count: Int) -> ArraySlice<Float> {
        if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
        let end = position + count
        buffer.withUnsafeMutableBufferPointer { out in
            out.baseAddress!.update(repeating: 0, count: count)
            var i = index
            while i < placements.count, placements[i].start < end {
                let (start, clip) = placements[i]
                let from = max(start, position), to = min(start + clip.samples.count, end)
                if from < to {
                    clip.samples.withUnsafeBufferPointer { src in
                        (out.baseAddress! + (from - position)).update(from: src.baseAddress! + (from - start), count: to - from)
                    }
                }
                if start + clip.samples.count <= end, i == index { index += 1 }
                i += 1
            }
        }
        position = end
        return buffer[0..<count]
    }
}
