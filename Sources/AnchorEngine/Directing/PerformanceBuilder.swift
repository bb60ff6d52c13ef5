import AnchorAvatar
import AnchorChat
import AnchorCore
import AnchorMedia
import AnchorVoice
import Foundation

/// Lays a rundown out in time, offline: speaks every line, places cues at their exact samples,
/// and collects the product cards. The offline Director for previews and stills.
public struct PerformanceBuilder: Sendable {
    /// Silence before the first line and between lines.
    public static let leadIn = SpeechClip.sampleRate / 2
    public static let gap = SpeechClip.sampleRate * 35 / 100

    public let rundown: Rundown
    public let catalog: Catalog?

    public init(rundown: Rundown, catalog: Catalog?) {
        self.rundown = rundown
        self.catalog = catalog
    }

    /// Builds the performance; stops after `until` samples when given (a still needs only the
    /// lines up to its time). Each clip is handed to `onClip` with its start, for audio output.
    public func build(until: Int? = nil, engine: SpeechEngine = .shared, chat: ChatFeed? = nil,
                      onClip: (Int, SpeechClip) throws -> Void = { _, _ in }) async throws -> Performance {
        var lines: [Performance.Line] = [], events: [Performance.Event] = [], segments: [Performance.Segment] = []
        var drawEntries: [Int] = []
        var t = Self.leadIn
        // A looping show plays again until `until`; lines already spoken are reused, not re-synthesized.
        var clips: [Utterance: SpeechClip] = [:]
        var pass = 0
        outer: while pass == 0 || (rundown.loop && until.map { t <= $0 } == true) {
          pass += 1
          for segment in rundown.segments {
            segments.append(.init(start: t, title: segment.title, productSKU: segment.productSKU))
            for event in segment.events {
                if let until, t > until + SpeechClip.sampleRate { break outer }
                switch event {
                case .cue(.draw(let keyword, let seconds), _):
                    // The draw is announced, takes entries while its countdown runs, and the
                    // winner (picked with a seed from the show's) is said at its end.
                    let sku = segment.productSKU
                    let open = DrawLines.announcement(keyword: keyword, seconds: seconds, rundown: rundown, rules: chat?.drawRules, productSKU: sku)
                    let openClip = try await engine.speak(open, voice: rundown.voice)
                    try onClip(t, openClip)
                    lines.append(.init(start: t, timeline: openClip.timeline, productSKU: sku))
                    events += Self.events(of: openClip, at: t)
                    t += openClip.samples.count + Self.gap
                    events.append(.init(at: t, cue: .draw(keyword: keyword, seconds: seconds)))
                    let end = t + seconds * SpeechClip.sampleRate
                    // What came before the countdown is decided first: it does not enter.
                    chat?.advance(to: t, onScreen: sku, rate: SpeechClip.sampleRate, language: rundown.language)
                    chat?.openDraw(keyword: keyword)
                    chat?.advance(to: end, onScreen: sku, rate: SpeechClip.sampleRate, language: rundown.language)
                    drawEntries += (chat?.drawEntryTimes ?? []).map { Int($0 * Double(SpeechClip.sampleRate)) }
                    var random = SeededRandom(seed: rundown.seed, text: "draw", t)
                    let outcome = DrawOutcome(draw: chat?.closeDraw() ?? LuckyDraw(keyword: keyword), seconds: seconds, show: rundown.title, seed: random.next())
                    chat?.drawOutcomes.append(outcome)
                    t = end
                    let (result, bubble) = DrawLines.result(outcome, rundown: rundown, rules: chat?.drawRules, productSKU: sku)
                    let clip = try await engine.speak(result, voice: rundown.voice)
                    try onClip(t, clip)
                    lines.append(.init(start: t, timeline: clip.timeline, productSKU: sku, bubble: bubble))
                    events += Self.events(of: clip, at: t)
                    t += clip.samples.count + Self.gap
                case .cue(let cue, _):
                    events.append(.init(at: t, cue: cue))
                    switch cue {
                    case .pause(let ms): t += ms * SpeechClip.sampleRate / 1000
                    case .countdown(let n): t += n * SpeechClip.sampleRate
                    case .play(let play) where play.waits: t += Self.samples(of: play)
                    default: break
                    }
                case .say(let u):
                    // Viewers' questions that arrived by now are answered first, in the show's voice.
                    if let chat {
                        while let d = chat.nextAnswer(at: t, onScreen: u.productSKU ?? segment.productSKU, rate: SpeechClip.sampleRate,
                                                         language: rundown.language) {
                            guard let answer = ChatAnswer(d, rundown: rundown) else { continue }
                            let clip = try await engine.speak(answer.utterance, voice: answer.voice)
                            try onClip(t, clip)
                            lines.append(.init(start: t, timeline: clip.timeline, productSKU: d.productSKU, bubble: answer.bubble))
                            chat.spoke(d, at: t)
                            t += clip.samples.count + Self.gap
                        }
                    }
                    let clip: SpeechClip
                    if let cached = clips[u] {
                        clip = cached
                    } else {
                        clip = try await engine.speak(u, voice: rundown.voice)
                        clips[u] = clip
                    }
                    try onClip(t, clip)
                    lines.append(.init(start: t, timeline: clip.timeline, productSKU: u.productSKU))
                    events += Self.events(of: clip, at: t)
                    t += clip.samples.count + Self.gap
                }
            }
          }
          if rundown.segments.allSatisfy({ $0.events.isEmpty }) { break }
        }
        var performance = Performance(lines: lines, events: events.sorted { $0.at < $1.at }, segments: segments, cards: cards(),
                                      length: t, seed: rundown.seed, language: rundown.language)
        performance.drawEntries = drawEntries
        return performance
    }

    /// How long a played clip lasts on the show's clock.
    static func samples(of play: PlayCue) -> Int { (play.length ?? 0) * SpeechClip.sampleRate / 1000 }

    func cards() -> [String: ProductCard] {
        var out: [String: ProductCard] = [:]
        for sku in rundown.products {
            guard let p = catalog?.product(sku: sku) else { continue }
            var card = ProductCard(sku: sku, name: p.name, price: p.price.formatted(for: rundown.language, style: .display),
                                   listPrice: p.listPrice.map { $0.formatted(for: rundown.language, style: .display) },
                                   slot: p.slot, image: p.image)
            card.gallery = ([p.image].compactMap { $0 } + p.images + p.clips).filter { !$0.contains("://") }
            // A clip shows for its length (up to 15 s); a picture, or a file that cannot be read, 4 s.
            card.galleryMilliseconds = card.gallery.map { file in
                guard p.clips.contains(file), let info = try? ClipInfo.probe(file), !info.isStill, info.milliseconds > 0 else {
                    return ProductCard.galleryItemMilliseconds
                }
                return min(info.milliseconds, ProductCard.galleryClipMilliseconds)
            }
            out[sku] = card
        }
        return out
    }
}
