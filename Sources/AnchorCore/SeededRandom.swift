/// Reproducible choices: the same seed and the same place in a show always pick the same variant,
/// and editing one line does not reshuffle the others.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Keyed by the text of the line (not its number), so inserting a line elsewhere
    /// changes no other line's choice.
    public init(seed: UInt64, text: String = "", _ keys: Int...) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        for k in keys {
            var v = UInt64(bitPattern: Int64(k))
            for _ in 0..<8 {
                h = (h ^ (v & 0xFF)) &* 0x100_0000_01b3
                v >>= 8
            }
        }
        state = h
    }

    /// SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func index(below n: Int) -> Int {
        n <= 1 ? 0 : Int(next() % UInt64(n))
    }

    /// A uniform number in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
