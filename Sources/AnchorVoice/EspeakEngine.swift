import CEspeak
import Foundation

/// espeak-ng's C API, wrapped once. espeak-ng keeps global state, so exactly one instance
/// exists and it is only used from the `SpeechEngine` actor.
final class EspeakEngine {
    /// One synthesis: 16-bit PCM at `sampleRate` and the events espeak-ng reported.
    struct Output {
        var samples: [Int16] = []
        var words: [(position: Int, length: Int, sample: Int)] = []
        var phonemes: [(symbol: String, sample: Int)] = []
        var cancelled = false
    }

    let sampleRate: Int

    init() throws(VoiceError) {
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Int32(espeakINITIALIZE_PHONEME_EVENTS))
        guard rate > 0 else { throw VoiceError.engineUnavailable("espeak-ng could not start (is espeak-ng-data installed?)") }
        sampleRate = Int(rate)
        espeak_SetSynthCallback(synthCallback)
    }

    /// Selects a voice by name (`en-us`), file (`gmw/en-US`) or language, with an optional
    /// `+variant` (`en-us+f3`). espeak-ng itself falls back to a loose match ("klingon" gives
    /// Greenlandic), so names are checked against the installed voices first.
    func setVoice(_ name: String) throws(VoiceError) {
        if !knownVoices.contains(name.split(separator: "+").first.map { String($0).lowercased() } ?? "") || espeak_SetVoiceByName(name) != EE_OK {
            throw VoiceError.unknownVoice(name, available: voices().map(\.name))
        }
    }

    private lazy var knownVoices: Set<String> = {
        var names: Set<String> = []
        for v in voices() {
            names.insert(v.name.lowercased())
            names.insert(v.identifier.lowercased())
            for l in v.languages { names.insert(l.lowercased()) }
        }
        return names
    }()

    func apply(_ p: Prosody) {
        espeak_SetParameter(espeakRATE, Int32(min(max(p.rate, 80), 450)), 0)
        espeak_SetParameter(espeakPITCH, Int32(min(max(p.pitch, 0), 100)), 0)
        espeak_SetParameter(espeakRANGE, Int32(min(max(p.range, 0), 100)), 0)
        espeak_SetParameter(espeakVOLUME, Int32(min(max(p.volume, 0), 200)), 0)
    }

    /// Synthesizes SSML; `shouldStop` is polled from espeak's callback so a cancel takes effect mid-sentence.
    func synthesize(ssml: String, shouldStop: @escaping @Sendable () -> Bool) -> Output {
        let sink = Sink(shouldStop: shouldStop)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        let flags = UInt32(espeakCHARS_UTF8 | espeakSSML)
        ssml.withCString { text in
            _ = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, flags, nil, context.toOpaque())
        }
        espeak_Synchronize()
        return sink.output
    }

    struct VoiceInfo: Sendable, Codable {
        var name: String
        var identifier: String
        var languages: [String]
    }

    func voices() -> [VoiceInfo] {
        guard var list = espeak_ListVoices(nil) else { return [] }
        var out: [VoiceInfo] = []
        while let voice = list.pointee {
            let v = voice.pointee
            var languages: [String] = []
            if var p = v.languages {
                // A list of (priority byte, zero-terminated name), ended by a zero priority.
                while p.pointee != 0 {
                    p += 1
                    let name = String(cString: p)
                    languages.append(name)
                    p += name.utf8.count + 1
                }
            }
            let identifier = v.identifier.map { String(cString: $0) } ?? ""
            // What a user types is the voice's first language code (en-us, cmn-latn-pinyin).
            let fileName = identifier.split(separator: "/").last.map(String.init) ?? identifier
            out.append(VoiceInfo(name: (languages.first ?? fileName).lowercased(), identifier: identifier, languages: languages))
            list += 1
        }
        return out
    }
}

/// Collects what the C callback delivers; reached through espeak's `user_data`.
private final class Sink {
    var output = EspeakEngine.Output()
    let shouldStop: @Sendable () -> Bool
    init(shouldStop: @escaping @Sendable () -> Bool) { self.shouldStop = shouldStop }
}

private func synthCallback(_ wav: UnsafeMutablePointer<Int16>?, _ count: Int32, _ events: UnsafeMutablePointer<espeak_EVENT>?) -> Int32 {
    guard let events, let user = events.pointee.user_data else { return 0 }
    let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
    var e = events
    while e.pointee.type != espeakEVENT_LIST_TERMINATED {
        let ev = e.pointee
        switch ev.type {
        case espeakEVENT_WORD:
            sink.output.words.append((Int(ev.text_position), Int(ev.length), Int(ev.sample)))
        case espeakEVENT_PHONEME:
            let symbol = withUnsafeBytes(of: ev.id.string) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            sink.output.phonemes.append((symbol, Int(ev.sample)))
        default:
            break
        }
        e += 1
    }
    if let wav, count > 0 { sink.output.samples.append(contentsOf: UnsafeBufferPointer(start: wav, count: Int(count))) }
    if sink.shouldStop() {
        sink.output.cancelled = true
        return 1
    }
    return 0
}
