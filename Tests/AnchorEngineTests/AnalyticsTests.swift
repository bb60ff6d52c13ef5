import AnchorChat
import AnchorCore
@testable import AnchorEngine
@testable import AnchorStore
import AnchorTestSupport
import Foundation
import Testing

/// Air events stored as they happen, the night's summary, the analyst's findings and the report.
@Suite struct AnalyticsTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func event(_ kind: AirEvent.Kind, _ seconds: Double, sku: String? = "A", source: String? = nil, detail: String? = nil, topic: String? = nil,
               user: String? = nil, text: String? = nil, value: Double? = nil, count: Int? = nil) -> AirEvent {
        AirEvent(channel: "c", at: t0.timeIntervalSince1970 + seconds, kind: kind, productSku: sku, source: source, detail: detail, topic: topic,
                 language: "en", user: user, text: text, value: value, count: count)
    }

    func moment(_ sku: String?, _ from: Double, _ to: Double?, segment: String = "S") -> AirLog.Moment {
        AirLog.Moment(id: 0, show: "a.show.md", segment: segment, productSku: sku, startedAt: t0.addingTimeInterval(from), endedAt: to.map { t0.addingTimeInterval($0) })
    }

    @Test func theSummaryCountsPerProductAndMinute() {
        let events = [
            event(.question, 10, source: "facts", topic: "price"), event(.question, 20, source: "rule", detail: "greeting", topic: "rule:greeting"),
            event(.question, 30, source: "fallback", topic: "general", user: "u1", text: "Ship to Canada?"),
            event(.unanswered, 30, user: "u1", text: "Ship to Canada?"), event(.unanswered, 200, sku: "B", user: "u2", text: "ship to canada?"),
            event(.unanswered, 210, sku: "B", user: "u3", text: "ship to canada?"),
            event(.question, 70, source: "blocked", detail: "block list: 'idiot'"), event(.question, 75, source: "blocked", detail: "spam: 'clickhere'"),
            event(.answer, 12, source: "facts", value: 2), event(.answer, 25, source: "rule", value: 4), event(.answer, 34, source: "fallback", value: 6),
            event(.viewer, 40, detail: "gift", value: 5), event(.viewer, 41, detail: "like", count: 12), event(.link, 50), event(.countdown, 55, value: 10),
            event(.reconnect, 90, sku: nil, detail: "rtmp://x/app/****", text: "reset"),
        ]
        let s = NightSummary(channel: "c", events: events.sorted { $0.at < $1.at }, moments: [moment("A", 0, 120), moment("B", 120, nil)],
                             from: t0, to: t0.addingTimeInterval(240))
        let a = try! #require(s.products.first { $0.sku == "A" }).figures
        #expect(a.minutesOnAir == 2 && a.questions == 5 && a.facts == 1 && a.rule == 1 && a.fallback == 1 && a.blocked == 2)
        #expect(a.answeredShare == 2.0 / 3.0 && a.answersHeard == 3 && a.latencyP50 == 4 && a.latencyP90 == 6)
        #expect(a.viewer == ["gift": 1, "like": 1] && a.likes == 12 && a.giftValue == 5 && a.links == 1 && a.countdowns == 1)
        #expect(s.products.first { $0.sku == "B" }?.figures.minutesOnAir == 2, "an open moment runs to the end of the window")
        #expect(s.products.first { $0.sku == "A" }?.topics.map(\.name) == ["greeting", "price"])
        #expect(s.blockedReasons == ["block list": 1, "spam": 1], "reasons by kind: the blocked word stays out of reports")
        #expect(s.rulesFired == ["greeting": 1])
        #expect(s.minutes.count == 4 && s.minutes[0].questions == 3 && s.minutes[1].blocked == 2 && s.minutes[0].answers == 3)
        #expect(s.unanswered.count == 1 && s.unanswered[0].count == 3 && s.unanswered[0].users == 3)
        #expect(s.unanswered[0].productSku == "B", "the product on air most often when it was asked")
        #expect(s.marks.contains { $0.kind == "reconnect" && $0.detail.contains("reset") })
        #expect(s.segments.map(\.questions) == [5, 0])
    }

    @Test func theWriterStampsWhatIsOnAirKeepsRowsThroughAFailureAndNeverBlocks() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let db = try AnchorDatabase(path: dir.appendingPathComponent("s.db").path)
        let reports = Reports()
        let writer = AnalyticsWriter(log: AnalyticsLog(database: db), channel: "c", interval: .milliseconds(20)) { message, isError in reports.add(message, isError) }
        writer.enter(show: "a.show.md", segment: "Mugs", productSku: "MUG")
        writer.record(.question, source: "facts", text: "price?")
        writer.record(.link, productSku: "OTHER")
        await writer.flush()
        var rows = try AnalyticsLog(database: db).events(channel: "c", from: .distantPast)
        #expect(rows.map(\.kind) == [.segment, .question, .link])
        #expect(rows[1].show == "a.show.md" && rows[1].segment == "Mugs" && rows[1].productSku == "MUG" && rows[2].productSku == "OTHER")

        // The table gone (a broken database): rows wait, the failure is told once, and they are written when it is back.
        try await db.pool.write { try $0.execute(sql: "ALTER TABLE airEvent RENAME TO airEventAway") }
        for i in 0..<500 { writer.record(.question, source: "rule", text: "q\(i)") }
        await writer.flush()
        #expect(writer.status.error != nil && writer.status.pending == 500)
        #expect(reports.errors.count == 1, "\(reports.errors)")
        try await db.pool.write { try $0.execute(sql: "ALTER TABLE airEventAway RENAME TO airEvent") }
        try await Task.sleep(for: .milliseconds(1500)) // the retry is a second after the failure
        await writer.flush()
        rows = try AnalyticsLog(database: db).events(channel: "c", from: .distantPast)
        #expect(rows.count == 503 && writer.status.error == nil && writer.status.pending == 0)
        #expect(reports.infos.contains { $0.contains("written again") })

        // Past the capacity the oldest wait no longer (counted): memory stays bounded.
        let small = AnalyticsWriter(log: AnalyticsLog(database: db), channel: "d", capacity: 10, interval: .seconds(60))
        for i in 0..<25 { small.record(.question, text: "x\(i)") }
        #expect(small.status.pending == 10 && small.status.dropped == 15)
    }

    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var errors: [String] = []
        private(set) var infos: [String] = []
        func add(_ m: String, _ isError: Bool) { lock.withLock { if isError { errors.append(m) } else { infos.append(m) } } }
    }

    @Test func unansweredQuestionsAreGroupedByWhatTheyAsk() {
        func u(_ text: String, _ n: Int, _ sku: String? = "A") -> NightSummary.Unanswered {
            .init(text: text, count: n, language: "en", productSku: sku, users: n, last: t0)
        }
        let clusters = Analyst.clusters([u("do you ship to canada?", 5), u("Shipping to Canada??", 3, "B"), u("canada delivery time", 1),
                                         u("can I pay with paypal?", 2), u("paypal accepted?", 2), u("is it vegan?", 1)])
        #expect(clusters.map(\.term) == ["canada", "paypal", "is it vegan?"])
        #expect(clusters[0].asked == 9 && clusters[0].questions.count == 3)
        let s = NightSummary(channel: "c", events: [], moments: [], from: t0, to: t0.addingTimeInterval(60))
        var night = s
        night.unanswered = [u("do you ship to canada?", 5), u("Shipping to Canada??", 3, "B"), u("可以寄到加拿大吗", 2, "B"), u("加拿大能寄吗", 1, "B")]
        let findings = Analyst.findings(night)
        let canada = try! #require(findings.first)
        #expect(canada.kind == .unansweredTopic && canada.title.hasPrefix("8 viewers asked about “canada”"), "\(canada.title)")
        #expect(canada.draft?.contains(#"{"q": "do you ship to canada?", "a": "(SELLER: the answer)"}"#) == true && canada.draft?.contains("any: [\"canada\"]") == true)
        #expect(canada.detail?.contains("while A was on air") == true)
        #expect(findings.contains { $0.title.contains("“加拿”") || $0.title.contains("“拿大”") }, "Chinese questions group by character pairs: \(findings.map(\.title))")
    }

    @Test func theAnalystFindsQuietSegmentsSilentProductsSpikesAndDeadRules() {
        var events: [AirEvent] = []
        // 60 minutes: product A (0-30 min) busy at 4/min, product B (30-60) quiet at 0.25/min, all B's questions fallbacks.
        for m in 0..<30 { for k in 0..<4 { events.append(event(.question, Double(m * 60 + k * 10), source: k == 0 ? "rule" : "facts", detail: "greeting", topic: "price")) } }
        for m in stride(from: 30, to: 60, by: 4) { events.append(event(.question, Double(m * 60), sku: "B", source: "fallback", topic: "spec")) }
        // A spam wave at minute 10: 30 blocked in a minute.
        for k in 0..<30 { events.append(event(.question, 600 + Double(k), source: "blocked", detail: "spam: 'x'")) }
        events.sort { $0.at < $1.at }
        let s = NightSummary(channel: "c", events: events, moments: [moment("A", 0, 1800, segment: "Mugs"), moment("B", 1800, 3600, segment: "Teapots")],
                             from: t0, to: t0.addingTimeInterval(3600))
        let findings = Analyst.findings(s, rules: ["greeting", "returns", "shipping"])
        let kinds = Set(findings.map(\.kind))
        #expect(kinds == [.chatDropped, .noAnswers, .blockedSpike, .ruleNeverFired], "\(findings.map(\.title))")
        #expect(findings.first { $0.kind == .chatDropped }?.title.contains("during B") == true)
        #expect(findings.first { $0.kind == .noAnswers }?.title == "B drew 8 questions and none got an answer.")
        #expect(findings.first { $0.kind == .ruleNeverFired }?.title.contains("returns, shipping") == true)

        // A night where nothing went wrong says so: no canned findings.
        var calm: [AirEvent] = []
        for m in 0..<60 { calm.append(event(.question, Double(m * 60), source: "facts", topic: "price")) }
        let quiet = NightSummary(channel: "c", events: calm, moments: [moment("A", 0, 3600)], from: t0, to: t0.addingTimeInterval(3600))
        #expect(Analyst.findings(quiet, rules: nil).isEmpty)
    }

    /// Issue 22 found the latency export stopping for good once the kept latencies were trimmed:
    /// new ones are counted by the answers heard, which never go back.
    @Test func latenciesSinceAMarkSurviveTheTrim() throws {
        let chat = LiveChat(responder: Responder(index: try FactIndex(catalog: Catalog()), rules: try RuleBook(rules: [])))
        for _ in 0..<10_000 { chat.heard(.facts, after: 0.5) }
        let mark = chat.stats.answered
        for x in 1...5 { chat.heard(.facts, after: Double(x)) } // the first of these trims the list by half
        let stats = chat.stats
        #expect(stats.latencies.count == 5_005 && stats.answered == 10_005)
        #expect(Array(stats.latencies(since: mark)) == [1, 2, 3, 4, 5])
        #expect(stats.latencies(since: stats.answered).isEmpty)
        chat.heard(.thanks, after: 9) // thanks are counted apart
        #expect(chat.stats.latencies(since: stats.answered).isEmpty)
    }

    @Test func theReportIsOneSelfContainedFileForScreenPrintAndDarkMode() {
        let events = [event(.question, 10, source: "fallback", text: "<script>alert(1)</script>"), event(.unanswered, 10, text: "<script>alert(1)</script>"),
                      event(.unanswered, 20, text: "<b>ship</b> to canada?"), event(.unanswered, 30, text: "canada shipping?"), event(.answer, 12, value: 1)]
        let s = NightSummary(channel: "night <1>", events: events, moments: [moment("A", 0, 600)], from: t0, to: t0.addingTimeInterval(600))
        let html = NightReport.html([s], findings: [Analyst.findings(s)], replayLink: "replay/index.html")
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://") && !html.contains("src="),
                "no script and nothing fetched: it opens offline")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("night &lt;1&gt;"))
        #expect(html.contains("prefers-color-scheme:dark") && html.contains("@media print"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3, "the timeline and two product charts")
        #expect(html.contains("class=\"bar\"") && html.contains("class=\"seg s0\""))
        #expect(html.contains("href=\"replay/index.html\""))
        #expect(html.contains("asked about “canada”"))
    }
}
