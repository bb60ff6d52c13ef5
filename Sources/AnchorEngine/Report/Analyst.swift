import AnchorChat
import AnchorStore
import Foundation

/// The night's analyst: findings computed from the summary — questions nobody could answer,
/// grouped by what they were about, with an FAQ entry drafted; products that drew questions but
/// no answers; segments where the chat went quiet; rules that never fired; bursts of blocked
/// messages; reconnects; slow answers. Nothing here is canned: a finding appears only when the
/// figures show it.
public enum Analyst {
    public struct Finding: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable {
            case unansweredTopic = "unanswered-topic", noAnswers = "no-answers", chatDropped = "chat-dropped", ruleNeverFired = "rule-never-fired"
            case blockedSpike = "blocked-spike", reconnects, slowAnswers = "slow-answers"
        }
        public var kind: Kind
        /// One sentence for the seller.
        public var title: String
        public var detail: String?
        /// A drafted fix (an FAQ entry, a rule) to paste and complete.
        public var draft: String?
        /// Higher first.
        public var weight: Double
    }

    /// A group of unanswered questions about one thing.
    public struct Cluster: Sendable, Equatable {
        public var term: String
        public var questions: [NightSummary.Unanswered]
        public var asked: Int { questions.reduce(0) { $0 + $1.count } }
        public var viewers: Int { questions.reduce(0) { $0 + max(1, $1.users) } }
    }

    /// Findings, most important first. `rules`: the rule ids the channel answers with (to find
    /// those that never fired); nil when unknown.
    public static func findings(_ s: NightSummary, rules: [String]? = nil) -> [Finding] {
        var out: [Finding] = []
        for c in clusters(s.unanswered) where c.asked >= 2 {
            let examples = c.questions.prefix(3).map { "“\($0.text)”" }.joined(separator: ", ")
            var bySku: [String: Int] = [:]
            for q in c.questions { if let sku = q.productSku { bySku[sku, default: 0] += q.count } }
            let sku = bySku.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            let who = c.viewers == 1 ? "1 viewer" : "\(c.viewers) viewers"
            out.append(Finding(kind: .unansweredTopic,
                               title: "\(who) asked about “\(c.term)” \(c.asked == c.viewers ? "" : "(\(c.asked) times) ")and no rule or FAQ covers it — add one.",
                               detail: "For example \(examples)" + (sku.map { ", mostly while \($0) was on air." } ?? "."),
                               draft: draft(c, sku: sku), weight: 100 + Double(c.asked)))
        }
        for p in s.products {
            let f = p.figures
            guard let sku = p.sku, f.answered == 0, f.fallback >= 2 else { continue }
            out.append(Finding(kind: .noAnswers, title: "\(sku) drew \(f.fallback) questions and none got an answer.",
                               detail: "Topics: " + (p.topics.isEmpty ? "general" : p.topics.prefix(4).map { "\($0.name) (\($0.count))" }.joined(separator: ", "))
                                   + ". Its catalog entry has no fact or FAQ that matches what viewers ask.",
                               draft: nil, weight: 90 + Double(f.fallback)))
        }
        let onAir = s.totals.minutesOnAir
        let average = onAir > 0 ? Double(s.totals.questions) / onAir : 0
        if average >= 0.5 {
            // Quiet segments, one finding per product (a looping show airs each many times).
            let quiet = s.segments.filter { $0.end.timeIntervalSince($0.start) >= 120 && $0.chatPerMinute < 0.4 * average }
            for (key, segs) in Dictionary(grouping: quiet, by: { $0.sku ?? $0.segment }) {
                let aired = s.segments.filter { ($0.sku ?? $0.segment) == key && $0.end.timeIntervalSince($0.start) >= 120 }.count
                let minutes = segs.reduce(0) { $0 + $1.end.timeIntervalSince($1.start) / 60 }
                let rate = Double(segs.reduce(0) { $0 + $1.questions }) / max(minutes, 0.01)
                let times = segs.prefix(4).map { "\(clock($0.start))–\(clock($0.end))" }.joined(separator: ", ") + (segs.count > 4 ? "…" : "")
                out.append(Finding(kind: .chatDropped,
                                   title: String(format: "Chat fell to %.1f/min during %@ (%@), against %.1f/min over the night.", rate, key,
                                                 segs.count == 1 ? times : "\(segs.count) of its \(aired) segments: \(times)", average),
                                   detail: "Segment “\(segs[0].segment)” of \(URL(fileURLWithPath: segs[0].show).lastPathComponent): try a question to viewers, a countdown or a lucky draw there.",
                                   draft: nil, weight: 60 + minutes / Double(segs.count)))
            }
        }
        if let rules, s.totals.questions >= 20 {
            let silent = rules.filter { s.rulesFired[$0] == nil }
            if !silent.isEmpty {
                out.append(Finding(kind: .ruleNeverFired, title: "\(silent.count) of \(rules.count) chat rules never fired in \(s.totals.questions) questions: "
                                       + silent.prefix(8).joined(separator: ", ") + (silent.count > 8 ? "…" : "") + ".",
                                   detail: "Their keywords may not be what viewers type; the unanswered questions above show what they do type.", draft: nil, weight: 30))
            }
        }
        for spike in blockedSpikes(s) {
            out.append(Finding(kind: .blockedSpike, title: "\(spike.count) messages were blocked between \(clock(spike.from)) and \(clock(spike.to)) (usually \(String(format: "%.1f", spike.usual)) a minute).",
                               detail: "Reasons tonight: " + s.blockedReasons.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                                   + ". A raid or a spam wave: check the review list for false positives.",
                               draft: nil, weight: 70 + Double(spike.count)))
        }
        let reconnects = s.marks.filter { $0.kind == "reconnect" }
        if !reconnects.isEmpty {
            out.append(Finding(kind: .reconnects, title: "The stream reconnected \(reconnects.count) time\(reconnects.count == 1 ? "" : "s"): "
                                   + reconnects.prefix(5).map { clock($0.at) }.joined(separator: ", ") + (reconnects.count > 5 ? "…" : "") + ".",
                               detail: reconnects.first.map { "First: \($0.detail)" }, draft: nil, weight: 80 + Double(reconnects.count)))
        }
        if let p90 = s.totals.latencyP90, p90 > 15 {
            out.append(Finding(kind: .slowAnswers, title: String(format: "One answer in ten took more than %.0f s from question to voice.", p90),
                               detail: "Answers wait for the end of a word and for answers before them; long queues mean more questions than the host can answer — shorter replies help.",
                               draft: nil, weight: 50))
        }
        return out.sorted { $0.weight > $1.weight }
    }

    /// Unanswered questions grouped by the word they share most: greedily, the term asked most
    /// often takes every question containing it, then the next. Function words never group.
    public static func clusters(_ questions: [NightSummary.Unanswered]) -> [Cluster] {
        var left = questions.map { ($0, Set(significantTerms($0.text))) }
        var out: [Cluster] = []
        while !left.isEmpty {
            var weight: [String: Int] = [:]
            for (q, terms) in left { for t in terms { weight[t, default: 0] += q.count } }
            // Ties go to the longer (more specific) word: "paypal" over "pay".
            guard let best = weight.max(by: { ($0.value, $0.key.count, $1.key) < ($1.value, $1.key.count, $0.key) }),
                  left.filter({ $0.1.contains(best.key) }).count >= 2 || best.value >= 2 else {
                out += left.map { Cluster(term: $0.0.text, questions: [$0.0]) }
                break
            }
            let (taken, rest) = (left.filter { $0.1.contains(best.key) }, left.filter { !$0.1.contains(best.key) })
            out.append(Cluster(term: best.key, questions: taken.map(\.0).sorted { $0.count > $1.count }))
            left = rest
        }
        return out.sorted { $0.asked > $1.asked }
    }

    static func significantTerms(_ text: String) -> [String] {
        ChatText.terms(text).filter { t in
            let han = t.unicodeScalars.allSatisfy(ChatText.isHan)
            // Chinese: character pairs carry the meaning; English: words of 3+ letters.
            return han ? t.unicodeScalars.count == 2 && !stopwords.contains(t) : t.count >= 3 && !stopwords.contains(t) && Int(t) == nil
        }
    }

    static let stopwords: Set<String> = [
        "the", "and", "you", "your", "yours", "are", "can", "does", "did", "what", "how", "when", "where", "which", "who", "why", "this", "that",
        "there", "for", "with", "have", "has", "will", "any", "about", "much", "many", "get", "not", "yes", "please", "pls", "too", "also",
        "still", "just", "one", "its", "from", "but", "was", "were", "would", "could", "should", "they", "them", "their", "then", "than",
        "some", "more", "most", "very", "really", "here", "now", "today", "tonight", "want", "need", "know", "like", "anyone", "guys",
        "可以", "什么", "怎么", "这个", "那个", "有没", "没有", "请问", "一下", "多少", "是不", "不是", "主播", "现在", "还有",
    ]

    /// An FAQ entry (the catalog's JSON) and a chat rule to paste and complete. A rule's
    /// "(SELLER: …)" is never spoken and `anchor check` flags it; the FAQ's answer must be
    /// written before it is imported.
    static func draft(_ c: Cluster, sku: String?) -> String {
        let question = c.questions.first?.text ?? c.term
        let zh = question.unicodeScalars.contains(where: ChatText.isHan)
        let id = "asked-" + c.term.lowercased().unicodeScalars.map { $0.properties.isAlphabetic || $0.properties.numericType != nil ? String($0) : "-" }.joined()
        return """
        # an FAQ entry for \(sku ?? "the product"): in its "faq" list in the catalog (write the answer first),
        # or type the answer beside the question in the console's Unanswered list
        {"q": \(quoted(question)), "a": "(SELLER: the answer)"}
        # or a chat rule, in Scripts/*.rules.yaml:
          - id: \(id)
            any: [\(quoted(c.term))]
            reply:
              \(zh ? "zh" : "en"): ["(SELLER: the answer)"]
        """
    }

    /// A JSON string (also a YAML one).
    static func quoted(_ s: String) -> String {
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    struct Spike { var from: Date; var to: Date; var count: Int; var usual: Double }

    /// Minutes (merged when at most a minute apart) with at least 10 blocked messages and four
    /// times the night's usual rate: chance alone rarely does that.
    static func blockedSpikes(_ s: NightSummary) -> [Spike] {
        let active = s.minutes.filter { $0.questions > 0 }
        guard !active.isEmpty else { return [] }
        let usual = Double(active.reduce(0) { $0 + $1.blocked }) / Double(active.count)
        var spikes: [Spike] = []
        for m in s.minutes where m.blocked >= 10 && Double(m.blocked) >= 4 * usual {
            if let last = spikes.last, m.start.timeIntervalSince(last.to) <= 60 {
                spikes[spikes.count - 1].to = m.start.addingTimeInterval(60)
                spikes[spikes.count - 1].count += m.blocked
            } else {
                spikes.append(Spike(from: m.start, to: m.start.addingTimeInterval(60), count: m.blocked, usual: usual))
            }
        }
        return spikes
    }

    static func clock(_ d: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "HH:mm"
        return f.string(from: d)
    }
}
