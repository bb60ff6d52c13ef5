import AnchorCore

/// Maps espeak-ng phoneme mnemonics (English and Mandarin) to visemes.
public enum VisemeMap {
    private static let exact: [String: Viseme] = [
        "p": .MBP, "b": .MBP, "m": .MBP, "ph": .MBP,
        "f": .FV, "v": .FV,
        "l": .L, "L": .L, "T": .L, "D": .L, "t": .L, "d": .L, "n": .L, "th": .L, "t#": .L, "d#": .L, "n-": .L, "l/": .L,
        "w": .WQ, "W": .WQ, "r": .WQ, "r-": .WQ, "R": .WQ, "@r": .WQ, "3:": .E,
        "u": .U, "u:": .U, "U": .U, "U@": .U, "y": .U, "Y": .U, "yu": .U, "y&": .U, "ue": .U, "uo": .O, "ua": .AI,
        "O": .O, "O:": .O, "OI": .O, "o": .O, "o@": .O, "oU": .O, "0": .O, "Q": .O, "o-": .O, "ou": .O,
        "a": .AI, "a:": .AI, "A": .AI, "A:": .AI, "aI": .AI, "aU": .AI, "Au": .AI, "a#": .AI, "&": .AI, "V": .AI, "ai": .AI, "au": .AI, "A@": .AI,
        "E": .E, "e": .E, "eI": .E, "e@": .E, "3": .E, "@": .E, "@L": .E, "@5": .E, "i": .E, "i:": .E, "I": .E, "I#": .E, "i@": .E, "iE": .E, "ei": .E,
    ]

    /// The viseme of one phoneme event; `nil` for language switches like `(en)`.
    public static func viseme(forPhoneme raw: String) -> Viseme? {
        if raw.hasPrefix("(") { return nil }
        if raw.hasPrefix("_") || raw.isEmpty { return .rest }
        // Stress marks are not part of the shape ("0" is a vowel, so digits stay).
        let symbol = String(String.UnicodeScalarView(raw.unicodeScalars.filter { !"',%=".unicodeScalars.contains($0) }))
        if let v = exact[symbol] { return v }
        let stripped = symbol.replacingOccurrences(of: ";", with: "").replacingOccurrences(of: ".", with: "")
        if let v = exact[stripped] { return v }
        // Diphthongs and Mandarin finals: the first vowel sets the shape.
        for s in stripped.unicodeScalars {
            switch s {
            case "a", "A", "&", "V": return .AI
            case "o", "O", "0", "Q": return .O
            case "u", "U", "y", "Y": return .U
            case "e", "E", "@", "i", "I", "3": return .E
            default: continue
            }
        }
        return .etc
    }
}
