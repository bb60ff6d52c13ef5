import AnchorCore

/// How a line is spoken: espeak-ng's rate, pitch, range and volume, and the silences it leaves.
public struct Prosody: Sendable, Hashable, Codable {
    /// Words per minute (espeak-ng's default is 175).
    public var rate: Int
    /// Base pitch, 0–100 (default 50).
    public var pitch: Int
    /// Pitch range, 0–100 (default 50): how lively the melody is.
    public var range: Int
    /// Volume, 0–200 (default 100).
    public var volume: Int
    /// Silence after each sentence of the line, in milliseconds.
    public var sentencePause: Int

    public init(rate: Int, pitch: Int, range: Int, volume: Int, sentencePause: Int) {
        self.rate = rate; self.pitch = pitch; self.range = range; self.volume = volume; self.sentencePause = sentencePause
    }

    public static let neutral = Prosody(rate: 165, pitch: 50, range: 55, volume: 100, sentencePause: 280)

    /// Price is slower with a lift on the number; urgency faster and higher; calm slower and lower;
    /// greet warm and lively.
    public static func forIntent(_ intent: Intent, language: Language) -> Prosody {
        var p: Prosody
        switch intent {
        case .greet: p = Prosody(rate: 168, pitch: 58, range: 72, volume: 105, sentencePause: 300)
        case .introduce: p = Prosody(rate: 162, pitch: 53, range: 62, volume: 100, sentencePause: 300)
        case .feature: p = Prosody(rate: 162, pitch: 50, range: 56, volume: 100, sentencePause: 280)
        case .price: p = Prosody(rate: 145, pitch: 54, range: 66, volume: 108, sentencePause: 350)
        case .urgency: p = Prosody(rate: 200, pitch: 64, range: 76, volume: 115, sentencePause: 170)
        case .cta: p = Prosody(rate: 172, pitch: 56, range: 66, volume: 110, sentencePause: 240)
        case .answer: p = Prosody(rate: 160, pitch: 50, range: 56, volume: 100, sentencePause: 280)
        case .thanks: p = Prosody(rate: 158, pitch: 55, range: 66, volume: 100, sentencePause: 300)
        case .chat: p = Prosody(rate: 166, pitch: 52, range: 60, volume: 100, sentencePause: 280)
        case .transition: p = Prosody(rate: 172, pitch: 50, range: 55, volume: 100, sentencePause: 250)
        case .calm: p = Prosody(rate: 132, pitch: 40, range: 38, volume: 90, sentencePause: 420)
        }
        // espeak-ng's Mandarin at the same rate sounds hurried; syllables need more time.
        if language == .zh { p.rate = p.rate * 85 / 100 }
        return p
    }

    /// Loudness relative to the −16 LUFS target, in dB: urgency and calls to action stand out,
    /// calm lines sit back. (espeak's own volume changes are normalized away with the clip.)
    public static func loudnessOffset(_ intent: Intent) -> Double {
        switch intent {
        case .urgency: return 1.0
        case .cta, .price, .greet: return 0.5
        case .calm: return -2.0
        default: return 0
        }
    }

    /// SSML attributes for a `*stressed*` span: louder, higher, a little slower.
    static let stressMarkup = #"<prosody pitch="+30%" volume="+60%" rate="-10%">"#
    /// The lift on amounts in price lines.
    static let priceLiftMarkup = #"<prosody pitch="+18%" volume="+25%">"#
}
