import AnchorCore
import Foundation

/// Turns a performance into the scene at any instant. Pure: the same performance, rig and
/// time always give the same state (blinks come from the performance's seed).
public struct SceneSampler: Sendable {
    public let performance: Performance
    public let rig: Rig

    struct Scheduled: Sendable {
        var name: String
        var gesture: Rig.Gesture
        var start: Int
        var end: Int
    }

    let gestures: [Scheduled]
    /// Gesture starts, for binary search; no gesture lasts longer than `longestGesture`.
    let gestureStarts: [Int]
    let longestGesture: Int
    let blinks: [Int]
    let countdowns: [(start: Int, seconds: Int)]
    let countdownStarts: [Int]
    let nods: [Int]
    /// Card-mode changes and link times, in order.
    let shows: [(at: Int, mode: CardMode)]
    let showTimes: [Int]
    let links: [Int]
    let segmentStarts: [Int]
    let draws: [(start: Int, end: Int, keyword: String)]
    let drawStarts: [Int]
    /// `@play` cues with their start and end (samples), in order; a later one replaces an earlier.
    let plays: [(start: Int, end: Int, cue: PlayCue)]
    let playStarts: [Int]
    let warmups: [(at: Int, startsAt: String, left: Int)]
    let warmupTimes: [Int]

    static let rate = Double(MediaTime.sampleRate)
    static func samples(_ seconds: Double) -> Int { Int(seconds * rate) }

    public init(performance: Performance, rig: Rig) {
        self.performance = performance
        self.rig = rig
        var random = SeededRandom(seed: performance.seed, text: "blink")
        var blinks: [Int] = []
        var t = Self.samples(1.2 + random.unit() * 2)
        while t < performance.length + Self.samples(6) {
            blinks.append(t)
            t += Self.samples(2 + random.unit() * 4)
        }
        self.blinks = blinks
        countdowns = performance.events.compactMap { if case .countdown(let n) = $0.cue { return ($0.at, n) } else { return nil } }
        countdownStarts = countdowns.map(\.start)
        nods = performance.lines.flatMap { line in line.timeline.stress.map { line.start + $0.start } }.sorted()
        gestures = Self.schedule(performance, rig)
        gestureStarts = gestures.map(\.start)
        longestGesture = gestures.map { $0.end - $0.start }.max() ?? 0
        shows = performance.events.compactMap { if case .show(let m) = $0.cue { return ($0.at, m) } else { return nil } }
        showTimes = shows.map(\.at)
        links = performance.events.compactMap { if case .link = $0.cue { return $0.at } else { return nil } }
        segmentStarts = performance.segments.map(\.start)
        draws = performance.events.compactMap { e in
            if case .draw(let keyword, let seconds) = e.cue { return (e.at, e.at + seconds * Int(MediaTime.sampleRate), keyword) } else { return nil }
        }
        drawStarts = draws.map(\.start)
        plays = performance.events.compactMap { e in
            guard case .play(let cue) = e.cue, let ms = cue.length else { return nil }
            return (e.at, e.at + ms * Int(MediaTime.sampleRate) / 1000, cue)
        }
        playStarts = plays.map(\.start)
        warmups = performance.events.compactMap { e in
            if case .warmup(let startsAt, let left) = e.cue { return (e.at, startsAt, left) } else { return nil }
        }
        warmupTimes = warmups.map(\.at)
    }

    /// The warm-up countdown at `t`: the whole seconds left until the show starts (rounded up).
    func warmup(at t: Int) -> SceneState.Warmup? {
        guard let i = Self.lastIndex(warmupTimes, atOrBefore: t) else { return nil }
        let w = warmups[i]
        let left = w.left - (t - w.at) * 1000 / Int(MediaTime.sampleRate)
        guard left > 0 else { return nil }
        return .init(startsAt: w.startsAt, secondsLeft: (left + 999) / 1000)
    }

    /// In gallery mode, the product's picture or clip showing at `t`: each in turn (a picture a
    /// few seconds, a clip its length up to 15 s), from when the gallery was put up.
    func galleryItem(card: ProductCard?, mode: CardMode, at t: Int) -> SceneState.ClipShot? {
        guard mode == .gallery, let card, !card.gallery.isEmpty, let i = Self.lastIndex(showTimes, atOrBefore: t) else { return nil }
        let durations = card.galleryDurations
        var ms = (t - shows[i].at) * 1000 / Int(MediaTime.sampleRate) % durations.reduce(0, +)
        var k = 0
        while ms >= durations[k] { ms -= durations[k]; k += 1 }
        return .init(file: card.gallery[k], placement: .card, milliseconds: ms)
    }

    /// The clip or picture showing at `t`, and how far into its file.
    func clip(at t: Int) -> SceneState.ClipShot? {
        guard let i = Self.lastIndex(playStarts, atOrBefore: t), t < plays[i].end else { return nil }
        let p = plays[i]
        return .init(file: p.cue.file, placement: p.cue.placement, milliseconds: p.cue.from + (t - p.start) * 1000 / Int(MediaTime.sampleRate))
    }

    /// The lucky draw taking entries at `t`: its keyword, the seconds left and who entered so far.
    func drawPanel(at t: Int) -> SceneState.DrawPanel? {
        guard let i = Self.lastIndex(drawStarts, atOrBefore: t), t < draws[i].end else { return nil }
        let d = draws[i]
        let entries = performance.drawEntries
        let before = Self.lastIndex(entries, atOrBefore: d.start - 1).map { $0 + 1 } ?? 0
        let upTo = Self.lastIndex(entries, atOrBefore: t).map { $0 + 1 } ?? 0
        let rate = Int(MediaTime.sampleRate)
        let left = (d.end - t + rate - 1) / rate
        return .init(keyword: d.keyword, secondsLeft: left, entrants: max(0, upTo - before))
    }

    /// The index of the last element ≤ t in a sorted array (binary search), if any.
    static func lastIndex(_ sorted: [Int], atOrBefore t: Int) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }

    /// Explicit `{gesture}` cues first (apex at the cue), then one gesture per line from its
    /// intent, with its apex on the first stressed word (or just after the line starts).
    static func schedule(_ p: Performance, _ rig: Rig) -> [Scheduled] {
        var out: [Scheduled] = []
        func place(_ name: String, apexAt apex: Int) {
            guard let (resolved, g) = rig.gesture(named: name) else { return }
            let start = apex - samples(g.duration * g.apex), end = start + samples(g.duration)
            let slots = Set((g.poses ?? [:]).keys)
            let clash = out.contains { other in
                other.start < end && start < other.end && !slots.isDisjoint(with: Set((other.gesture.poses ?? [:]).keys))
            }
            if !clash { out.append(Scheduled(name: resolved, gesture: g, start: max(0, start), end: end)) }
        }
        for e in p.events { if case .gesture(let name) = e.cue { place(name, apexAt: e.at) } }
        for line in p.lines {
            guard let name = rig.intentGestures?[line.timeline.intent.rawValue] else { continue }
            if let stress = line.timeline.stress.first {
                place(name, apexAt: line.start + stress.start)
            } else if let word = line.timeline.words.first {
                place(name, apexAt: line.start + word.start + samples(0.35))
            }
        }
        return out.sorted { $0.start < $1.start }
    }

    public func state(at t: Int) -> SceneState {
        let seconds = Double(t) / Self.rate
        let line = lineIndex(at: t).map { performance.lines[$0] }
        let local = line.map { t - $0.start } ?? 0

        // Mouth: blend from the previous viseme into the current one.
        var mouth: [(Viseme, Double)] = [(.rest, 1)]
        var jaw = 0.0
        if let line {
            let visemes = line.timeline.visemes
            if let k = visemes.lastIndex(where: { $0.start <= local && local < $0.end }) {
                let current = visemes[k]
                let previous = k > 0 ? visemes[k - 1].viseme : .rest
                let blend = Double(Self.samples(current.viseme == .MBP ? 0.035 : 0.07))
                let a = Self.smoothstep(Double(local - current.start) / blend)
                mouth = a >= 1 || previous == current.viseme ? [(current.viseme, 1)] : [(previous, 1 - a), (current.viseme, a)]
            }
            jaw = Double(line.timeline.jawOpening(at: local))
        }

        // Expression: the line's intent, held for a second after it ends.
        let recent = line ?? lineIndex(at: t - Self.samples(1)).map { performance.lines[$0] }
        let intent = recent?.timeline.intent
        let expression = intent.flatMap { rig.expressions[$0.rawValue] }
        var eyes = expression?.eyes ?? "open"
        if let i = Self.lastIndex(blinks, atOrBefore: t) {
            let b = blinks[i]
            let d = Double(t - b) / Self.rate
            if d < 0.04 || (d >= 0.10 && d < 0.14) { eyes = "half" } else if d < 0.10 { eyes = "closed" }
        }

        // Idle motion: breathing, sway, nods on stressed words.
        let bodyY = 3 * sin(2 * .pi * seconds / 4.2)
        var headY = bodyY * 0.6
        var k = Self.lastIndex(nods, atOrBefore: t + Self.samples(0.1)) ?? -1
        while k >= 0, nods[k] + Self.samples(0.5) > t {
            headY += 7 * Self.bump(Double(t - nods[k]) / Self.rate + 0.1, rise: 0.2, fall: 0.4)
            k -= 1
        }
        let headX = 4 * sin(2 * .pi * seconds / 7.3 + 1.3)

        // Arms: gestures and the countdown.
        var arms: [String: SceneState.ArmState] = [:]
        let lastStarted = Self.lastIndex(gestureStarts, atOrBefore: t) ?? -1
        let firstCandidate = (Self.lastIndex(gestureStarts, atOrBefore: t - longestGesture - 1) ?? -1) + 1
        for g in gestures[min(firstCandidate, lastStarted + 1)..<(lastStarted + 1)] where t < g.end {
            let p = Double(t - g.start) / Double(g.end - g.start)
            let weight = p < g.gesture.apex ? Self.smoothstep(p / max(0.01, g.gesture.apex)) : (p < 0.75 ? 1 : Self.smoothstep((1 - p) / 0.25))
            for (slot, pose) in g.gesture.poses ?? [:] {
                arms[slot] = .init(pose: pose, weight: weight, swing: Self.keyframe(g.gesture.swing?[slot], p))
            }
            if let head = g.gesture.head { headY += Self.keyframe(head, p) }
        }
        let running = Self.lastIndex(countdownStarts, atOrBefore: t).map { countdowns[$0] }.flatMap { c in
            t < c.start + Self.samples(Double(c.seconds)) ? c : nil
        }
        if let spec = rig.countdown, let c = running {
            let left = c.seconds - Int(Double(t - c.start) / Self.rate)
            let pose = spec.poses[max(0, min(spec.poses.count - 1, left - 1))]
            arms[spec.slot] = .init(pose: pose, weight: min(1, Double(t - c.start) / Double(Self.samples(0.15))), swing: 0)
        }

        // Overlays.
        let segment = Self.lastIndex(segmentStarts, atOrBefore: t).map { performance.segments[$0] }
        let card = segment?.productSKU.flatMap { performance.cards[$0] }
        let mode = Self.lastIndex(showTimes, atOrBefore: t).map { shows[$0].mode } ?? CardMode.none
        var banner = 0.0
        if let i = Self.lastIndex(links, atOrBefore: t) {
            let d = Double(t - links[i]) / Self.rate
            banner = d < 4 ? min(1, d / 0.25, (4 - d) / 0.5) : 0
        }
        let countdown = running.map { c in c.seconds - Int(Double(t - c.start) / Self.rate) }
        let flash = intent == .price && line != nil ? 0.5 + 0.5 * sin(2 * .pi * Double(local) / Self.rate / 0.8) : 0
        let shown = line ?? lineIndex(at: t - Self.samples(0.6)).map { performance.lines[$0] }
        let subtitle = shown.map { l in
            SceneState.Subtitle(text: l.timeline.text, highlight: line == nil ? nil : l.timeline.word(at: t - l.start)?.range)
        }
        var state = SceneState(
            mouth: mouth, jaw: jaw, eyes: eyes, browOffset: expression?.brows ?? 0, bodyY: bodyY, headX: headX, headY: headY,
            arms: arms, intent: intent, card: card, cardMode: card == nil ? .none : mode, priceFlash: flash, countdown: countdown,
            linkBanner: banner, subtitle: subtitle, bubble: line?.bubble, language: performance.language)
        if let line, line.bubble != nil { state.bubbleIn = min(1, Double(t - line.start) / Self.rate / 0.25) }
        state.draw = drawPanel(at: t)
        state.clip = clip(at: t) ?? galleryItem(card: card, mode: state.cardMode, at: t)
        // Over a full-screen clip, the last line's words do not linger (talked over, they show).
        if state.clip?.placement == .full, line == nil { state.subtitle = nil }
        state.warmup = warmup(at: t)
        return state
    }

    /// The line being spoken at `t` (binary search; lines are in order and do not overlap).
    func lineIndex(at t: Int) -> Int? {
        let lines = performance.lines
        var lo = 0, hi = lines.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lines[mid].start <= t { lo = mid + 1 } else { hi = mid }
        }
        let k = lo - 1
        return k >= 0 && t < lines[k].end ? k : nil
    }

    static func smoothstep(_ x: Double) -> Double {
        let c = min(1, max(0, x))
        return c * c * (3 - 2 * c)
    }

    /// 0 → 1 over `rise` seconds, back to 0 over `fall`.
    static func bump(_ d: Double, rise: Double, fall: Double) -> Double {
        if d < 0 { return 0 }
        if d < rise { return smoothstep(d / rise) }
        return smoothstep(1 - (d - rise) / fall)
    }

    /// Linear interpolation of evenly spaced keyframes at phase `p` (0…1).
    static func keyframe(_ values: [Double]?, _ p: Double) -> Double {
        guard let v = values, v.count > 1 else { return values?.first ?? 0 }
        let x = min(1, max(0, p)) * Double(v.count - 1)
        let i = min(v.count - 2, Int(x))
        return v[i] + (v[i + 1] - v[i]) * (x - Double(i))
    }
}
