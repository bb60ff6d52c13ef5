/// How a viewer's name is said aloud. Platform names carry long numbers ("viewer4979",
/// "v17368") that a voice reads as "four thousand nine hundred seventy-nine": an answer naming
/// three such viewers took twelve seconds. Runs of three or more digits are left out, `_ . -`
/// are spaces; what is drawn on screen keeps the name as written.
public enum SpokenName {
    /// The name to say, or nil when too little is left of it (the host says "friend").
    public static func of(_ name: String) -> String? {
        var out = ""
        var digits = ""
        func flushDigits() {
            if digits.count <= 2 { out += digits }
            digits = ""
        }
        for c in name {
            if c.isASCII, c.isNumber {
                digits.append(c)
                continue
            }
            flushDigits()
            out.append(c == "_" || c == "." || c == "-" ? " " : c)
        }
        flushDigits()
        let words = out.split(separator: " ").joined(separator: " ")
        return words.filter(\.isLetter).count >= 2 ? words : nil
    }
}

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
