/// The mouth shapes the avatar draws (the Preston Blair set). See docs/VOICE.md for the table.
public enum Viseme: String, Sendable, Codable, CaseIterable, Hashable {
    /// Closed, relaxed: silence and pauses.
    case rest
    /// Open jaw: a, ah, I (as in "I"), ow.
    case AI
    /// Spread lips: e, ee, i, schwa, er.
    case E
    /// Rounded open: o, aw, oy.
    case O
    /// Rounded small: oo, u, ü.
    case U
    /// Lips pressed: m, b, p. The mouth must close on these.
    case MBP
    /// Lower lip under the teeth: f, v.
    case FV
    /// Tongue up: l, th, t, d, n.
    case L
    /// Pursed: w, r.
    case WQ
    /// Other consonants: k, g, s, z, sh, ch, h, ng, Mandarin j/q/x/zh/ch/sh/z/c/s.
    case etc
}
