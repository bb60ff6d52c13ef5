import Foundation

/// Finds contact details a viewer tries to put on air: phone numbers (7 or more digits, with
/// or without separators; Chinese mobile numbers) and messaging IDs (WeChat, QQ, LINE,
/// Telegram, WhatsApp and their slang: wx, vx, v信, 威信, 扣扣) or an invitation to add one.
/// Works on `ChatText.normalized`.
enum ContactDetector {
    static func find(in normalized: String) -> String? {
        if longestDigitRun(normalized) >= 7 { return "contact: phone number" }
        let letters = String(String.UnicodeScalarView(normalized.unicodeScalars.filter { !$0.properties.isWhitespace && !ChatText.isPunctuation($0) }))
        if invitations.contains(where: letters.contains) { return "contact: invitation" }
        let words = normalized.split { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }.map(String.init)
        let mentionsApp = apps.contains(where: letters.contains) || words.contains { appWords.contains($0) }
        let atHandle = normalized.range(of: #"@[a-z0-9_]{3,}"#, options: .regularExpression) != nil
        if mentionsApp, words.contains(where: isHandle) || atHandle || longestDigitRun(normalized) >= 5 { return "contact: messaging id" }
        if words.contains(where: { w in ["wx", "vx"].contains { w.hasPrefix($0) && w.count >= 6 && w.dropFirst(2).allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } } }) {
            return "contact: messaging id"
        }
        return nil
    }

    /// The most digits in one run, where single spaces, dots, dashes and brackets may separate
    /// them (555-123-4567, 138 1234 5678, (555) 123.4567).
    static func longestDigitRun(_ s: String) -> Int {
        var best = 0, run = 0
        var gap = 0
        for c in s {
            if c.isASCII, c.isNumber { run += 1; gap = 0; best = max(best, run) }
            else if run > 0, gap == 0, [" ", "-", ".", "(", ")", "/"].contains(c) { gap = 1 }
            else { run = 0; gap = 0 }
        }
        return best
    }

    /// A handle: ASCII letters and digits together, five or more (wx123456, cheapdeal99). Not
    /// Chinese text with a numeral in it (一 is a number to Unicode: found by the fuzzer).
    static func isHandle(_ w: String) -> Bool {
        w.count >= 5 && w.contains { $0.isASCII && $0.isNumber } && w.contains { $0.isASCII && $0.isLetter }
    }

    /// Messaging apps, matched inside the text with spaces and punctuation removed.
    static let apps = ["wechat", "weixin", "微信", "威信", "薇信", "徽信", "维信", "v信", "vx", "扣扣", "企鹅号", "whatsapp", "telegram", "电报", "lineid", "qq号"]
    /// …and as whole words only (short ones would match inside ordinary words).
    static let appWords: Set<String> = ["wx", "qq", "line", "tg", "wa", "kakao", "ig", "insta", "snap"]
    /// Asking viewers to get in touch off the platform.
    static let invitations = ["加我", "加v", "加微", "加qq", "私聊我", "私信我", "联系我", "联系方式", "addme", "dmme", "textme", "callme", "whatsappme"]
}
