import AnchorCore
import Foundation

/// What the responder does with viewer events besides messages: paid messages are read out
/// (after the same moderation as chat), gifts, follows, shares, joins and likes are gathered
/// into thanks (`ThanksDesk`), in each viewer's language.
extension Responder {
    /// Takes one event: a message is decided as chat, a paid message gets its reading (or is
    /// blocked), the rest wait in the thanks desk (nil). `language` is the show's, for viewers
    /// who never wrote.
    public mutating func take(_ e: ViewerEvent, onScreen: String?, language: ChatText.ChatLanguage) -> Decision? {
        switch e.kind {
        case .message:
            return e.message.map { decide($0, onScreen: onScreen) }
        case .paidMessage:
            return paid(e, language: language)
        case .gift, .like, .follow, .share, .join:
            // Likes are thanked as a group: their names are never needed (and come by thousands).
            let name = e.kind == .like ? nil : moderator.speakableName(e.name ?? e.user)
            thanks.add(e, name: name, said: name.flatMap(moderator.saying), language: Self.language(of: e, known: languages[e.name ?? e.user], show: language))
            return nil
        }
    }

    /// The thanks due at `time` (at most one line, as the desk's policy allows), with the time
    /// of the first event it thanks.
    public mutating func dueThanks(at time: Double) -> (Decision, first: Double)? {
        guard let line = thanks.due(at: time) else { return nil }
        let zh = line.language == .zh
        let friend = rules.friend(line.language)
        let users = line.said == 0 && line.viewers == 1 ? friend : line.users
        let key: String, what: String
        switch line.kind {
        case .gift:
            key = "thanks_gift"
            what = Self.gifts(line.gift, count: line.count, zh: zh, moderator: moderator)
        case .follow: (key, what) = ("thanks_follow", zh ? "关注了直播间" : "followed")
        case .share: (key, what) = ("thanks_share", zh ? "分享了直播间" : "shared the room")
        case .join: (key, what) = ("thanks_join", zh ? "来了" : "joined")
        default: (key, what) = ("thanks_likes", zh ? "\(SpokenNumber.grouped(line.count))个赞" : "\(SpokenNumber.grouped(line.count)) likes")
        }
        let template = rules.template(key, line.language) ?? Self.lastResortThanks[key, default: "Thank you, {users}!"]
        let reply = RuleBook.speakable(template.replacingOccurrences(of: "{users}", with: users)
            .replacingOccurrences(of: "{gifts}", with: what).replacingOccurrences(of: "{count}", with: SpokenNumber.grouped(line.count)))
        var d = Decision(reply: reply, intent: .thanks, source: .thanks, detail: "\(line.kind.rawValue): \(line.viewers) viewers, \(line.count) in all",
                         productSKU: nil, language: line.language.rawValue, user: line.ids.prefix(20).joined(separator: ","),
                         question: what, seconds: 0, topic: "thanks:\(line.kind.rawValue)", displayName: line.kind == .like ? (zh ? "谢谢大家" : "Thank you all") : (line.shown.isEmpty ? friend : line.shown),
                         showsQuestion: true)
        d.mergedReply = nil
        return (d, line.first)
    }

    /// A paid message read out: "Ann sent $5: love this!"; blocked like chat when its words or
    /// its name's are not for air (the money is still thanked without them).
    mutating func paid(_ e: ViewerEvent, language: ChatText.ChatLanguage) -> Decision {
        let text = ChatText(e.text ?? "")
        let lang = text.squeezed.isEmpty ? Self.language(of: e, known: languages[e.name ?? e.user], show: language) : text.language
        let name = moderator.speakableName(e.name ?? e.user)
        let zh = lang == .zh
        // A code that is not one we know is said only when moderation lets it ("CNM" is not).
        let code = e.currency.flatMap { moderator.problem(in: ChatText($0)) == nil ? $0 : nil }
        let amount = Self.amount(e.amount ?? 0, currency: code, zh: zh)
        let friend = rules.friend(lang)
        let who = name.flatMap(moderator.saying) ?? friend
        func decision(_ reply: String?, _ source: Decision.Source, _ detail: String, shown: String) -> Decision {
            Decision(reply: reply, intent: .thanks, source: source, detail: detail, productSKU: nil, language: lang.rawValue, user: e.user,
                     question: shown, seconds: 0, topic: "paid", displayName: "\(name ?? friend) · \(amount)", showsQuestion: reply != nil)
        }
        // The words read are at most 200 characters.
        let message = String((e.text ?? "").prefix(200))
        let template = rules.template("paid_message", lang) ?? Self.lastResortThanks["paid_message", default: ""]
        let reply = RuleBook.speakable(template.replacingOccurrences(of: "{user}", with: who).replacingOccurrences(of: "{amount}", with: amount)
            .replacingOccurrences(of: "{text}", with: message))
        // The whole line that is read is moderated, not only the viewer's words: beside ours a
        // clean message can read as a blocked term (found by the fuzzer).
        let problem = text.squeezed.isEmpty ? nil : moderator.problem(in: text) ?? problem(in: reply, saying: who)
        guard let problem else { return decision(reply, .paid, "paid message", shown: message.isEmpty ? amount : message) }
        // The words are not read; the support is still thanked.
        let thanks = rules.template("thanks_gift", lang) ?? Self.lastResortThanks["thanks_gift", default: ""]
        let plain = RuleBook.speakable(thanks.replacingOccurrences(of: "{users}", with: who).replacingOccurrences(of: "{gifts}", with: amount))
        return decision(plain, .paid, "message blocked (\(problem)); thanked without it", shown: amount)
    }

    /// What moderation finds in a line the host would say, the names in it aside (they are
    /// moderated on their own, and beside our words a squeezed term could span the boundary).
    func problem(in line: String, saying names: String...) -> String? {
        moderator.problem(in: ChatText(Moderator.removing(names, from: line)))
    }

    /// The platform's word, the viewer's last message, or the show's language.
    static func language(of e: ViewerEvent, known: ChatText.ChatLanguage?, show: ChatText.ChatLanguage) -> ChatText.ChatLanguage {
        e.language.flatMap(ChatText.ChatLanguage.init(rawValue:)) ?? known ?? show
    }

    /// "the rose", "3 roses", "the gifts"; "玫瑰", "3个玫瑰", "礼物". A gift name moderation
    /// blocks is said as "gift".
    static func gifts(_ gift: String?, count: Int, zh: Bool, moderator: Moderator) -> String {
        guard let gift, moderator.problem(in: ChatText(gift)) == nil, moderator.speakableName(gift) != nil else {
            return zh ? (count > 1 ? "\(SpokenNumber.grouped(count))份礼物" : "礼物") : (count > 1 ? "\(SpokenNumber.grouped(count)) gifts" : "the gift")
        }
        if zh { return count > 1 ? "\(SpokenNumber.grouped(count))个\(gift)" : gift }
        return count > 1 ? "\(SpokenNumber.grouped(count)) \(plural(gift))" : "the \(gift)"
    }

    /// English plurals for gift names ("rose" → "roses", "lolly" → "lollies"); names in other
    /// scripts, or already plural, are kept.
    static func plural(_ word: String) -> String {
        guard let last = word.last, last.isASCII, last.isLetter else { return word }
        let lower = word.lowercased()
        if lower.hasSuffix("s") || lower.hasSuffix("x") || lower.hasSuffix("ch") || lower.hasSuffix("sh") {
            return lower.hasSuffix("s") ? word : word + "es"
        }
        if lower.hasSuffix("y"), let before = lower.dropLast().last, !"aeiou".contains(before) { return word.dropLast() + "ies" }
        return word + "s"
    }

    /// "$5", "€2.50", "30元", "12 GBP".
    static func amount(_ value: Double, currency: String?, zh: Bool) -> String {
        let number = SpokenNumber.amount(value)
        switch currency ?? "" {
        case "USD": return zh ? "\(number)美元" : "$" + number
        case "EUR": return zh ? "\(number)欧元" : "€" + number
        case "GBP": return zh ? "\(number)英镑" : "£" + number
        case "CNY", "RMB": return zh ? "\(number)元" : "¥" + number
        case "": return number
        default: return number + " " + (currency ?? "")
        }
    }

    /// Only for a rules book without templates (anchor's own rules file has them).
    static let lastResortThanks = ["thanks_gift": "Thank you {users} for {gifts}!", "thanks_follow": "Thanks for the follow, {users}!",
                                   "thanks_share": "Thanks for sharing the room, {users}!", "thanks_join": "Welcome in, {users}!",
                                   "thanks_likes": "Thank you for the {count} likes!", "paid_message": "{user} sent {amount}: {text}"]
}
