/// The languages a show can be written and spoken in.
public enum Language: String, Sendable, Codable, CaseIterable, Hashable {
    case en, zh

    /// The espeak-ng voice used when a show names none. Mandarin uses `cmn-latn-pinyin`: the
    /// plain `cmn` voice reads its own pinyin with English rules ("yuan two").
    public var defaultVoice: String {
        switch self {
        case .en: return "en-us"
        case .zh: return "cmn-latn-pinyin"
        }
    }

    /// Whether a Unicode scalar is a Han (Chinese) character.
    public static func isHan(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }
}
