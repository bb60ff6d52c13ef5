import AnchorCore
@testable import AnchorAvatar
import AnchorTestSupport
import Foundation
import Testing

let rate = Int(MediaTime.sampleRate)
func s(_ seconds: Double) -> Int { Int(seconds * Double(rate)) }

/// A hand-made performance: one price line from 1 s to 4 s with an open vowel, a closed M/B/P,
/// a stressed word and a pause; a card from 0.5 s, a link at 5 s, a countdown at 6 s.
func performance(cardImage: String? = nil, name: String = "Moonlit Repair Serum") -> Performance {
    var t = SpeechTimeline(text: "Only *tonight* mmm, then pause.", intent: .price, voice: "en-us")
    t.length = s(3)
    t.words = [.init(text: "Only", range: TextSpan(start: 0, length: 4), start: s(0.1), end: s(0.5)),
               .init(text: "tonight", range: TextSpan(start: 6, length: 7), start: s(0.6), end: s(1.2)),
               .init(text: "mmm", range: TextSpan(start: 15, length: 3), start: s(1.3), end: s(1.6))]
    t.visemes = [.init(viseme: .rest, start: 0, end: s(0.6)), .init(viseme: .AI, start: s(0.6), end: s(1.2)),
                 .init(viseme: .MBP, start: s(1.2), end: s(1.6)), .init(viseme: .rest, start: s(1.6), end: s(3))]
    t.stress = [.init(range: TextSpan(start: 6, length: 7), start: s(0.6), end: s(1.2))]
    t.pauses = [.init(offset: 20, milliseconds: 800, start: s(1.8), end: s(2.6))]
    t.envelope = (0..<300).map { i in (60..<160).contains(i) ? 0.2 : 0 }
    let card = ProductCard(sku: "NIGHT-101", name: name, price: "$32.90", listPrice: "$54", slot: 1, image: cardImage)
    return Performance(
        lines: [.init(start: s(1), timeline: t, productSKU: "NIGHT-101", bubble: ChatBubble(user: "mia_23", text: "how much is the serum?"))],
        events: [.init(at: s(0.5), cue: .show(.card)), .init(at: s(5), cue: .link(sku: "NIGHT-101")), .init(at: s(6), cue: .countdown(3))],
        segments: [.init(start: 0, title: "Serum", productSKU: "NIGHT-101")],
        cards: ["NIGHT-101": card], length: s(10), seed: 7, language: .en)
}

let mika = TestSupport.path("Models/mika"), juno = TestSupport.path("Models/juno")

func pixels(_ surface: CairoSurface) -> [UInt8] { surface.withPixels { Array($0) } }

/// Mean absolute difference of two frames inside a box (0…255).
func difference(_ a: [UInt8], _ b: [UInt8], stride: Int, box: (x: Int, y: Int, w: Int, h: Int)) -> Double {
    var sum = 0, n = 0
    for y in box.y..<(box.y + box.h) {
        for x in (box.x * 4)..<((box.x + box.w) * 4) {
            sum += abs(Int(a[y * stride + x]) - Int(b[y * stride + x])); n += 1
        }
    }
    return Double(sum) / Double(max(1, n))
}

/// Stands in for decoded clips: each file a flat colour that changes every 100 ms.
final class FlatClips: ClipFrames {
    var surfaces: [String: CairoSurface] = [:]
    func picture(_ file: String, at milliseconds: Int, width: Int, height: Int, matte: UInt32) -> (image: CairoSurface, frame: Int)? {
        let frame = milliseconds / 100
        let key = "\(file) \(width)x\(height)"
        let surface = surfaces[key] ?? CairoSurface(width: width, height: height)
        surfaces[key] = surface
        let colour = 0xFF00_0000 | UInt32(truncatingIfNeeded: (file.utf8.count * 70 + frame * 9) & 0xFF) << 16 | 0x40
        surface.withMutablePixels { base, stride in
            for y in 0..<height { (base + y * stride).assumingMemoryBound(to: UInt32.self).update(repeating: colour, count: width) }
        }
        return (surface, frame)
    }
}

@Suite struct AvatarRenderingTests {
    /// A full-screen clip, then a window while the line is spoken, then the card's gallery:
    /// what shows when, and redrawing only what changed still matches a full redraw.
    @Test func clipsAndGalleriesShowWhenTheyShouldAndRedrawOnlyTheirBox() throws {
        var p = performance()
        p.cards["NIGHT-101"]?.gallery = ["a.png", "spot.mp4"]
        p.events = [.init(at: s(0.2), cue: .play(PlayCue(file: "ad.mp4", placement: .full, length: 700))),
                    .init(at: s(1.5), cue: .play(PlayCue(file: "demo.mp4", placement: .window, length: 2000))),
                    .init(at: s(4), cue: .show(.gallery))]
        let incremental = try FrameRenderer(avatarFolder: mika, width: 320, height: 180)
        let reference = try FrameRenderer(avatarFolder: mika, width: 320, height: 180)
        incremental.clips = FlatClips()
        reference.clips = FlatClips()
        let sampler = SceneSampler(performance: p, rig: incremental.model.rig)
        #expect(sampler.state(at: s(0.1)).clip == nil)
        #expect(sampler.state(at: s(0.5)).clip == .init(file: "ad.mp4", placement: .full, milliseconds: 300))
        #expect(sampler.state(at: s(1.0)).clip == nil)
        #expect(sampler.state(at: s(2.0)).clip?.placement == .window)
        #expect(sampler.state(at: s(5.0)).clip == .init(file: "a.png", placement: .card, milliseconds: 1000))
        #expect(sampler.state(at: s(9.5)).clip == .init(file: "spot.mp4", placement: .card, milliseconds: 1500))
        // With the clip's length known (6 s), it shows that long: a.png 4 s, then spot.mp4 6 s, again.
        var timed = p
        timed.cards["NIGHT-101"]?.galleryMilliseconds = [4000, 6000]
        let timedSampler = SceneSampler(performance: timed, rig: incremental.model.rig)
        #expect(timedSampler.state(at: s(13.5)).clip == .init(file: "spot.mp4", placement: .card, milliseconds: 5500))
        #expect(timedSampler.state(at: s(14.5)).clip == .init(file: "a.png", placement: .card, milliseconds: 500))
        // The line (1 s to 4 s) lingers on screen for a moment after it, but not over a full-screen clip.
        var q = performance()
        q.events = [.init(at: s(4.1), cue: .play(PlayCue(file: "ad.mp4", placement: .full, length: 1000)))]
        let rig = incremental.model.rig
        #expect(SceneSampler(performance: performance(), rig: rig).state(at: s(4.2)).subtitle != nil)
        #expect(SceneSampler(performance: q, rig: rig).state(at: s(4.2)).subtitle == nil)
        var differing: [Int] = [], partial = 0
        for n in 0..<(10 * 15) {
            let state = sampler.state(at: n * rate / 15)
            let a = incremental.render(state)
            let damage = incremental.takeDamage()
            if !damage.isEmpty, !damage.isFull { partial += 1 }
            reference.invalidate()
            let b = reference.render(state)
            if !a.withPixels({ x in b.withPixels { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }) { differing.append(n) }
            if n == 7 {
                // Full screen: the clip's colour everywhere, the presenter gone.
                let px = pixels(a)
                #expect(px[(90 * 320 + 100) * 4 + 2] == px[(5 * 320 + 5) * 4 + 2] && px[(90 * 320 + 100) * 4] == 0x40)
            }
        }
        #expect(differing.isEmpty, "frames that differ from a full redraw: \(differing)")
        #expect(partial > 60, "\(partial) partial redraws of 150")
    }

    @Test func framesAreDeterministic() throws {
        let p = performance()
        func hash(_ t: Int) throws -> Int {
            let r = try FrameRenderer(avatarFolder: mika, width: 640, height: 360)
            var h = Hasher()
            h.combine(pixels(r.render(SceneSampler(performance: p, rig: r.model.rig).state(at: t))))
            return h.finalize()
        }
        for t in [s(0.2), s(1.9), s(6.4)] { #expect(try hash(t) == hash(t)) }
        #expect(try hash(s(1.9)) != hash(s(6.4)))
    }

    /// Redrawing only the layers that changed gives the picture a full redraw gives, frame after
    /// frame through speech, card, price flash, banner, countdown and bubble.
    @Test func drawingOnlyWhatChangedMatchesDrawingEverything() throws {
        let p = performance()
        let incremental = try FrameRenderer(avatarFolder: mika, width: 640, height: 360)
        let reference = try FrameRenderer(avatarFolder: mika, width: 640, height: 360)
        let sampler = SceneSampler(performance: p, rig: incremental.model.rig)
        var partial = 0, untouched = 0, differing: [Int] = []
        for n in 0..<(8 * 30) {
            let state = sampler.state(at: n * rate / 30)
            let a = incremental.render(state)
            let damage = incremental.takeDamage()
            if damage.isEmpty { untouched += 1 } else if !damage.isFull { partial += 1 }
            reference.invalidate()
            let b = reference.render(state)
            #expect(reference.takeDamage().isFull)
            let same = a.withPixels { x in b.withPixels { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
            if !same { differing.append(n) }
        }
        #expect(differing.isEmpty, "frames that differ from a full redraw: \(differing)")
        // Most frames redraw part of the picture or nothing at all.
        #expect(partial + untouched > 200, "\(partial) partial, \(untouched) untouched of 240")
    }

    @Test func openVowelsDifferFromClosedLipsInTheMouth() throws {
        let r = try FrameRenderer(avatarFolder: mika, width: 640, height: 360)
        let sampler = SceneSampler(performance: performance(), rig: r.model.rig)
        var open = sampler.state(at: s(2.0)), closed = open, rest = open
        open.mouth = [(.AI, 1)]; open.jaw = 0.8
        closed.mouth = [(.MBP, 1)]; closed.jaw = 0
        rest.mouth = [(.rest, 1)]; rest.jaw = 0
        let a = pixels(r.render(open)), b = pixels(r.render(closed)), c = pixels(r.render(rest))
        let k = r.model.scale, L = r.layout
        let mouth = (x: Int(L.avatarX + (500 + open.headX) * k) - 25, y: Int(L.avatarY + (430 + open.headY) * k) - 12, w: 50, h: 36)
        let openVsClosed = difference(a, b, stride: r.frame.stride, box: mouth)
        let closedVsRest = difference(b, c, stride: r.frame.stride, box: mouth)
        #expect(openVsClosed > 20, "open vs closed \(openVsClosed)")
        #expect(openVsClosed > closedVsRest * 3, "\(openVsClosed) vs \(closedVsRest)")
        // Nothing outside the mouth and its surroundings changes.
        #expect(difference(a, b, stride: r.frame.stride, box: (0, 0, 640, mouth.y - 10)) == 0)
    }

    @Test func theMouthIsClosedDuringAPause() throws {
        let r = try FrameRenderer(avatarFolder: mika, width: 640, height: 360)
        let sampler = SceneSampler(performance: performance(), rig: r.model.rig)
        let during = sampler.state(at: s(1) + s(2.2))
        #expect(during.mouth.map(\.0) == [.rest] && during.jaw == 0)
        var closed = during
        closed.mouth = [(.rest, 1)]
        #expect(pixels(r.render(during)) == pixels(r.render(closed)))
        // M/B/P closes the lips fully within 35 ms; other shapes blend in over 70 ms.
        let mbp = s(1) + s(1.2)
        #expect(sampler.state(at: mbp + s(0.012)).mouth.count == 2)
        #expect(sampler.state(at: mbp + s(0.036)).mouth.map(\.0) == [.MBP])
    }

    @Test func overlaysAppearOnTheirCues() throws {
        let r = try FrameRenderer(avatarFolder: mika, width: 640, height: 360)
        let sampler = SceneSampler(performance: performance(), rig: r.model.rig)
        let before = sampler.state(at: s(0.3)), after = sampler.state(at: s(0.8))
        #expect(before.cardMode == .none && after.cardMode == .card && after.card?.sku == "NIGHT-101")
        let L = r.layout
        let cardBox = (x: Int(L.card.x) + 10, y: Int(L.card.y) + 10, w: Int(L.card.w) - 20, h: Int(L.card.h) - 20)
        // The card's red price appears only once @show card has happened.
        func reds(_ px: [UInt8]) -> Int {
            var n = 0
            for y in cardBox.y..<(cardBox.y + cardBox.h) {
                for x in cardBox.x..<(cardBox.x + cardBox.w) {
                    let i = y * r.frame.stride + x * 4 // BGRA
                    if px[i + 2] > 200 && px[i + 1] < 110 && px[i] < 110 { n += 1 }
                }
            }
            return n
        }
        #expect(reds(pixels(r.render(before))) == 0)
        #expect(reds(pixels(r.render(after))) > 150)
        // The price flashes while the price line is spoken, and not after.
        #expect(sampler.state(at: s(1.5)).priceFlash > 0 && sampler.state(at: s(4.5)).priceFlash == 0)
        // The bubble shows the viewer's question while the line is spoken.
        #expect(sampler.state(at: s(1.5)).bubble?.user == "mia_23" && sampler.state(at: s(4.5)).bubble == nil)
        // The link banner shows for four seconds after @link.
        #expect(sampler.state(at: s(4.9)).linkBanner == 0 && sampler.state(at: s(6)).linkBanner == 1 && sampler.state(at: s(9.1)).linkBanner == 0)
        let bannerBox = (x: Int(L.banner.x), y: Int(L.banner.y), w: Int(L.banner.w), h: Int(L.banner.h))
        #expect(difference(pixels(r.render(sampler.state(at: s(4.9)))), pixels(r.render(sampler.state(at: s(5.6)))), stride: r.frame.stride, box: bannerBox) > 10)
        // Subtitles highlight the word being spoken.
        #expect(sampler.state(at: s(1.8)).subtitle?.highlight == TextSpan(start: 6, length: 7))
    }

    /// A schedule can switch to a show in another language: the words the overlays add follow
    /// the scene's language, on the same renderer, and drawing only what changed still equals
    /// drawing everything.
    @Test func overlayWordsFollowTheScenesLanguage() throws {
        let r = try FrameRenderer(avatarFolder: mika, width: 640, height: 360)
        let reference = try FrameRenderer(avatarFolder: mika, width: 640, height: 360)
        let english = SceneSampler(performance: performance(), rig: r.model.rig).state(at: s(6))
        #expect(english.linkBanner == 1 && english.cardMode == .card && english.language == .en)
        var chinese = english
        chinese.language = .zh
        let L = r.layout
        let bannerBox = (x: Int(L.banner.x), y: Int(L.banner.y), w: Int(L.banner.w), h: Int(L.banner.h))
        let cardBox = (x: Int(L.card.x), y: Int(L.card.y), w: Int(L.card.w), h: Int(L.card.h))
        let before = pixels(r.render(english)), after = pixels(r.render(chinese))
        #expect(difference(before, after, stride: r.frame.stride, box: bannerBox) > 5)
        #expect(difference(before, after, stride: r.frame.stride, box: cardBox) > 0, "the slot tag reads 1号, not #1")
        reference.invalidate()
        #expect(after == pixels(reference.render(chinese)))
        #expect(pixels(r.render(english)) == before)
    }

    @Test func countdownFingersFollowTheSeconds() throws {
        let rig = try Rig.load(from: mika + "/rig.json")
        let sampler = SceneSampler(performance: performance(), rig: rig)
        for (at, number, pose) in [(6.5, 3, "count3"), (7.5, 2, "count2"), (8.5, 1, "count1")] {
            let state = sampler.state(at: s(at))
            #expect(state.countdown == number)
            #expect(state.arms["armL"]?.pose == pose)
        }
        #expect(sampler.state(at: s(9.1)).countdown == nil)
    }

    @Test func theGestureApexLandsOnTheStressedWord() throws {
        let rig = try Rig.load(from: mika + "/rig.json")
        let sampler = SceneSampler(performance: performance(), rig: rig)
        let apex = s(1) + s(0.6)
        let g = try #require(sampler.gestures.first { $0.name == "point" })
        #expect(abs(g.start + Int(Double(g.end - g.start) * g.gesture.apex) - apex) <= 1)
        #expect((sampler.state(at: apex).arms["armR"]?.weight ?? 0) > 0.999)
        #expect((sampler.state(at: apex - s(0.3)).arms["armR"]?.weight ?? 0) < 1)
        // The head nods on the stressed word.
        #expect(sampler.state(at: apex + s(0.1)).headY > sampler.state(at: apex - s(0.2)).headY + 2)
    }

    @Test func blinksEveryTwoToSixSeconds() throws {
        let rig = try Rig.load(from: mika + "/rig.json")
        var p = performance()
        p.length = s(600)
        let blinks = SceneSampler(performance: p, rig: rig).blinks
        #expect(blinks.count > 100)
        for (a, b) in zip(blinks, blinks.dropFirst()) { #expect(b - a >= s(2) && b - a <= s(6)) }
        let sampler = SceneSampler(performance: p, rig: rig)
        #expect(sampler.state(at: blinks[3] + s(0.07)).eyes == "closed")
        #expect(sampler.state(at: blinks[3] + s(0.5)).eyes == "open")
    }

    @Test func portraitAndLandscape() throws {
        for (w, h) in [(640, 360), (360, 640)] {
            let r = try FrameRenderer(avatarFolder: juno, width: w, height: h)
            let frame = r.render(SceneSampler(performance: performance(), rig: r.model.rig).state(at: s(2)))
            #expect(frame.width == w && frame.height == h)
            let L = r.layout
            #expect(L.card.x >= 0 && L.card.y >= 0 && L.card.x + L.card.w <= Double(w) && L.card.y + L.card.h <= Double(h))
            #expect(L.subtitle.y + L.subtitle.h <= Double(h))
            if h > w { #expect(L.card.y > L.avatarY + 300 * r.model.scale) } else { #expect(L.card.x > L.avatarX + 500 * r.model.scale) }
        }
    }
    // Heap growth over 10 000 frames is measured in its own process: `anchor bench avatar`
    // (see CLITests), since resident size is shared with the suites running alongside.
}

@Suite struct AvatarBadInputTests {
    func copyOfMika() throws -> URL {
        let dir = try TestSupport.temporaryDirectory().appendingPathComponent("mika")
        try FileManager.default.copyItem(atPath: mika, toPath: dir.path)
        return dir
    }

    @Test func missingOrMalformedRig() throws {
        #expect(throws: AvatarError.rigMissing("/nonexistent/rig.json")) { try Rig.load(from: "/nonexistent/rig.json") }
        let dir = try copyOfMika()
        defer { TestSupport.cleanUp(dir.deletingLastPathComponent()) }
        let rig = dir.appendingPathComponent("rig.json")
        try "{\"name\": \"x\", \"svg\": 3}".write(to: rig, atomically: true, encoding: .utf8)
        do {
            _ = try Rig.load(from: rig.path)
            Issue.record("a malformed rig loaded")
        } catch {
            #expect("\(error)".contains("rig.json"))
        }
        try "{ not json".write(to: rig, atomically: true, encoding: .utf8)
        #expect(throws: AvatarError.self) { try Rig.load(from: rig.path) }
    }

    @Test func aMissingPartFallsBackAndIsReported() throws {
        let dir = try copyOfMika()
        defer { TestSupport.cleanUp(dir.deletingLastPathComponent()) }
        let svg = dir.appendingPathComponent("mika.svg")
        let text = try String(contentsOf: svg, encoding: .utf8).replacingOccurrences(of: "id=\"mouth-O\"", with: "id=\"mouth-gone\"")
        try text.write(to: svg, atomically: true, encoding: .utf8)
        let r = try FrameRenderer(avatarFolder: dir.path, width: 320, height: 180)
        #expect(r.model.missingParts == ["mouth-O"])
        #expect(r.warnings.first?.contains("mouth-O") == true)
        var state = SceneSampler(performance: performance(), rig: r.model.rig).state(at: s(2))
        state.mouth = [(.O, 1)]
        r.render(state)
        try "<svg><g id='head'>".write(to: svg, atomically: true, encoding: .utf8)
        #expect(throws: AvatarError.self) { try FrameRenderer(avatarFolder: dir.path, width: 320, height: 180) }
    }

    @Test func badImagesLongNamesAndEmojiAreDrawnGracefully() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let broken = dir.appendingPathComponent("broken.png")
        try Data("not an image".utf8).write(to: broken)
        let long = String(repeating: "Extra Gentle Night Serum ", count: 12) + "😀🎉"
        let r = try FrameRenderer(avatarFolder: mika, width: 640, height: 360)
        var p = performance(cardImage: broken.path, name: long)
        p.lines[0].timeline.text = "Emoji 😀 and 中文 mixed in one line 🎉"
        let sampler = SceneSampler(performance: p, rig: r.model.rig)
        let frame = pixels(r.render(sampler.state(at: s(1.5))))
        #expect(r.warnings.contains { $0.contains("broken.png") && $0.contains("placeholder") })
        // The card stays inside its box: nothing is drawn right of it.
        let L = r.layout
        let right = Int(L.card.x + L.card.w) + 2
        let empty = pixels(try FrameRenderer(avatarFolder: mika, width: 640, height: 360).render(SceneSampler(performance: performance(), rig: r.model.rig).state(at: s(0.2))))
        #expect(difference(frame, empty, stride: r.frame.stride, box: (right, Int(L.card.y), 640 - right, Int(L.card.h))) == 0)
        #expect(throws: AvatarError.self) { try FrameRenderer(avatarFolder: mika, width: 10, height: 10) }
    }
}

/// GLib's errors (librsvg, gdk-pixbuf) become messages that name what went wrong.
@Suite struct GLibErrorTests {
    @Test func aBrokenSVGAndABrokenPictureSayWhy() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let rig = try String(contentsOfFile: TestSupport.path("Models/juno/rig.json"), encoding: .utf8)
        try rig.write(to: dir.appendingPathComponent("rig.json"), atomically: true, encoding: .utf8)
        let svgName = try Rig.load(from: dir.appendingPathComponent("rig.json").path).svg
        try "<svg xmlns='http://www.w3.org/2000/svg'><g id='head'>".write(to: dir.appendingPathComponent(svgName), atomically: true, encoding: .utf8)
        let error = #expect(throws: AvatarError.self) { _ = try AvatarModel(folder: dir.path, scale: 1) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains(svgName) && !message.contains("unreadable"), "\(message)")

        let png = dir.appendingPathComponent("broken.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: png)
        guard case .failure(let failure) = ProductImage.load(png.path, width: 64, height: 64) else {
            Issue.record("a truncated PNG decoded")
            return
        }
        #expect(!failure.reason.isEmpty && failure.reason != "cannot decode", "\(failure.reason)")
    }
}

/// The benchmark chart: lines, points and legend in their series' colours on a white canvas,
/// drawn through the one drawing context.
@Suite struct LinePlotTests {
    /// (red, green, blue) of a pixel of an opaque surface.
    func rgb(_ image: CairoSurface, _ x: Int, _ y: Int) -> (Int, Int, Int) {
        image.withPixels { p in
            let i = y * image.stride + x * 4
            return (Int(p[i + 2]), Int(p[i + 1]), Int(p[i]))
        }
    }

    @Test func seriesAndLegendAreDrawnInTheirColours() {
        let plot = LinePlot(title: "Bits against quality", xLabel: "kb/s", yLabel: "SSIM", series: [
            .init(name: "red line", color: 0xFF0000, points: [(0, 0), (10, 10)]),
            .init(name: "blue points", color: 0x0000FF, points: [(0, 10), (10, 0)], pointsOnly: true),
        ])
        let (w, h) = (800, 500)
        let image = plot.render(width: w, height: h)
        let (left, right, top, bottom) = (90, w - 30, 60, h - 70)
        #expect(rgb(image, 2, 2) == (255, 255, 255) && rgb(image, w - 3, h - 3) == (255, 255, 255))
        // The red line crosses the middle of the plot (the ranges are padded alike on both ends).
        let (r, g, b) = rgb(image, (left + right) / 2, (top + bottom) / 2)
        #expect(r > 200 && g < 90 && b < 90, "\((r, g, b))")
        // The blue series has points only: nothing blue halfway between them on the other diagonal.
        let quarter = rgb(image, left + (right - left) / 4, top + (bottom - top) / 4)
        #expect(!(quarter.2 > 200 && quarter.0 < 90), "\(quarter)")
        // The legend's dots, bottom right, one per series (the last series lowest).
        #expect(rgb(image, right - 250, bottom - 20) == (0, 0, 255))
        #expect(rgb(image, right - 250, bottom - 42) == (255, 0, 0))
        // The title is dark text on the top row.
        let titleRow = (0..<w).map { rgb(image, $0, 24) }
        #expect(titleRow.contains { $0.0 < 100 && $0.1 < 100 && $0.2 < 100 })
    }
}
