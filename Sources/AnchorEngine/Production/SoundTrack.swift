import AnchorVoice

/// Sounds placed on the show's clock, read out in order as PCM (silence between them). The
/// voice is one such track, clips' sounds another. Placed sounds are shared arrays, so an hour
/// of a short loop costs the memory of one pass.
struct SoundTrack {
    private var placements: [(start: Int, samples: [Float])] = []
    private var index = 0
    /// Samples read so far.
    private(set) var position = 0
    private var buffer: [Float] = []
    /// A sound cut short fades out over this many samples (5 ms), so a barge-in does not click.
    static let fadeOut = SpeechClip.sampleRate / 200

    /// Places a sound at `start`; sounds come in time order and do not overlap.
    mutating func place(_ samples: [Float], at start: Int) { placements.append((start, samples)) }

    mutating func place(_ clip: SpeechClip, at start: Int) { place(clip.samples, at: start) }

    /// Forgets everything placed from `sample` on (not yet read), and cuts short a sound that
    /// would still be playing there. `sample` must not be before `position`.
    mutating func cut(at sample: Int) {
        precondition(sample >= position, "cannot cut audio already read")
        dropPlacements(from: sample)
        guard let last = placements.indices.last, placements[last].start + placements[last].samples.count > sample else { return }
        var samples = placements[last].samples
        let keep = sample - placements[last].start
        samples.removeLast(samples.count - keep)
        let fade = min(Self.fadeOut, keep)
        for i in 0..<fade { samples[keep - fade + i] *= Float(fade - i) / Float(fade) }
        placements[last].samples = samples
    }

    /// Forgets the sounds placed to start at or after `sample` (a sound already playing goes on).
    mutating func dropPlacements(from sample: Int) {
        while let last = placements.last, last.start >= sample, placements.count > index { placements.removeLast() }
    }

    /// Drops sounds that ended before `position` (a live show would otherwise grow forever).
    mutating func compact() {
        guard index > 4 else { return }
        placements.removeFirst(index)
        index = 0
    }

    /// The next `count` samples, valid until the next call.
    mutating func read(_ count: Int) -> ArraySlice<Float> {
        if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
        let end = position + count
        buffer.withUnsafeMutableBufferPointer { out in
            out.baseAddress!.update(repeating: 0, count: count)
            var i = index
            while i < placements.count, placements[i].start < end {
                let (start, samples) = placements[i]
                let from = max(start, position), to = min(start + samples.count, end)
                if from < to {
                    samples.withUnsafeBufferPointer { src in
                        (out.baseAddress! + (from - position)).update(from: src.baseAddress! + (from - start), count: to - from)
                    }
                }
                if start + samples.count <= end, i == index { index += 1 }
                i += 1
            }
        }
        position = end
        return buffer[0..<count]
    }
}
