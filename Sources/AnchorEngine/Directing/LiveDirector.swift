import AnchorAvatar
import AnchorChat
import AnchorCore
import AnchorVoice

/// Where a show is: what the daemon saves, and where it resumes after a restart.
public struct ShowPosition: Sendable, Codable, Hashable {
    /// How many times a looping show has wrapped.
    public var pass: Int
    public var segment: Int
    /// The event within the segment (a line or a cue).
    public var event: Int
    public init(pass: Int = 0, segment: Int = 0, event: Int = 0) { self.pass = pass; self.segment = segment; self.event = event }
    public static let start = ShowPosition()
}

/// A show to play and where to begin it.
public struct Program: Sendable {
    /// Names the show in markers and saved positions (its path for files).
    public var id: String
    public var rundown: Rundown
    public var catalog: Catalog?
    public var position: ShowPosition
    public init(id: String, rundown: Rundown, catalog: Catalog?, position: ShowPosition = .start) {
        self.id = id; self.rundown = rundown; self.catalog = catalog; self.position = position
    }
}

/// The live Director. It plans the show a little ahead of the clock, one line at a time, and
/// keeps only a short window of the past, so a show can run for days. Viewers' answers wait in
/// a priority queue; when one is due, the line being spoken stops at the next word boundary,
/// the answer is spoken, and the line resumes from the word where it stopped. At each segment
/// start it asks `willEnterSegment` whether another show (or a reloaded one) takes over.
public final class LiveDirector {
    /// Something that began playing at a sample: for chapters, the replay index and saved positions.
    public struct Marker: Sendable {
        public enum Kind: Sendable {
            case segment(title: String, productSKU: String?)
            case line(Utterance)
            /// A viewer's answer, with when its (first) question arrived (seconds of stream time).
            case answer(Decision, arrivedAt: Double)
            /// A lucky draw's winner (or nobody) being announced.
            case draw(DrawOutcome)
            /// A link pinned or a countdown begun (for the analytics).
            case cue(Cue)
        }
        public var at: Int
        public var program: String
        public var position: ShowPosition
        public var kind: Kind
    }

    /// Called before a segment starts (and with `ended` when a show that does not loop ran out):
    /// return a program to switch to, or nil to go on.
    public var willEnterSegment: ((_ program: String, _ position: ShowPosition, _ ended: Bool) -> Program?)?
    public private(set) var program: Program
    /// The answer queue, by arrival; floods on one topic merge while they wait.
    public private(set) var answers = AnswerQueue()
    public var paused = false
    /// Where lucky draws take their entries (the channel's chat); without one, nobody can enter.
    public var drawHost: (any DrawHost)?
    /// Picks a draw's winner with a seed from the show's seed and the draw's time, so a preview
    /// names the same winner every time; on air (false) the seed is fresh.
    public var seedsDrawsFromShow = false
    /// Keeps what was played, for `performance` (a preview's contact sheet, a still). Off on
    /// air, where a show runs for days and only a short window is kept.
    public var keepsHistory = false
    /// Silence before the first line and between lines.
    public static let leadIn = SpeechClip.sampleRate / 2
    public static let gap = SpeechClip.sampleRate * 35 / 100
    /// How far ahead of the audio the show is planned, and how much past is kept for the picture.
    public static let horizon = SpeechClip.sampleRate * 2
    static let keptPast = SpeechClip.sampleRate * 8
    static let answerLead = SpeechClip.sampleRate / 5
    /// A word that would keep an answer waiting longer than this is cut at a quiet moment inside it.
    static let patience = SpeechClip.sampleRate * 2 / 5

    private let engine: SpeechEngine
    var audio = ShowAudio()
    /// Clip sounds and music beds, decoded and levelled once.
    let sounds = SoundLibrary()
    private var lines: [Performance.Line] = []
    private var events: [Performance.Event] = []
    private var segments: [Performance.Segment] = []
    private var cards: [String: ProductCard] = [:]
    private var markers: [Marker] = []
    /// What `prune` forgot, when `keepsHistory`.
    private var history = History()
    private var items: [Item] = []
    /// Where the next thing will be placed.
    private(set) var head = LiveDirector.leadIn
    private var cursor: Cursor
    private var clips: [Utterance: SpeechClip] = [:]
    private var lastWrapHead = -1
    private var exhausted = false
    private var cachedSampler: SceneSampler?
    private let rig: Rig
    /// The lucky draw planned or running: entries are taken while the audio is inside it.
    private var openDraw: OpenDraw?
    /// When entries came (samples), for the count on screen.
    private var drawEntries: [Int] = []

    struct History {
        var lines: [Performance.Line] = []
        var events: [Performance.Event] = []
        var segments: [Performance.Segment] = []
        var drawEntries: [Int] = []
    }

    struct OpenDraw {
        var keyword: String
        var seconds: Int
        var start: Int
        var end: Int
        var productSKU: String?
        var position: ShowPosition
        var opened = false
        var counted = 0
    }

    struct Cursor {
        var position: ShowPosition
        /// The rest of a line stopped by a barge-in, spoken instead of the line's event.
        var remainder: Utterance?
        /// The segment's start has not been marked yet.
        var entering: Bool
    }

    struct Item {
        /// `clip`: the show holds for a clip playing (`@play … wait`), which may stop anywhere.
        enum Kind { case line(Utterance, SpeechClip), answer(Utterance, SpeechClip), hold, clip, instant }
        var start: Int
        var end: Int
        var cursor: Cursor
        var kind: Kind

        var spoken: (Utterance, SpeechClip)? {
            switch kind {
            case .line(let u, let c), .answer(let u, let c): (u, c)
            case .hold, .clip, .instant: nil
            }
        }
    }

    public init(program: Program, rig: Rig, engine: SpeechEngine = .shared) {
        self.program = program
        self.rig = rig
        self.engine = engine
        cursor = Cursor(position: program.position, remainder: nil, entering: true)
        cards = ProductCards.make(for: program.rundown, catalog: program.catalog)
        audio.beds.set(program.rundown.music.flatMap(sounds.bed), at: 0)
    }

    /// The samples read so far (the audio clock).
    public var audioPosition: Int { audio.position }

    /// True when the show ran out, nothing else takes over and everything planned was played.
    public var isFinished: Bool { exhausted && answers.isEmpty && openDraw == nil && audio.position >= head }

    /// The scene sampler for the planned window (rebuilt only after the plan changed).
    public var sampler: SceneSampler {
        if let cachedSampler { return cachedSampler }
        var p = Performance(lines: lines, events: events.sorted { $0.at < $1.at }, segments: segments, cards: cards,
                            length: head, seed: program.rundown.seed, language: program.rundown.language)
        p.drawEntries = drawEntries
        let s = SceneSampler(performance: p, rig: rig)
        cachedSampler = s
        return s
    }

    /// Everything played so far and planned ahead (`keepsHistory` keeps what played), up to the
    /// audio clock: what a contact sheet or a still draws from.
    public var performance: Performance {
        var p = Performance(lines: history.lines + lines, events: (history.events + events).sorted { $0.at < $1.at },
                            segments: history.segments + segments, cards: cards, length: audio.position,
                            seed: program.rundown.seed, language: program.rundown.language)
        p.drawEntries = history.drawEntries + drawEntries
        return p
    }

    /// The product on screen at a sample: the line's, else the segment's.
    public func productOnScreen(at t: Int) -> String? {
        if let line = lines.last(where: { $0.start <= t && t < $0.end }), let sku = line.productSKU { return sku }
        return segments.last { $0.start <= t }?.productSKU
    }

    /// Clips and music that could not be decoded (each once): the show goes on without them.
    public var soundProblems: [String] { sounds.problems }

    /// Reads the next `count` samples of the show's audio.
    public func read(_ count: Int) -> ArraySlice<Float> { audio.read(count) }

    /// Markers that began by sample `t`, oldest first (each is returned once).
    public func passed(upTo t: Int) -> [Marker] {
        let n = markers.prefix { $0.at <= t }.count
        defer { markers.removeFirst(n) }
        return Array(markers.prefix(n))
    }

    /// Plans until the show is known `horizon` past the audio clock; answers waiting go first,
    /// cutting into the line being spoken.
    public func plan() async throws {
        if !answers.isEmpty { interrupt() }
        try await followDraw()
        let target = audio.position + Self.horizon
        while head < target {
            // A draw's winner is picked when the audio reaches its end: nothing is planned past it before.
            if let d = openDraw, head >= d.end { break }
            if !answers.isEmpty {
                try await placeAnswer()
            } else if paused || exhausted {
                head = max(head, audio.position)
                break
            } else {
                try await step()
            }
        }
        prune()
    }

    /// Queues a viewer's answer (its question came at `arrivedAt` seconds of stream time); it
    /// is spoken at the next word boundary.
    public func offer(_ d: Decision, arrivedAt: Double) {
        answers.add(d, arrivedAt: arrivedAt)
    }

    /// Pins the product link now (the banner, as `@link` shows it).
    public func pinLink() {
        let at = audio.position
        events.append(.init(at: at, cue: .link(sku: nil)))
        let m = Marker(at: at, program: program.id, position: cursor.position, kind: .cue(.link(sku: nil)))
        markers.insert(m, at: markers.firstIndex { $0.at > at } ?? markers.endIndex)
        cachedSampler = nil
    }

    /// Says an operator's line at the next word boundary, before viewers' answers waiting.
    public func say(_ text: String, language: Language) {
        let d = Decision(reply: text, intent: .answer, source: .console, detail: "typed at the console", productSKU: nil,
                         language: language == .zh ? "zh" : "en", user: "console", question: "", seconds: 0, topic: "console")
        answers.add(d, arrivedAt: Double(audio.position) / Double(SpeechClip.sampleRate))
    }

    /// Stops the current segment at the next word boundary (a clip playing stops now) and goes
    /// on with the next one.
    public func skipSegment() {
        interrupt(cuttingClips: true)
        cursor = Cursor(position: ShowPosition(pass: cursor.position.pass, segment: cursor.position.segment + 1, event: 0), remainder: nil, entering: true)
    }

    /// Holds the show at the next word boundary or now, in a clip (answers are still spoken);
    /// `paused = false` resumes it after the clip.
    public func pause() {
        paused = true
        interrupt(cuttingClips: true)
    }

    /// Ends the show at the next word boundary (an answer too): nothing more is planned.
    /// Returns the sample where the sound stops.
    public func stop() -> Int {
        answers = AnswerQueue()
        interrupt(everything: true, cuttingClips: true)
        exhausted = true
        return max(audio.position, items.last?.end ?? 0)
    }

    /// Switches to another show at the next word boundary (a reload or a schedule change).
    public func switchTo(_ next: Program) {
        interrupt()
        install(next)
    }

    // MARK: Planning

    private func install(_ next: Program) {
        program = next
        clips = [:]
        clipBytes = 0
        exhausted = false
        lastWrapHead = -1
        cursor = Cursor(position: next.position, remainder: nil, entering: true)
        cards.merge(ProductCards.make(for: next.rundown, catalog: next.catalog)) { _, new in new }
        audio.beds.set(next.rundown.music.flatMap(sounds.bed), at: head)
        cachedSampler = nil
    }

    /// Plans one event of the rundown (or moves the cursor to the next segment or pass).
    private func step() async throws {
        let rundown = program.rundown
        var p = cursor.position
        if p.segment >= rundown.segments.count {
            if rundown.loop, head > lastWrapHead || lastWrapHead < 0 {
                lastWrapHead = head
                cursor = Cursor(position: ShowPosition(pass: p.pass + 1), remainder: nil, entering: true)
                if let next = willEnterSegment?(program.id, cursor.position, false) { install(next) }
            } else if let next = willEnterSegment?(program.id, p, true) {
                install(next)
            } else if rundown.loop {
                head += SpeechClip.sampleRate // an empty looping show: hold the picture, silently
            } else {
                exhausted = true
            }
            return
        }
        let wasEntering = cursor.entering
        if cursor.entering {
            if p.event == 0, let next = willEnterSegment?(program.id, p, false), next.id != program.id || next.rundown != rundown {
                install(next)
                return
            }
            cursor.entering = false
            let segment = rundown.segments[p.segment]
            segments.append(.init(start: head, title: segment.title, productSKU: segment.productSKU))
            markers.append(Marker(at: head, program: program.id, position: p, kind: .segment(title: segment.title, productSKU: segment.productSKU)))
            // Resuming inside a segment: the card mode its earlier cues set still holds.
            for case .cue(let cue, _) in segment.events.prefix(p.event) {
                if case .show = cue { events.append(.init(at: head, cue: cue)) }
                // And the music its earlier cues chose.
                if case .music(let file) = cue { audio.beds.set(file.flatMap(sounds.bed), at: head) }
            }
            cachedSampler = nil
        }
        let segment = rundown.segments[p.segment]
        guard p.event < segment.events.count else {
            cursor = Cursor(position: ShowPosition(pass: p.pass, segment: p.segment + 1), remainder: nil, entering: true)
            return
        }
        var before = cursor
        before.entering = wasEntering
        let start = head
        switch segment.events[p.event] {
        case .cue(.draw(let keyword, let seconds), _):
            try await planDraw(keyword: keyword, seconds: seconds, productSKU: segment.productSKU, before: before)
            return
        case .cue(let cue, _):
            events.append(.init(at: head, cue: cue))
            switch cue {
            case .link, .countdown: markers.append(Marker(at: head, program: program.id, position: p, kind: .cue(cue)))
            default: break
            }
            switch cue {
            case .pause(let ms): head += ms * SpeechClip.sampleRate / 1000
            case .countdown(let n): head += n * SpeechClip.sampleRate
            case .play(let play):
                if let sound = sounds.sound(for: play) { audio.placeClip(sound, at: head) }
                if play.waits { head += Self.samples(of: play) }
            case .music(let file): audio.beds.set(file.flatMap(sounds.bed), at: head)
            default: break
            }
            let held: Item.Kind = if case .play = cue { .clip } else { .hold }
            items.append(Item(start: start, end: head, cursor: before, kind: head > start ? held : .instant))
        case .say(let line):
            let u = cursor.remainder ?? line
            // The rest of a cut line is said once: only whole lines are kept for the next pass.
            let clip = cursor.remainder == nil ? try await clip(for: u) : try await engine.speak(u, voice: program.rundown.voice)
            place(clip, productSKU: u.productSKU ?? segment.productSKU, bubble: nil)
            markers.append(Marker(at: start, program: program.id, position: p, kind: .line(u)))
            items.append(Item(start: start, end: start + clip.samples.count, cursor: before, kind: .line(u, clip)))
            head += clip.samples.count + Self.gap
        }
        p.event += 1
        cursor = Cursor(position: p, remainder: nil, entering: false)
        cachedSampler = nil
    }

    /// A line's clip, from the cache when an earlier pass already said it. The cache is bounded
    /// by size (a looping show of a thousand products must not keep all its audio) and, once
    /// full, keeps what it has: a show is said in order, pass after pass, so evicting anything
    /// would only make room for a line that is not needed again until everything else was.
    /// Speaking a line again costs a few milliseconds.
    private func clip(for u: Utterance) async throws -> SpeechClip {
        if let c = clips[u] { return c }
        let c = try await engine.speak(u, voice: program.rundown.voice)
        let size = c.samples.count * MemoryLayout<Float>.size
        if clipBytes + size <= Self.clipBudget {
            clips[u] = c
            clipBytes += size
        }
        return c
    }

    /// Removes what `isPast` says from a window, into the history when it is kept.
    private func forget<T>(_ window: inout [T], history path: WritableKeyPath<History, [T]>, where isPast: (T) -> Bool) {
        if keepsHistory { history[keyPath: path] += window.filter(isPast) }
        window.removeAll(where: isPast)
    }

    static let clipBudget = 12 << 20
    private var clipBytes = 0

    private func place(_ clip: SpeechClip, productSKU: String?, bubble: ChatBubble?) {
        audio.voice.place(clip, at: head)
        lines.append(.init(start: head, timeline: clip.timeline, productSKU: productSKU, bubble: bubble))
        events += Self.events(of: clip, at: head)
    }

    private func placeAnswer() async throws {
        guard let (d, arrived) = answers.pop(), let answer = ChatAnswer(d, rundown: program.rundown) else { return }
        let clip = try await engine.speak(answer.utterance, voice: answer.voice)
        let start = head
        place(clip, productSKU: d.productSKU, bubble: answer.bubble)
        markers.append(Marker(at: start, program: program.id, position: cursor.position, kind: .answer(d, arrivedAt: arrived)))
        items.append(Item(start: start, end: start + clip.samples.count, cursor: cursor, kind: .answer(answer.utterance, clip)))
        head += clip.samples.count + Self.gap
        cachedSampler = nil
    }

    /// How long a played clip lasts on the show's clock.
    static func samples(of play: PlayCue) -> Int { (play.length ?? 0) * SpeechClip.sampleRate / 1000 }

    /// The cues a clip carries, placed at `start` (pauses are already silence in the audio).
    static func events(of clip: SpeechClip, at start: Int) -> [Performance.Event] {
        clip.timeline.cues.compactMap { cue in
            if case .pause = cue.cue { return nil }
            return Performance.Event(at: start + cue.at, cue: cue.cue)
        }
    }

    // MARK: Lucky draws

    /// Says the draw's announcement and holds for its countdown; entries open when the audio
    /// reaches the countdown (see `followDraw`).
    private func planDraw(keyword: String, seconds: Int, productSKU: String?, before: Cursor) async throws {
        let u = DrawLines.announcement(keyword: keyword, seconds: seconds, rundown: program.rundown, rules: drawHost?.drawRules, productSKU: productSKU)
        let clip = try await engine.speak(u, voice: program.rundown.voice)
        let start = head
        place(clip, productSKU: productSKU, bubble: nil)
        markers.append(Marker(at: start, program: program.id, position: before.position, kind: .line(u)))
        items.append(Item(start: start, end: start + clip.samples.count, cursor: before, kind: .line(u, clip)))
        head += clip.samples.count + Self.gap
        let drawStart = head
        events.append(.init(at: drawStart, cue: .draw(keyword: keyword, seconds: seconds)))
        head += seconds * SpeechClip.sampleRate
        items.append(Item(start: drawStart, end: head, cursor: before, kind: .hold))
        var after = before.position
        after.event += 1
        openDraw = OpenDraw(keyword: keyword, seconds: seconds, start: drawStart, end: head, productSKU: productSKU, position: after)
        cursor = Cursor(position: after, remainder: nil, entering: false)
        cachedSampler = nil
    }

    /// Opens the draw when the audio reaches its countdown, counts entries on screen, and at its
    /// end picks the winner and says who it is.
    private func followDraw() async throws {
        guard var d = openDraw else { return }
        let now = audio.position
        if !d.opened, now >= d.start {
            drawHost?.openDraw(keyword: d.keyword)
            d.opened = true
        }
        if d.opened, let n = drawHost?.drawEntrants, n > d.counted {
            drawEntries += repeatElement(now, count: n - d.counted)
            d.counted = n
            cachedSampler = nil
        }
        openDraw = d
        guard now >= d.end else { return }
        openDraw = nil
        let draw = drawHost?.closeDraw() ?? LuckyDraw(keyword: d.keyword)
        var random = SeededRandom(seed: program.rundown.seed, text: "draw", d.start)
        let outcome = seedsDrawsFromShow ? DrawOutcome(draw: draw, seconds: d.seconds, show: program.id, seed: random.next())
                                         : DrawOutcome(draw: draw, seconds: d.seconds, show: program.id)
        let (u, bubble) = DrawLines.result(outcome, rundown: program.rundown, rules: drawHost?.drawRules, productSKU: d.productSKU)
        let clip = try await engine.speak(u, voice: program.rundown.voice)
        head = max(head, now)
        let start = head
        place(clip, productSKU: d.productSKU, bubble: bubble)
        markers.append(Marker(at: start, program: program.id, position: d.position, kind: .draw(outcome)))
        items.append(Item(start: start, end: start + clip.samples.count, cursor: cursor, kind: .answer(u, clip)))
        head += clip.samples.count + Self.gap
        cachedSampler = nil
    }

    // MARK: Barge-in

    /// Cuts the plan at the first boundary at or after the audio clock: a word's end in a line,
    /// else the end of a pause in progress or a line's last word, else the start of the next
    /// item; answers already planned are never cut (unless `everything`). What was planned
    /// after is forgotten; the cursor goes back to the first thing not said (the rest of a cut line).
    private func interrupt(everything: Bool = false, cuttingClips: Bool = false) {
        let now = audio.position
        guard let i = items.firstIndex(where: { $0.end > now }) else {
            head = max(now, items.last.map { $0.end } ?? 0)
            return
        }
        let answerPlanned = !everything && items[i...].contains { if case .answer = $0.kind { true } else { false } }
        let cut: Int
        var removeFrom: Int
        var resume: Cursor
        if items[i].start < now, !answerPlanned, let (u, clip) = items[i].spoken,
           case let b = clip.cutPoint(atOrAfter: now - items[i].start, patience: Self.patience), b.sample < clip.samples.count {
            (cut, removeFrom, resume) = (items[i].start + b.sample, i + 1, items[i].cursor)
            resume.remainder = u.remainder(from: b.textOffset)
            resume.entering = false
            truncateLine(startingAt: items[i].start, keep: b.sample)
            items[i].end = cut
            items[i].kind = .hold
        } else if cuttingClips, items[i].start < now, case .clip = items[i].kind {
            // A clip can stop on any frame: now, its sound faded out over 5 ms; the show goes on after it.
            (cut, removeFrom, resume) = (now, i + 1, items[i].cursor)
            resume.position.event += 1
            resume.remainder = nil
            resume.entering = false
            items[i].end = now
            items[i].kind = .hold
        } else {
            // What is playing finishes, and answers already planned stay.
            removeFrom = items[i].start < now ? i + 1 : i
            while !everything, removeFrom < items.count, case .answer = items[removeFrom].kind { removeFrom += 1 }
            guard removeFrom < items.count else { return }
            (cut, resume) = (items[removeFrom].start, items[removeFrom].cursor)
        }
        items.removeSubrange(removeFrom...)
        // A draw whose countdown was cut before it began is announced again from the cursor.
        if let d = openDraw, d.start >= cut, !d.opened { openDraw = nil }
        lines.removeAll { $0.start >= cut }
        events.removeAll { $0.at >= cut }
        segments.removeAll { $0.start >= cut }
        markers.removeAll { $0.at >= cut }
        audio.cut(at: cut, stoppingClips: cuttingClips)
        if cuttingClips { endClips(at: cut) }
        cursor = resume
        head = cut + (answers.isEmpty ? Self.gap : Self.answerLead)
        exhausted = false
        cachedSampler = nil
    }

    /// Clips still playing at `cut` (waited for or talked over) end there on screen too.
    private func endClips(at cut: Int) {
        for k in events.indices {
            guard case .play(var play) = events[k].cue, events[k].at < cut, events[k].at + Self.samples(of: play) > cut else { continue }
            play.length = (cut - events[k].at) * 1000 / SpeechClip.sampleRate
            events[k].cue = .play(play)
        }
    }

    private func truncateLine(startingAt start: Int, keep: Int) {
        guard let k = lines.lastIndex(where: { $0.start == start }) else { return }
        lines[k].timeline = Self.truncated(lines[k].timeline, keep: keep)
    }

    static func truncated(_ t: SpeechTimeline, keep: Int) -> SpeechTimeline {
        var t = t
        t.words = t.words.filter { $0.start < keep }.map { var w = $0; w.end = min(w.end, keep); return w }
        t.phonemes = t.phonemes.filter { $0.start < keep }.map { var p = $0; p.end = min(p.end, keep); return p }
        t.visemes = t.visemes.filter { $0.start < keep }.map { var v = $0; v.end = min(v.end, keep); return v }
        t.stress = t.stress.filter { $0.start < keep }
        t.pauses = t.pauses.filter { $0.start < keep }
        t.cues = t.cues.filter { $0.at < keep }
        t.envelope = Array(t.envelope.prefix(keep / SpeechTimeline.envelopeStep + 1))
        t.length = keep
        t.isComplete = false
        t.stoppedAt = t.words.last?.range.end
        return t
    }

    /// Forgets what ended well before the audio clock, keeping the card mode and segment in force.
    private func prune() {
        let cutoff = audio.position - Self.keptPast
        guard cutoff > 0, let first = lines.first, first.end < cutoff - SpeechClip.sampleRate * 4 else { return }
        forget(&lines, history: \.lines) { $0.end < cutoff }
        let lastShow = events.lastIndex { e in if case .show = e.cue { return e.at < cutoff } else { return false } }
        let keptShowAt = lastShow.map { events[$0].at }
        // A running draw keeps its countdown and the entries counted on screen.
        let drawStart = openDraw?.start
        forget(&events, history: \.events) { e in
            if case .draw = e.cue, e.at == drawStart { return false }
            // A clip still playing keeps its start.
            if case .play(let p) = e.cue, e.at + Self.samples(of: p) > cutoff { return false }
            // The card mode in force stays.
            if e.at == keptShowAt, case .show = e.cue { return false }
            return e.at < cutoff
        }
        forget(&drawEntries, history: \.drawEntries) { $0 < min(cutoff, drawStart ?? cutoff) }
        if let s = segments.lastIndex(where: { $0.start <= cutoff }), s > 0 {
            if keepsHistory { history.segments += segments.prefix(s) }
            segments.removeFirst(s)
        }
        items.removeAll { $0.end < audio.position }
        audio.compact()
        cachedSampler = nil
    }
}
