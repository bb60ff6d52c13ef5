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
