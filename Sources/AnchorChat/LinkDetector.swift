import Foundation

/// Finds links however they are written: `https://…`, `host.tld/path`, shorteners (`bit.ly`),
/// spelled out (`cheapdeals dot shop`, `bit ly slash abc`, `abc点com`, `deals。com`) and with
/// look-alike letters (`c0m`). Works on `ChatText.normalized`.
enum LinkDetector {
    static func find(in normalized: String) -> String? {
        let s = dotted(normalized)
        if s.contains("http://") || s.contains("https://") || s.contains("www.") || s.contains("://") { return "link" }
        let squeezed = s.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        let letters = String(String.UnicodeScalarView(squeezed))
        if let short = shorteners.first(where: letters.contains) { return "link (\(short))" }
        for candidate in [s, lookalikesRead(s)] where hostPattern.firstMatch(in: candidate, range: NSRange(candidate.startIndex..., in: candidate)) != nil {
            return "link"
        }
        return nil
    }

    /// Spelled-out dots and slashes made real: " dot ", "(dot)", "点", "。", " slash ".
    static func dotted(_ s: String) -> String {
        var out = s
        for (spelled, real) in [("(dot)", "."), ("[dot]", "."), (" dot ", "."), ("点", "."), ("。", "."), ("．", "."), ("｡", "."),
                                (" slash ", "/"), ("(slash)", "/")] {
            out = out.replacingOccurrences(of: spelled, with: real)
        }
        // "bit . ly / abc" → "bit.ly/abc"
        out = out.replacingOccurrences(of: #"\s*([./])\s*"#, with: "$1", options: .regularExpression)
        return out
    }

    static func lookalikesRead(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { ChatText.lookalikes[$0] ?? $0 }))
    }

    /// Link shorteners, as their letters run together ("bit ly" and "bit.ly" both read bitly).
    static let shorteners = ["bitly", "tinyurl", "cuttly", "rebrandly", "shorturl", "dwzcn", "urlcn", "owly"]

    static let tlds = ["com", "net", "org", "io", "cn", "ru", "xyz", "top", "shop", "info", "link", "me", "ly", "co", "cc", "tv",
                       "app", "store", "site", "online", "vip", "club", "live", "biz", "us", "uk", "de", "tk", "ml", "ga", "cf",
                       "gq", "one", "fun", "icu", "asia", "hk", "tw", "jp", "kr", "in", "gl", "gd", "to", "ws", "cam", "buzz", "win"]

    /// `name.tld` not followed by another letter: `cheapdeals.shop/xyz`, `abc.com`, `x.cn`.
    static let hostPattern = try! NSRegularExpression(pattern: #"(?<![a-z0-9])[a-z0-9][a-z0-9-]*\.("# + tlds.joined(separator: "|") + #")(?![a-z])"#)
}
