/// Numbers as the host says them: grouped ("12,000", "1,234,567.50"), which reads better and
/// is never taken for a phone number (seven bare digits are; found by the fuzzer).
public enum SpokenNumber {
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Whole amounts without decimals, others with two.
    public static func amount(_ value: Double) -> String {
        let cents = Int((value * 100).rounded())
        let whole = grouped(cents / 100)
        return cents % 100 == 0 ? whole : whole + String(format: ".%02d", cents % 100)
    }
}
