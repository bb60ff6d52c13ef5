import AnchorVoice

/// The show's audio as placed clips, read out in order as PCM: the master clock. Clips of a
/// looping show are shared, so an hour of a short loop costs the memory of one pass.
struct SpeechTrack {
    private var placements: [(start: Int, clip: SpeechClip)] = []
    private var index = 0
    /// Samples read so far.
    private(set) var position = 0
    private var buffer: [Float] = []

    /// Places a clip at `start`; clips come in time order and do not overlap.
    mutating func place(_ clip: SpeechClip, at start: Int) { placements.append((start, clip)) }

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
