/// Parsers for values users type on the command line.
public enum Parse {
    /// `12.5s`, `750ms`, `1m30s`, `2h`, `7d`, `90` (seconds) → milliseconds.
    public static func milliseconds(_ s: String) -> Int? {
        let text = s.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { return nil }
        if let v = Double(text) { return v.isFinite && v >= 0 && v < 1e9 ? Int((v * 1000).rounded()) : nil }
        var total = 0.0, number = "", unit = ""
        func flush() -> Bool {
            guard let v = Double(number), v.isFinite, v >= 0 else { return false }
            switch unit {
            case "ms": total += v / 1000
            case "s": total += v
            case "m", "min": total += v * 60
            case "h": total += v * 3600
            case "d": total += v * 86_400
            default: return false
            }
            number = ""; unit = ""
            return true
        }
        for c in text {
            if c.isNumber || c == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(c)
            } else if c.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(c)
            } else {
                return nil
            }
        }
        guard flush(), total < 1e9 else { return nil }
        return Int((total * 1000).rounded())
    }

    /// `1280x720` → (1280, 720); both sides even, 64…7680.
    public static func size(_ s: String) -> (width: Int, height: Int)? {
        let parts = s.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]),
              (64...7680).contains(w), (64...7680).contains(h), w % 2 == 0, h % 2 == 0 else { return nil }
        return (w, h)
    }
}

import Foundation
