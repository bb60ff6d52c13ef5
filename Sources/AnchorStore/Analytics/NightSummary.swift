import Foundation

/// What a channel did between two times, per product, segment and minute: the figures of
/// `anchor stats` and the morning report, computed from the air events and the replay index.
public struct NightSummary: Sendable, Codable {
    public var channel: String
    public var from: Date
    public var to: Date
    public var totals: Figures
    /// Per product on air (nil: segments without one), most minutes first.
    public var products: [ProductFigures]
    /// Each segment as it aired, in order.
    public var segments: [SegmentFigures]
    /// One entry per minute from `from` to `to`.
    public var minutes: [Minute]
    /// Unanswered questions grouped by text (case-insensitively), most asked first.
    public var unanswered: [Unanswered]
    /// Answers, fallbacks, reconnects, problems and commands, with their times.
    public var marks: [Mark]
    /// Rule ids and how often each answered.
    public var rulesFired: [String: Int]
    /// Blocked messages by reason.
    public var blockedReasons: [String: Int]

    /// Counts shared by the whole night, a product and a segment.
    public struct Figures: Sendable, Codable, Equatable {
        public var minutesOnAir = 0.0
        public var questions = 0
        /// Answered by a rule, by catalog facts; a fallback ("I'll find out"); blocked; left silent.
        public var rule = 0, facts = 0, fallback = 0, blocked = 0, silent = 0
        /// Answers (and thanks) heard in the stream, and seconds from question to answer.
        public var answersHeard = 0
        public var latencyP50: Double?
        public var latencyP90: Double?
        public var unanswered = 0
        /// Viewer events by kind, likes, and gifts' worth.
        public var viewer: [String: Int] = [:]
        public var likes = 0
        public var giftValue = 0.0
        public var links = 0, countdowns = 0
        public var answered: Int { rule + facts }
        /// Share of questions (not blocked, not silent) answered by a rule or facts.
        public var answeredShare: Double? {
            let asked = rule + facts + fallback
            return asked > 0 ? Double(answered) / Double(asked) : nil
        }
        public var questionsPerMinute: Double? { minutesOnAir > 0.05 ? Double(questions) / minutesOnAir : nil }
    }

    public struct ProductFigures: Sendable, Codable {
        public var sku: String?
        public var figures: Figures
        /// The kinds of question asked (price, stock, shipping…), most first.
        public var topics: [Count]
    }

    public struct SegmentFigures: Sendable, Codable {
        public var show: String
        public var segment: String
        public var sku: String?
        public var start: Date
        public var end: Date
        public var questions: Int
        public var chatPerMinute: Double
    }

    public struct Minute: Sendable, Codable, Equatable {
        public var start: Date
        public var questions = 0, answers = 0, fallbacks = 0, blocked = 0, viewer = 0
    }

    public struct Unanswered: Sendable, Codable, Equatable {
        public var text: String
        public var count: Int
        public var language: String
        /// The product on air most often when it was asked.
        public var productSku: String?
        /// Distinct askers.
        public var users: Int
        public var last: Date
        public init(text: String, count: Int, language: String, productSku: String?, users: Int, last: Date) {
            (self.text, self.count, self.language, self.productSku, self.users, self.last) = (text, count, language, productSku, users, last)
        }
    }

    public struct Mark: Sendable, Codable, Equatable {
        public var at: Date
        public var kind: String
        public var detail: String
    }

    public struct Count: Sendable, Codable, Equatable {
        public var name: String
        public var count: Int
    }

    public init(channel: String, events: [AirEvent], moments: [AirLog.Moment], from: Date, to: Date) {
        self.channel = channel
        self.from = from
        self.to = to
        let clip = { (d: Date) in min(max(d, from), to) }
        // Time on air from the replay index, cut to the window.
        var minutesBySku: [String?: Double] = [:]
        var segments: [SegmentFigures] = []
        for m in moments {
            let start = clip(m.startedAt), end = clip(m.endedAt ?? to)
            guard end > start else { continue }
            minutesBySku[m.productSku, default: 0] += end.timeIntervalSince(start) / 60
            segments.append(SegmentFigures(show: m.show, segment: m.segment, sku: m.productSku, start: start, end: end, questions: 0, chatPerMinute: 0))
        }
        var total = Figures()
        var bySku: [String?: Figures] = [:]
        var topics: [String?: [String: Int]] = [:]
        var latencies: [String?: [Double]] = [:]
        var allLatencies: [Double] = []
        let minuteCount = max(1, Int((to.timeIntervalSince(from) / 60).rounded(.up)))
        var minutes = (0..<min(minuteCount, 60 * 24 * 31)).map { Minute(start: from.addingTimeInterval(Double($0) * 60)) }
        var unanswered: [String: Unanswered] = [:]
        var unansweredUsers: [String: Set<String>] = [:]
        var unansweredProducts: [String: [String: Int]] = [:]
        var marks: [Mark] = []
        var rules: [String: Int] = [:]
        var reasons: [String: Int] = [:]
        var segmentIndex = 0

        func minute(_ e: AirEvent) -> Int? {
            let i = Int((e.at - from.timeIntervalSince1970) / 60)
            return minutes.indices.contains(i) ? i : nil
        }
        for e in events {
            let sku = e.productSku
            var f = bySku[sku] ?? Figures()
            let m = minute(e)
            switch e.kind {
            case .question:
                f.questions += 1; total.questions += 1
                if let m { minutes[m].questions += 1 }
                while segmentIndex + 1 < segments.count, segments[segmentIndex + 1].start.timeIntervalSince1970 <= e.at { segmentIndex += 1 }
                if segments.indices.contains(segmentIndex), segments[segmentIndex].start.timeIntervalSince1970 <= e.at { segments[segmentIndex].questions += 1 }
                switch e.source {
                case "rule": f.rule += 1; total.rule += 1; rules[e.detail ?? "?", default: 0] += 1
                case "facts": f.facts += 1; total.facts += 1
                case "fallback":
                    f.fallback += 1; total.fallback += 1
                    if let m { minutes[m].fallbacks += 1 }
                    marks.append(Mark(at: e.date, kind: "fallback", detail: e.text ?? ""))
                case "blocked":
                    f.blocked += 1; total.blocked += 1
                    if let m { minutes[m].blocked += 1 }
                    reasons[Self.reasonKind(e.detail ?? "?"), default: 0] += 1
                default: f.silent += 1; total.silent += 1
                }
                if let t = e.topic, e.source != "blocked", t != "general" {
                    topics[sku, default: [:]][t.hasPrefix("rule:") ? String(t.dropFirst(5)) : t, default: 0] += 1
                }
            case .answer:
                f.answersHeard += 1; total.answersHeard += 1
                if let m { minutes[m].answers += 1 }
                if let v = e.value { latencies[sku, default: []].append(v); allLatencies.append(v) }
                marks.append(Mark(at: e.date, kind: "answer", detail: e.source ?? ""))
            case .unanswered:
                f.unanswered += 1; total.unanswered += 1
                let key = (e.text ?? "").lowercased()
                var u = unanswered[key] ?? Unanswered(text: e.text ?? "", count: 0, language: e.language ?? "en", productSku: sku, users: 0, last: e.date)
                u.count += 1
                u.last = max(u.last, e.date)
                unanswered[key] = u
                if let user = e.user { unansweredUsers[key, default: []].insert(user) }
                unansweredProducts[key, default: [:]][sku ?? "", default: 0] += 1
            case .viewer:
                let kind = e.detail ?? "event"
                f.viewer[kind, default: 0] += 1; total.viewer[kind, default: 0] += 1
                if kind == "like" { f.likes += e.count ?? 1; total.likes += e.count ?? 1 }
                if let v = e.value, kind == "gift" { f.giftValue += v; total.giftValue += v }
                if let m { minutes[m].viewer += 1 }
            case .link: f.links += 1; total.links += 1
            case .countdown: f.countdowns += 1; total.countdowns += 1
            case .segment: break
            case .reconnect, .problem, .control:
                marks.append(Mark(at: e.date, kind: e.kind.rawValue, detail: [e.detail, e.text].compactMap { $0 }.joined(separator: ": ")))
            }
            bySku[sku] = f
        }
        for (sku, minutes) in minutesBySku { bySku[sku, default: Figures()].minutesOnAir = minutes; total.minutesOnAir += minutes }
        for (sku, list) in latencies {
            bySku[sku, default: Figures()].latencyP50 = Self.percentile(list, 0.5)
            bySku[sku, default: Figures()].latencyP90 = Self.percentile(list, 0.9)
        }
        (total.latencyP50, total.latencyP90) = (Self.percentile(allLatencies, 0.5), Self.percentile(allLatencies, 0.9))
        for i in segments.indices {
            let length = segments[i].end.timeIntervalSince(segments[i].start) / 60
            segments[i].chatPerMinute = length > 0 ? Double(segments[i].questions) / length : 0
        }
        totals = total
        // Events that only mark time (a reconnect between segments) do not make a product row.
        products = bySku.filter { _, f in f.minutesOnAir > 0 || f.questions > 0 || !f.viewer.isEmpty || f.answersHeard > 0 || f.unanswered > 0 }.map { sku, f in
            ProductFigures(sku: sku, figures: f, topics: (topics[sku] ?? [:]).map { Count(name: $0.key, count: $0.value) }.sorted { ($0.count, $1.name) > ($1.count, $0.name) })
        }.sorted { ($0.figures.minutesOnAir, $0.figures.questions, $1.sku ?? "") > ($1.figures.minutesOnAir, $1.figures.questions, $0.sku ?? "") }
        self.segments = segments
        self.minutes = minutes
        self.unanswered = unanswered.map { key, u in
            var u = u
            u.users = unansweredUsers[key]?.count ?? 0
            // The product on air most often when it was asked.
            let sku = unansweredProducts[key]?.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            u.productSku = sku.flatMap { $0.isEmpty ? nil : $0 }
            return u
        }
            .sorted { ($0.count, $0.last) > ($1.count, $1.last) }
        self.marks = marks
        rulesFired = rules
        blockedReasons = reasons
    }

    /// "block list: 'x'" → "block list" (the term stays out of reports and charts).
    static func reasonKind(_ detail: String) -> String {
        String(detail.split(separator: ":", maxSplits: 1).first ?? Substring(detail)).trimmingCharacters(in: .whitespaces)
    }

    static func percentile(_ xs: [Double], _ p: Double) -> Double? {
        guard !xs.isEmpty else { return nil }
        let sorted = xs.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}

extension AnalyticsLog {
    /// The summary of one channel between two times.
    public func summary(channel: String, from: Date, to: Date = Date()) throws -> NightSummary {
        let events = try events(channel: channel, from: from, to: to)
        let moments = try AirLog(database: database, channel: channel).moments(overlapping: from, to: to)
        return NightSummary(channel: channel, events: events, moments: moments, from: from, to: to)
    }
}
