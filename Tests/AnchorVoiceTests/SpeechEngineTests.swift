import AnchorCore
import AnchorScript
@testable import AnchorVoice
import Foundation
import Testing

func utterance(_ text: String, _ intent: Intent = .chat, language: Language = .en, stress: [TextSpan] = [], cues: [InlineCue] = []) -> Utterance {
    Utterance(text: text, language: language, intent: intent, reason: IntentReason(.tagged, "test"), stress: stress, cues: cues)
}

/// A line written in the script syntax, compiled the way a show would be.
func scripted(_ line: String, language: Language = .en) throws -> Utterance {
    let compiled = ScriptCompiler.parse("---\nlanguage: \(language.rawValue)\nstyle: plain\n---\n# T\n\(line)", path: "t.show.md").compile(catalog: nil)
    return try #require(compiled.rundown?.utterances.first)
}

@Suite(.serialized) struct SpeechEngineTests {
    let engine = SpeechEngine.shared

    @Test func timelineIsMonotonicCoversEveryWordAndEndsWithTheAudio() async throws {
        let u = try scripted("Hi everyone, welcome to the *late-night* shop! Tonight only $32.90, down from $54.")
        let clip = try await engine.speak(u)
        let t = clip.timeline
        #expect(t.length == clip.samples.count)
        #expect(t.isComplete)
        #expect(t.words.map(\.text) == ["Hi", "everyone", "welcome", "to", "the", "late-night", "shop", "Tonight", "only", "$32.90", "down", "from", "$54"])
        for (a, b) in zip(t.words, t.words.dropFirst()) {
            #expect(a.start < a.end && a.end <= b.start, "\(a.text) then \(b.text)")
            #expect(a.range.end <= b.range.start)
        }
        for w in t.words { #expect(u.substring(w.range) == w.text) }
        #expect((t.words.last?.end ?? 0) <= clip.samples.count)
        // Phonemes and visemes run forward and visemes tile the whole clip.
        for (a, b) in zip(t.phonemes, t.phonemes.dropFirst()) { #expect(a.start < a.end && a.end <= b.start) }
        #expect(t.visemes.first?.start == 0 && t.visemes.last?.end == clip.samples.count)
        for (a, b) in zip(t.visemes, t.visemes.dropFirst()) { #expect(a.end == b.start && a.viseme != b.viseme) }
    }

    @Test func aBargeInInsideALongSpokenTokenStopsAtAQuietMomentAndResaysTheToken() async throws {
        let u = utterance("Tonight it is $1,234.56, that's 36% off.")
        let clip = try await engine.speak(u)
        let price = try #require(clip.timeline.words.first { $0.text.hasPrefix("$") })
        #expect(price.end - price.start > SpeechClip.sampleRate, "a long token to test with: \(price)")
        let patience = SpeechClip.sampleRate * 2 / 5
        let at = price.start + SpeechClip.sampleRate / 10
        let cut = clip.cutPoint(atOrAfter: at, patience: patience)
        #expect(cut.sample > at && cut.sample < price.end, "cut inside the token, not at its end")
        #expect(cut.sample - at < SpeechClip.sampleRate / 2 + patience, "waited \(cut.sample - at) samples")
        #expect(clip.timeline.envelope[cut.sample / SpeechTimeline.envelopeStep] < 0.02, "cut where it is quiet")
        #expect(u.remainder(from: cut.textOffset).text.hasPrefix("$1,234.56"), "the token is said again in full")
        // A word that ends within the patience is never cut inside: the boundary is its end.
        let short = try #require(clip.timeline.words.first { $0.end - $0.start < patience })
        #expect(clip.cutPoint(atOrAfter: short.start + 10, patience: patience).sample == short.end)
    }

    @Test func pausesAreExactToTheSample() async throws {
        let u = try scripted("Ready {pause 400ms} set {pause 1.25s} go")
        let clip = try await engine.speak(u)
        let pauses = clip.timeline.pauses
        #expect(pauses.map(\.milliseconds) == [400, 1250])
        #expect(pauses.map { $0.end - $0.start } == [19_200, 60_000])
        for p in pauses {
            #expect(clip.samples[p.start..<p.end].allSatisfy { $0 == 0 })
            #expect(clip.viseme(at: (p.start + p.end) / 2) == .rest)
        }
        #expect(clip.timeline.words.map(\.text) == ["Ready", "set", "go"])
        #expect(clip.timeline.words[1].start >= pauses[0].end && clip.timeline.words[0].end <= pauses[0].start)
        #expect(clip.timeline.cues.map(\.at) == pauses.map(\.start))
    }

    @Test func intentsAreAudible() async throws {
        let text = "We have a lovely blanket for you, it is warm and soft and ready tonight."
        let calm = try await engine.speak(utterance(text, .calm))
        let urgent = try await engine.speak(utterance(text, .urgency))
        let price = try await engine.speak(utterance(text, .price))
        let neutral = try await engine.speak(utterance(text, .feature))
        // Duration per syllable: urgency is faster, calm and price slower than neutral.
        #expect(Double(urgent.samples.count) < Double(neutral.samples.count) * 0.9)
        #expect(Double(calm.samples.count) > Double(neutral.samples.count) * 1.1)
        #expect(price.samples.count > neutral.samples.count)
        // Mean pitch: urgency higher, calm lower.
        let pUrgent = try #require(AudioAnalysis.medianPitch(urgent.samples[...]))
        let pCalm = try #require(AudioAnalysis.medianPitch(calm.samples[...]))
        let pNeutral = try #require(AudioAnalysis.medianPitch(neutral.samples[...]))
        #expect(pUrgent > pNeutral * 1.08, "urgent \(pUrgent) Hz, neutral \(pNeutral) Hz")
        #expect(pCalm < pNeutral * 0.95, "calm \(pCalm) Hz, neutral \(pNeutral) Hz")
    }

    @Test func stressIsLouderAndHigherOnTheWord() async throws {
        let plain = try await engine.speak(try scripted("[feature] I really love this serum tonight."))
        let stressed = try await engine.speak(try scripted("[feature] I really *love* this serum tonight."))
        func word(_ clip: SpeechClip, _ text: String) throws -> ArraySlice<Float> {
            let w = try #require(clip.timeline.words.first { $0.text == text })
            return clip.samples[w.start..<w.end]
        }
        // Compare the stressed word with its neighbours, so overall normalization cancels out.
        func contrast(_ clip: SpeechClip) throws -> Double {
            AudioAnalysis.decibels(AudioAnalysis.rms(try word(clip, "love"))) - AudioAnalysis.decibels(AudioAnalysis.rms(try word(clip, "serum")))
        }
        let gain = try contrast(stressed) - contrast(plain)
        #expect(gain > 1.5, "stress raised 'love' by \(gain) dB relative to 'serum'")
        let pitchPlain = try #require(AudioAnalysis.medianPitch(try word(plain, "love")))
        let pitchStressed = try #require(AudioAnalysis.medianPitch(try word(stressed, "love")))
        #expect(pitchStressed > pitchPlain * 1.1, "\(pitchPlain) → \(pitchStressed) Hz")
        #expect(stressed.timeline.stress.count == 1)
        #expect(stressed.timeline.stress.first?.start == stressed.timeline.words.first { $0.text == "love" }?.start)
    }

    @Test func loudnessIsNormalizedAndPeaksLimited() async throws {
        for u in [utterance("Good evening everyone, thank you for being here with me tonight.", .thanks),
                  utterance("Hurry, only five left, grab yours right now before they are gone!", .urgency),
                  utterance("晚上好，欢迎来到直播间，今晚的好物都很实惠。", .greet, language: .zh)] {
            let clip = try await engine.speak(u)
            let m = Loudness.measure(clip.samples, sampleRate: SpeechClip.sampleRate)
            #expect(abs(m.integrated - (SpeechEngine.targetLUFS + Prosody.loudnessOffset(u.intent))) < 1.0, "\(u.text): \(m.integrated) LUFS")
            #expect(m.peak <= -0.99, "peak \(m.peak) dBFS")
            // No clicks: the clip starts and ends at silence, and pieces join smoothly.
            #expect(abs(clip.samples.first ?? 1) < 0.01 && abs(clip.samples.last ?? 1) < 0.01)
        }
    }

    @Test func visemesFollowThePhonemes() async throws {
        let clip = try await engine.speak(utterance("Bob may buy a fine view, oh wow.", .chat))
        let visemes = Set(clip.timeline.visemes.map(\.viseme))
        for v in [Viseme.MBP, .FV, .O, .AI, .WQ, .rest] { #expect(visemes.contains(v), "\(v) missing from \(visemes)") }
        // Where a viseme shows an open mouth, there is sound; the mouth is closed in silence.
        var open = 0, loud = 0
        for span in clip.timeline.visemes where [.AI, .O, .E].contains(span.viseme) && span.end - span.start > 480 {
            open += 1
            if AudioAnalysis.rms(clip.samples[span.start..<span.end]) > 0.02 { loud += 1 }
        }
        #expect(open > 3 && Double(loud) / Double(open) > 0.9)
        // Boundaries match phoneme events exactly (which espeak-ng times against its audio).
        let phonemeStarts = Set(clip.timeline.phonemes.map(\.start) + [0])
        for span in clip.timeline.visemes.dropFirst() where span.viseme != .rest { #expect(phonemeStarts.contains(span.start)) }
    }

    @Test func mandarinAndMixedLines() async throws {
        let clip = try await engine.speak(try scripted("欢迎来到直播间，这款iPhone壳今晚只要59元！", language: .zh))
        let words = clip.timeline.words.map(\.text)
        #expect(words == ["欢", "迎", "来", "到", "直", "播", "间", "这", "款", "iPhone", "壳", "今", "晚", "只", "要", "59元"])
        #expect(clip.timeline.voice == "cmn-latn-pinyin")
        #expect(clip.samples.count > SpeechClip.sampleRate * 2)
    }

    @Test func concurrentCallersAreSerializedAndGetTheSameSpeech() async throws {
        let lines = ["One little line.", "Another line, a bit longer than that.", "这是第三句。", "And a fourth."]
        func line(_ l: String) -> Utterance { utterance(l, language: l.unicodeScalars.contains(where: Language.isHan) ? .zh : .en) }
        var serial: [SpeechClip] = []
        for l in lines { serial.append(try await engine.speak(line(l))) }
        let concurrent = try await withThrowingTaskGroup(of: (Int, SpeechClip).self) { group in
            for (i, l) in lines.enumerated() { group.addTask { (i, try await SpeechEngine.shared.speak(line(l))) } }
            var out = [SpeechClip?](repeating: nil, count: lines.count)
            for try await (i, clip) in group { out[i] = clip }
            return out.compactMap { $0 }
        }
        // espeak-ng 1.51 keeps state between calls (a clause's pause, and some voice settings after a
        // Mandarin voice), so the same line can be a few percent longer or shorter, with a pause
        // marked `_` or `_|`, depending on what was spoken before it; interleaved calls would
        // garble words and the sounds between the pauses instead.
        func sounds(_ clip: SpeechClip) -> [String] { clip.timeline.phonemes.map(\.symbol).filter { !$0.hasPrefix("_") } }
        #expect(concurrent.count == serial.count)
        for (a, b) in zip(concurrent, serial) {
            #expect(a.timeline.words.map(\.text) == b.timeline.words.map(\.text))
            #expect(abs(a.samples.count - b.samples.count) < b.samples.count / 20, "\(a.samples.count) vs \(b.samples.count)")
            #expect(sounds(a) == sounds(b) && sounds(b).count > 3, "\(a.timeline.phonemes.map(\.symbol)) vs \(b.timeline.phonemes.map(\.symbol))")
        }
    }

    @Test func cancellationStopsAtAWordBoundaryAndSaysWhere() async throws {
        let long = String(repeating: "This sentence keeps going so that there is time to stop it. ", count: 40)
        // A stop polled from espeak-ng's callback, tripping mid-sentence exactly as a cancel would.
        let clip = try await engine.speakNow(utterance(long, .feature), voice: nil, stop: StopFlag(tripAfter: 25))
        let t = clip.timeline
        #expect(!t.isComplete)
        let stopped = try #require(t.stoppedAt)
        #expect(stopped > 0 && stopped < long.unicodeScalars.count)
        // Every word kept is whole and ends before the stop; the stop is at a word start.
        #expect(t.words.allSatisfy { $0.range.end <= stopped })
        #expect(t.words.last.map { $0.range.end } != nil)
        let scalars = Array(long.unicodeScalars)
        #expect(scalars[stopped - 1] == " " && scalars[stopped] != " ")
        #expect(clip.samples.count == t.length && t.length >= (t.words.last?.end ?? 0))
        // The rest of the line picks up exactly there.
        #expect(utterance(long).remainder(from: stopped).text.hasPrefix(String(String.UnicodeScalarView(scalars[stopped...].prefix(10)))))

        // A task cancelled as soon as it starts stops within its first sentence.
        let cancelled = Task { try await SpeechEngine.shared.speak(utterance(long, .feature)) }
        cancelled.cancel()
        let early = try await cancelled.value
        #expect(!early.timeline.isComplete && (early.timeline.stoppedAt ?? .max) <= 61)

        // During playback, a barge-in stops at the end of the word being spoken.
        let full = try await engine.speak(utterance("Please wait while I finish this word.", .chat))
        let word = full.timeline.words[3]
        let cut = full.wordBoundary(atOrAfter: (word.start + word.end) / 2)
        #expect(cut.sample == word.end && cut.textOffset == word.range.end)
    }

    @Test func badInputIsHandled() async throws {
        let empty = try await engine.speak(utterance(""))
        #expect(empty.samples.isEmpty && empty.timeline.words.isEmpty && empty.timeline.isComplete)
        let emoji = try await engine.speak(utterance("😀🎉🔥"))
        #expect(emoji.timeline.words.isEmpty)
        let controls = try await engine.speak(utterance("bell\u{7} and\u{0} nul"))
        #expect(controls.timeline.words.map(\.text) == ["bell", "and", "nul"])
        // Angle brackets are spoken, never taken as SSML: no 3-second break appears.
        let markup = try await engine.speak(utterance("a <break time=\"3s\"/> b & <speak>"))
        #expect(markup.samples.count < SpeechClip.sampleRate * 5)
        #expect(markup.timeline.words.map(\.text).contains("break"))
        // 100 000 characters: spoken up to the per-call bound, cut at a word, and said where.
        let huge = String(repeating: "word ", count: 20_000)
        let big = try await engine.speak(utterance(huge))
        let stopped = try #require(big.timeline.stoppedAt)
        #expect(!big.timeline.isComplete && stopped <= SpeechEngine.maxScalarsPerCall && stopped > SpeechEngine.maxScalarsPerCall - SpeechPlanner.maxPiece)
        #expect(big.timeline.words.count == stopped / 5)
        #expect(big.timeline.words.last.map { $0.range.end <= stopped } == true)
        await #expect(throws: VoiceError.self) { try await engine.speak(utterance("hi"), voice: "no-such-voice") }
        // espeak-ng would quietly pick Greenlandic for this; anchor refuses and lists what exists.
        do {
            _ = try await engine.speak(utterance("hi"), voice: "klingon")
            Issue.record("an unknown voice was accepted")
        } catch let VoiceError.unknownVoice(name, available) {
            #expect(name == "klingon")
            #expect(available.contains("en-us") && available.contains("cmn-latn-pinyin"))
        }
        // Variants and language codes are fine.
        #expect(try await engine.speak(utterance("hi"), voice: "en-us+f3").samples.count > 0)
        #expect(try await engine.speak(utterance("你好", language: .zh), voice: "cmn-latn-pinyin").samples.count > 0)
    }
}

@Suite struct TextNormalizerTests {
    func spoken(_ text: String, _ language: Language = .en) -> String {
        let s = Array(text.unicodeScalars)
        var out = text
        for r in TextNormalizer.replacements(in: s, range: 0..<s.count, language: language).reversed() {
            let scalars = Array(out.unicodeScalars)
            out = String(String.UnicodeScalarView(scalars[..<r.range.lowerBound])) + r.spoken + String(String.UnicodeScalarView(scalars[r.range.upperBound...]))
        }
        return out
    }

    @Test func amountsAndUnitsReadNaturally() {
        #expect(spoken("Only $32.90 or $1, 40% off") == "Only 32 dollars 90 or 1 dollar, 40 percent off")
        #expect(spoken("It holds 30 ml, weighs 100g, lasts 6 h and has 5000 mAh for 1 h.") ==
                "It holds 30 milliliters, weighs 100 grams, lasts 6 hours and has 5000 milliamp hours for 1 hour.")
        #expect(spoken("3 Lights and 2 men") == "3 Lights and 2 men")
        #expect(spoken("¥59，容量30ml，重250 g，便宜35%", .zh) == "59元，容量30毫升，重250克，便宜百分之35")
        #expect(spoken("1,299 dollars and $1,299.50") == "1,299 dollars and 1299 dollars 50")
    }
}

@Suite struct VisemeMapTests {
    @Test func mapping() {
        #expect(VisemeMap.viseme(forPhoneme: "m") == .MBP)
        #expect(VisemeMap.viseme(forPhoneme: "b") == .MBP)
        #expect(VisemeMap.viseme(forPhoneme: "f") == .FV)
        #expect(VisemeMap.viseme(forPhoneme: "oU") == .O)
        #expect(VisemeMap.viseme(forPhoneme: "0") == .O)
        #expect(VisemeMap.viseme(forPhoneme: "aI") == .AI)
        #expect(VisemeMap.viseme(forPhoneme: "u:") == .U)
        #expect(VisemeMap.viseme(forPhoneme: "_:") == .rest)
        #expect(VisemeMap.viseme(forPhoneme: "(en)") == nil)
        // Mandarin finals and initials.
        #expect(VisemeMap.viseme(forPhoneme: "iE") == .E)
        #expect(VisemeMap.viseme(forPhoneme: "ou") == .O)
        #expect(VisemeMap.viseme(forPhoneme: "tS;h") == .etc)
        #expect(VisemeMap.viseme(forPhoneme: "ts.h") == .etc)
        #expect(VisemeMap.viseme(forPhoneme: "y") == .U)
    }
}
