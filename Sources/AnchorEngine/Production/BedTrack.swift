/// The music beds of a show on its clock: the header's from the start, `@music` changes at
/// their cues. A change cross-fades over half a second (equal gain); the show's first bed
/// starts at full level. Each bed loops from its own start.
struct BedTrack {
    private struct Playing {
        var bed: MusicBed
        /// The sample it started at (its loop counts from there).
        var since: Int
        /// It rises over `fade` from `since` (not when it starts the show).
        var rises: Bool
    }

    private var current: Playing?
    /// The bed fading out, and the sample its fade ends.
    private var fading: (playing: Playing, until: Int)?
    /// Changes not reached yet, in order.
    private var changes: [(at: Int, bed: MusicBed?)] = []
    private var scratch: [Float] = []
    static let fade = 48_000 / 2

    var isSilent: Bool { current == nil && fading == nil && changes.isEmpty }

    /// The bed from `sample` on (nil: none). A change to what is already scheduled is ignored.
    mutating func set(_ bed: MusicBed?, at sample: Int) {
        changes.removeAll { $0.at >= sample }
        let scheduled = changes.last.map { $0.bed?.file } ?? current?.bed.file
        guard scheduled != bed?.file else { return }
        changes.append((sample, bed))
    }

    /// Changes planned from `sample` on happen at `sample` instead (what was planned after it is
    /// being planned again; a new show's bed must not be lost).
    mutating func cut(at sample: Int) {
        for i in changes.indices where changes[i].at > sample { changes[i].at = sample }
    }

    /// Writes the beds for the show's samples `start..<start + out.count` into `out`.
    mutating func read(at start: Int, into out: UnsafeMutableBufferPointer<Float>) {
        var i = 0
        while i < out.count {
            let t = start + i
            while let c = changes.first, c.at <= t {
                changes.removeFirst()
                // The show's very first bed starts at full level; any later change cross-fades.
                let startsShow = current == nil && fading == nil && c.at == 0
                fading = current.map { ($0, c.at + Self.fade) }
                current = c.bed.map { Playing(bed: $0, since: c.at, rises: !startsShow) }
            }
            let end = min(out.count, (changes.first?.at).map { $0 - start } ?? out.count)
            let part = UnsafeMutableBufferPointer(rebasing: out[i..<end])
            if let c = current { c.bed.read(at: t - c.since, into: part) } else { part.update(repeating: 0) }
            fadeIn(part, at: t)
            if let f = fading, f.until > t { mixFadingOut(f, into: part, at: t) } else { fading = nil }
            i = end
        }
    }

    /// The current bed rises over its first half second (unless it started the show).
    private func fadeIn(_ part: UnsafeMutableBufferPointer<Float>, at t: Int) {
        guard let c = current, c.rises, t - c.since < Self.fade else { return }
        for k in 0..<min(part.count, Self.fade - (t - c.since)) { part[k] *= Float(t + k - c.since) / Float(Self.fade) }
    }

    private mutating func mixFadingOut(_ f: (playing: Playing, until: Int), into part: UnsafeMutableBufferPointer<Float>, at t: Int) {
        let n = min(part.count, f.until - t)
        if scratch.count < n { scratch = [Float](repeating: 0, count: n) }
        scratch.withUnsafeMutableBufferPointer { s in
            let old = UnsafeMutableBufferPointer(rebasing: s[0..<n])
            f.playing.bed.read(at: t - f.playing.since, into: old)
            for k in 0..<n { part[k] += old[k] * Float(f.until - t - k) / Float(Self.fade) }
        }
    }
}
