import AnchorCore

/// Text preparation per language: how amounts are said, and which characters are spoken.
enum TextNormalizer {
    struct Replacement {
        var range: Range<Int>
        var spoken: String
        var isAmount: Bool
    }

    enum Class { case keep, space, drop }

    /// Control and format characters are dropped; emoji and other symbols become a pause-free space.
    static func classify(_ s: Unicode.Scalar) -> Class {
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return s == "\t" || s == "\n" ? .space : .drop
        case .otherSymbol, .modifierSymbol: return .space
        default: return s.properties.isEmojiPresentation ? .space : .keep
        }
    }

    private static let currencies: [Unicode.Scalar: (en: String, enOne: String, zh: String)] = [
        "$": ("dollars", "dollar", "美元"), "¥": ("yuan", "yuan", "元"), "￥": ("yuan", "yuan", "元"),
        "€": ("euros", "euro", "欧元"), "£": ("pounds", "pound", "英镑"),
    ]

    private static let units: [String: (en: String, enOne: String, zh: String)] = [
        "ml": ("milliliters", "milliliter", "毫升"), "l": ("liters", "liter", "升"), "g": ("grams", "gram", "克"),
        "kg": ("kilograms", "kilogram", "公斤"), "mg": ("milligrams", "milligram", "毫克"), "cm": ("centimeters", "centimeter", "厘米"),
        "mm": ("millimeters", "millimeter", "毫米"), "m": ("meters", "meter", "米"), "h": ("hours", "hour", "小时"),
        "min": ("minutes", "minute", "分钟"), "mah": ("milliamp hours", "milliamp hour", "毫安时"), "oz": ("ounces", "ounce", "盎司"),
        "lb": ("pounds", "pound", "磅"), "lbs": ("pounds", "pound", "磅"), "gb": ("gigabytes", "gigabyte", "G"), "w": ("watts", "watt", "瓦"),
    ]

    /// A unit right after a number (`30 ml`, `30ml`, `6 h`): where it ends and how it is said.
    static func measureUnit(_ s: [Unicode.Scalar], after j: Int, range: Range<Int>, language: Language, one: Bool) -> (Int, String)? {
        var k = j
        if k < range.upperBound, s[k] == " " { k += 1 }
        var word = ""
        var e = k
        while e < range.upperBound, s[e].isASCII, s[e].properties.isAlphabetic { word.unicodeScalars.append(s[e]); e += 1 }
        guard !word.isEmpty, let names = units[word.lowercased()] else { return nil }
        // "3 l" is a unit; "3 Lights" is not: the unit must end the word.
        if e < range.upperBound, s[e].properties.isAlphabetic { return nil }
        return (e, language == .zh ? names.zh : (one ? names.enOne : names.en))
    }

    /// `$32.90` → "32 dollars 90", `¥59` → "59 yuan" / "59元", `35%` → "百分之35" in Chinese.
    static func replacements(in s: [Unicode.Scalar], range: Range<Int>, language: Language) -> [Replacement] {
        var out: [Replacement] = []
        var i = range.lowerBound
        func isDigit(_ k: Int) -> Bool { k < range.upperBound && ("0"..."9").contains(s[k]) }
        while i < range.upperBound {
            if let names = currencies[s[i]], isDigit(i + 1) {
                var j = i + 1, whole = "", cents = ""
                while j < range.upperBound, isDigit(j) || (s[j] == "," && isDigit(j + 1)) {
                    if s[j] != "," { whole.unicodeScalars.append(s[j]) }
                    j += 1
                }
                if j + 2 <= range.upperBound, s[j] == ".", isDigit(j + 1) {
                    j += 1
                    while isDigit(j) { cents.unicodeScalars.append(s[j]); j += 1 }
                }
                let nonzeroCents = !cents.isEmpty && cents.contains { $0 != "0" }
                let spoken: String
                switch language {
                case .en:
                    let unit = whole == "1" && !nonzeroCents ? names.enOne : names.en
                    spoken = nonzeroCents ? "\(whole) \(unit) \(cents.count == 1 ? cents + "0" : cents)" : "\(whole) \(unit)"
                case .zh:
                    spoken = (nonzeroCents ? "\(whole).\(cents)" : whole) + names.zh
                }
                out.append(Replacement(range: i..<j, spoken: spoken, isAmount: true))
                i = j
                continue
            }
            if isDigit(i), i == range.lowerBound || !("0"..."9").contains(s[i - 1]) && s[i - 1] != "." {
                var j = i
                while isDigit(j) || (j < range.upperBound && (s[j] == "." || s[j] == ",") && isDigit(j + 1)) { j += 1 }
                let number = String(String.UnicodeScalarView(s[i..<j])).replacingOccurrences(of: ",", with: "")
                if j < range.upperBound, s[j] == "%" || s[j] == "％" {
                    out.append(Replacement(range: i..<(j + 1), spoken: language == .zh ? "百分之\(number)" : "\(number) percent", isAmount: true))
                    i = j + 1
                    continue
                }
                let unit = j < range.upperBound ? s[j] : nil
                if language == .zh, let unit, "元块".unicodeScalars.contains(unit) {
                    out.append(Replacement(range: i..<(j + 1), spoken: number + String(unit), isAmount: true))
                    i = j + 1
                    continue
                }
                if let (end, name) = measureUnit(s, after: j, range: range, language: language, one: number == "1") {
                    out.append(Replacement(range: i..<end, spoken: language == .zh ? number + name : "\(number) \(name)", isAmount: false))
                    i = end
                    continue
                }
                i = j
                continue
            }
            i += 1
        }
        return out
    }
}
