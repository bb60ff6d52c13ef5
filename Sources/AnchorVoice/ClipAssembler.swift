import AnchorCore
import Foundation

/// Joins synthesized pieces and silences into one clip, mapping espeak-ng's events
/// (22.05 kHz samples, SSML character positions) to 48 kHz samples and utterance text.
struct ClipAssembler {
    let utterance: Utterance
    private let scalars: [Unicode.Scalar]
    private var samples: [Float] = []
    private var timeline: SpeechTimeline

    /// Edges of each piece are faded over this many samples (1 ms), so joins never click.
    static let fade = SpeechClip.sampleRate / 1000

    init(utterance: Utterance, voice: String) {
        self.utterance = utterance
        scalars = Array(utterance.text.unicodeScalars)
        timeline = SpeechTimeline(text: utterance.text, intent: utterance.intent, voice: voice)
    }

    mutating func append(_ raw: EspeakEngine.Output, text: SpeechText, inputRate: Int, resampler: Resampler) {
        let base = samples.count
        var count = resampler.resample(raw.samples, appendingTo: &samples)
        func at(_ sample: Int) -> Int { base + min(count, Int(Int64(sample) * Int64(SpeechClip.sampleRate) / Int64(inputRate))) }

        var words: [SpeechTimeline.Word] = []
        for w in raw.words {
            guard let r = text.sourceRange(position: w.position, length: w.length),
                  r.contains(where: { scalars[$0].properties.isAlphabetic || scalars[$0].properties.numericType != nil }) else { continue }
            // Words espeak-ng made from one source token ("$32.90" → "32 dollars 90") are one word.
            // A word starting inside the previous one (Chinese numbers: 260 → 二百 六十) continues it.
            if let last = words.last, r.lowerBound < last.range.end { continue }
            // espeak-ng splits "iPhone" into "i" + "Phone"; touching Latin pieces are one word.
            if let last = words.last, r.lowerBound == last.range.end, Self.isLatin(scalars[r.lowerBound]), Self.isLatin(scalars[r.lowerBound - 1]) {
                words[words.count - 1].range.length = r.upperBound - last.range.start
                words[words.count - 1].text = Self.text(scalars, words[words.count - 1].range)
                continue
            }
            let span = TextSpan(start: r.lowerBound, length: r.count)
            words.append(.init(text: Self.text(scalars, span), range: span, start: at(w.sample), end: 0))
        }
        if raw.cancelled, let spoken = words.popLast() {
            // The word in progress is not kept: stop at the boundary before it.
            count = spoken.start - base
            timeline.isComplete = false
            timeline.stoppedAt = spoken.range.start
        } else if raw.cancelled {
            count = 0
            timeline.isComplete = false
            timeline.stoppedAt = text.origin.compactMap { $0?.lowerBound }.first ?? 0
        }
        samples.removeLast(samples.count - base - count)
        Self.coverGaps(&words, scalars: scalars, limit: text.origin.compactMap { $0?.upperBound }.max() ?? 0)
        let end = base + count
        let pauses = raw.phonemes.filter { $0.symbol.hasPrefix("_") }.map { at($0.sample) }
        for k in words.indices {
            let next = k + 1 < words.count ? words[k + 1].start : end
            let silence = pauses.first { $0 > words[k].start && $0 < next } ?? next
            words[k].end = max(min(words[k].start + 1, end), silence)
        }
        let phonemes = raw.phonemes.filter { !$0.symbol.hasPrefix("(") }
        for (k, p) in phonemes.enumerated() where at(p.sample) < end {
            let stop = k + 1 < phonemes.count ? min(at(phonemes[k + 1].sample), end) : end
            if stop > at(p.sample) { timeline.phonemes.append(.init(symbol: p.symbol, start: at(p.sample), end: stop)) }
        }
        Self.fadeEdges(&samples, in: base..<end)
        timeline.words += words
    }

    mutating func appendSilence(milliseconds: Int, explicitAt offset: Int?) {
        guard milliseconds > 0, timeline.isComplete else { return }
        let start = samples.count
        let n = milliseconds * SpeechClip.sampleRate / 1000
        samples += repeatElement(0, count: n)
        if let offset { timeline.pauses.append(.init(offset: offset, milliseconds: milliseconds, start: start, end: start + n)) }
    }

    /// Marks where a cancellation between pieces left the text: the start of the next word.
    mutating func stop(at offset: Int) {
        var start = offset
        while start < scalars.count, scalars[start] == " " { start += 1 }
        timeline.isComplete = false
        timeline.stoppedAt = start
    }

    /// Normalizes the clip to the target loudness for its intent (measured with EBU R128; a clip
    /// too short to measure uses the voice's calibrated gain), then limits peaks.
    mutating func finish(measuredLUFS measured: Double, fallbackGain: Float) -> SpeechClip {
        let target = SpeechEngine.targetLUFS + Prosody.loudnessOffset(utterance.intent)
        let gain = measured.isFinite ? Float(pow(10, (target - measured) / 20)) : fallbackGain
        Self.applyGain(&samples, gain: gain, ceiling: SpeechEngine.peakCeiling)
        timeline.length = samples.count
        timeline.envelope = Self.envelope(samples)
        timeline.visemes = Self.visemes(timeline.phonemes, length: samples.count)
        for span in utterance.stress {
            let covered = timeline.words.filter { $0.range.start < span.end && span.start < $0.range.end }
            if let first = covered.first, let last = covered.last {
                timeline.stress.append(.init(range: span, start: first.start, end: last.end))
            }
        }
        for cue in utterance.cues {
            if let stopped = timeline.stoppedAt, cue.offset > stopped { continue }
            let time: Int
            if case .pause = cue.cue, let pause = timeline.pauses.first(where: { $0.offset == cue.offset }) {
                time = pause.start
            } else {
                time = timeline.words.first { $0.range.start >= cue.offset }?.start ?? samples.count
            }
            timeline.cues.append(.init(cue: cue.cue, offset: cue.offset, at: time))
        }
        return SpeechClip(samples: samples, timeline: timeline)
    }

    /// espeak-ng sometimes reports less than a whole token ("late-night" as "late"): a word
    /// takes in the letters up to the next word, so every word of the text is covered.
    static func coverGaps(_ words: inout [SpeechTimeline.Word], scalars: [Unicode.Scalar], limit: Int) {
        for k in words.indices {
            let stop = k + 1 < words.count ? words[k + 1].range.start : min(limit, scalars.count)
            var end = words[k].range.end
            var j = end
            while j < stop {
                let s = scalars[j]
                if s == " " || Language.isHan(s) { break }
                if s.properties.isAlphabetic || s.properties.numericType != nil { end = j + 1 }
                j += 1
            }
            if end > words[k].range.end {
                words[k].range.length = end - words[k].range.start
                words[k].text = text(scalars, words[k].range)
            }
        }
    }

    /// RMS every 10 ms.
    static func envelope(_ a: [Float]) -> [Float] {
        let step = SpeechTimeline.envelopeStep
        return stride(from: 0, to: a.count, by: step).map { start in
            let end = min(a.count, start + step)
            var sum: Float = 0
            for i in start..<end { sum += a[i] * a[i] }
            return (sum / Float(end - start)).squareRoot()
        }
    }

    static func isLatin(_ s: Unicode.Scalar) -> Bool {
        !Language.isHan(s) && (s.properties.isAlphabetic || s.properties.numericType != nil)
    }

    static func text(_ scalars: [Unicode.Scalar], _ span: TextSpan) -> String {
        String(String.UnicodeScalarView(scalars[max(0, span.start)..<min(scalars.count, span.end)]))
    }

    /// Contiguous viseme spans over the whole clip: rest where nothing is spoken.
    static func visemes(_ phonemes: [SpeechTimeline.Phoneme], length: Int) -> [SpeechTimeline.VisemeSpan] {
        var out: [SpeechTimeline.VisemeSpan] = []
        func add(_ v: Viseme, _ start: Int, _ end: Int) {
            guard end > start else { return }
            if let last = out.last, last.viseme == v, last.end >= start {
                out[out.count - 1].end = end
            } else if let last = out.last, last.end < start {
                if last.viseme == .rest { out[out.count - 1].end = start } else { out.append(.init(viseme: .rest, start: last.end, end: start)) }
                add(v, start, end)
            } else {
                out.append(.init(viseme: v, start: out.last?.end ?? start, end: end))
            }
        }
        add(.rest, 0, phonemes.first?.start ?? length)
        for p in phonemes { add(VisemeMap.viseme(forPhoneme: p.symbol) ?? .rest, max(p.start, out.last?.end ?? 0), p.end) }
        add(.rest, out.last?.end ?? 0, length)
        return out
    }

    static func fadeEdges(_ a: inout [Float], in range: Range<Int>) {
        let n = min(fade, range.count / 2)
        guard n > 0 else { return }
        for i in 0..<n {
            let g = Float(i) / Float(n)
            a[range.lowerBound + i] *= g
            a[range.upperBound - 1 - i] *= g
        }
    }

    /// Applies the loudness gain, then a smooth limiter so no sample exceeds the ceiling:
    /// gain reduction attacks over ~2 ms before a peak and releases over ~50 ms after it.
    /// Peaks are sparse, so the envelope is computed only around the 10 ms blocks that need it.
    static func applyGain(_ a: inout [Float], gain: Float, ceiling: Float) {
        guard !a.isEmpty, gain > 0 else { return }
        let block = SpeechClip.sampleRate / 100
        let attackLength = SpeechClip.sampleRate / 500, releaseLength = SpeechClip.sampleRate / 20
        let threshold = ceiling / gain
        var regions: [Range<Int>] = []
        var start = 0
        while start < a.count {
            let end = min(a.count, start + block)
            var peak: Float = 0
            for i in start..<end { peak = max(peak, abs(a[i])) }
            if peak > threshold {
                let region = max(0, start - attackLength)..<min(a.count, end + releaseLength)
                if let last = regions.last, last.upperBound >= region.lowerBound {
                    regions[regions.count - 1] = last.lowerBound..<region.upperBound
                } else {
                    regions.append(region)
                }
            }
            start = end
        }
        var next = 0
        for region in regions {
            for i in next..<region.lowerBound { a[i] *= gain }
            limitRegion(&a, region, gain: gain, ceiling: ceiling, attack: 1 / Float(attackLength), release: 1 / Float(releaseLength))
            next = region.upperBound
        }
        for i in next..<a.count { a[i] *= gain }
    }

    /// The smoothed gain-reduction envelope over one region; it is 1 at both edges.
    private static func limitRegion(_ a: inout [Float], _ r: Range<Int>, gain: Float, ceiling: Float, attack: Float, release: Float) {
        var envelope = [Float](repeating: 1, count: r.count)
        for k in envelope.indices {
            let level = abs(a[r.lowerBound + k] * gain)
            if level > ceiling { envelope[k] = ceiling / level }
        }
        for k in envelope.indices.dropFirst() { envelope[k] = min(envelope[k], envelope[k - 1] + release) }
        for k in envelope.indices.dropLast().reversed() { envelope[k] = min(envelope[k], envelope[k + 1] + attack) }
        for k in envelope.indices { a[r.lowerBound + k] *= gain * envelope[k] }
    }
}
