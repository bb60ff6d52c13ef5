import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorStore
import ArgumentParser
import Foundation

/// `anchor bench analytics`: how fast air events are stored and how long the morning report
/// takes for a long, busy night (generated, through the same writer `anchor run` uses).
struct AnalyticsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "Analytics writes per second, and the morning report's time for 24 h of a busy channel.",
        discussion: """
        Generates a night — product segments every 5 minutes, questions at --per-minute (answers, \
        fallbacks, blocked, unanswered questions about shipping to Canada), gifts, likes, follows, \
        two reconnects, a spam burst — and records it through AnalyticsWriter as fast as it \
        takes it: the figure is events written per second. The caller's side (what the live \
        loop pays per event) is timed too. Then it times 'anchor stats' and 'anchor report' over \
        the whole window. Targets: ≥ 2 000 writes/s; report < 5 s for 24 h.

        With --state-db the night is kept (for trying the report); by default it goes to a \
        temporary folder. The stream side — analytics under load with a live channel — is \
        'anchor bench live --analytics-rate 2000'.
        """
    )

    @Option(help: "Hours of night to generate.")
    var hours = 24.0

    @Option(help: "Chat messages per minute.")
    var perMinute = 40

    @Option(name: .customLong("state-db"), help: ArgumentHelp("Keep the generated night in this database (it must not exist).", valueName: "path"))
    var stateDB: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Also write the report here.", valueName: "file"))
    var output: String?

    @Option(help: "Channel name.")
    var channel = "main"

    func validate() throws {
        guard hours > 0, hours <= 24 * 7 else { throw ValidationError("--hours takes 0 < h ≤ 168") }
        guard perMinute > 0, perMinute <= 10_000 else { throw ValidationError("--per-minute takes 1…10000") }
        if let stateDB, FileManager.default.fileExists(atPath: stateDB) { throw ValidationError("--state-db: \(stateDB) exists; give a new path") }
    }

    func run() async throws {
        let temp = try TemporaryFolder()
        let database = try AnchorDatabase(path: stateDB ?? temp.path + "/bench.db")
        let to = Date()
        let from = to.addingTimeInterval(-hours * 3600)
        let night = Self.generate(from: from, to: to, perMinute: perMinute)
        Terminal.error("generated \(night.events.count) air events and \(night.segments.count) segments over \(hours) h; writing…")

        // The replay index (segments) as 'anchor run' writes it.
        let air = AirLog(database: database, channel: channel)
        for s in night.segments { try await air.begin(show: "Scripts/overnight.show.md", segment: s.title, productSku: s.sku, at: s.at, file: nil, offsetSeconds: nil) }
        try await air.end(at: to)

        // Writes: as fast as the writer takes them, timed on the caller's side and until flushed.
        let writer = AnalyticsWriter(log: AnalyticsLog(database: database), channel: channel)
        var callNs: [Double] = []
        callNs.reserveCapacity(night.events.count)
        let started = ContinuousClock.now
        for e in night.events {
            let t0 = ContinuousClock.now
            writer.record(e.kind, at: e.date, productSku: e.productSku, source: e.source, detail: e.detail, topic: e.topic, language: e.language,
                          user: e.user, text: e.text, value: e.value, count: e.count)
            callNs.append((ContinuousClock.now - t0).inSeconds * 1e9)
        }
        await writer.flush()
        let writeSeconds = (ContinuousClock.now - started).inSeconds
        let status = writer.status
        callNs.sort()

        // The stats and the report over the whole window.
        let log = AnalyticsLog(database: database)
        let t1 = ContinuousClock.now
        let summary = try log.summary(channel: channel, from: from, to: to)
        let statsSeconds = (ContinuousClock.now - t1).inSeconds
        let findings = Analyst.findings(summary, rules: (try? ChatOptions.ruleBook(nil))?.rules.map(\.id))
        let page = NightReport.html([summary], findings: [findings], replayLink: nil)
        let reportSeconds = (ContinuousClock.now - t1).inSeconds
        if let output { try page.write(toFile: output, atomically: true, encoding: .utf8) }

        let rate = Double(status.written) / writeSeconds
        print(String(format: "anchor bench analytics — %.0f h of a channel at %d messages/min: %d air events, %d segments", hours, perMinute, night.events.count, night.segments.count))
        print(String(format: "  writes       %d written in %.2f s: %.0f events/s sustained (%d dropped) — target ≥ 2000/s — %@", status.written, writeSeconds, rate,
                     status.dropped, rate >= 2_000 && status.dropped == 0 ? "met" : "MISSED"))
        print(String(format: "  caller       record() p50 %.1f µs, p99 %.1f µs, max %.0f µs (what the live loop pays per event)",
                     callNs[callNs.count / 2] / 1000, callNs[Int(Double(callNs.count - 1) * 0.99)] / 1000, (callNs.last ?? 0) / 1000))
        print(String(format: "  stats        summary of the whole window in %.2f s", statsSeconds))
        print(String(format: "  report       %.2f s for %.0f h (%d findings, %.0f KB of HTML) — target < 5 s — %@", reportSeconds, hours, findings.count,
                     Double(page.utf8.count) / 1024, reportSeconds < 5 ? "met" : "MISSED"))
    }

    struct Night {
        var events: [AirEvent] = []
        var segments: [(at: Date, title: String, sku: String?)] = []
    }

    /// A busy night: products in 5-minute segments, questions, answers, viewer events, trouble.
    static func generate(from: Date, to: Date, perMinute: Int, channel: String = "main") -> Night {
        var rng = SeededRandom(seed: 7, text: "analytics")
        var night = Night()
        let products = ["NIGHT-101", "NIGHT-102", "NIGHT-103", "NIGHT-104", "NIGHT-105", "NIGHT-106"]
        let asked: [(text: String, source: String, topic: String, detail: String)] = [
            ("how much is it?", "facts", "price", "price"), ("is it in stock?", "facts", "stock", "stock"),
            ("what size is it?", "facts", "spec", "size"), ("hello!", "rule", "rule:greeting", "greeting"),
            ("thanks, just ordered", "rule", "rule:thanks", "thanks"), ("how long is shipping?", "rule", "rule:shipping", "shipping"),
            ("do you ship to canada?", "fallback", "general", "no rule or fact matched"), ("shipping to Canada?", "fallback", "general", "no rule or fact matched"),
            ("can I pay with paypal?", "fallback", "general", "no rule or fact matched"), ("is it vegan?", "fallback", "general", "no rule or fact matched"),
            ("buy followers cheap", "blocked", "blocked", "spam: 'buyfollowers'"), ("lol", "silence", "general", "too short"),
        ]
        let weights = [14, 10, 6, 8, 4, 6, 3, 2, 2, 2, 3, 2]
        let total = weights.reduce(0, +)
        var t = from.timeIntervalSince1970
        let end = to.timeIntervalSince1970
        var segmentEnd = t
        var k = 0
        var sku: String? = nil
        let dropProduct = "NIGHT-104"
        func event(_ kind: AirEvent.Kind, _ at: Double) -> AirEvent { AirEvent(channel: channel, at: at, kind: kind, show: "Scripts/overnight.show.md", productSku: sku) }
        while t < end {
            if t >= segmentEnd {
                sku = products[k % products.count]
                k += 1
                night.segments.append((Date(timeIntervalSince1970: t), "Product \(sku ?? "")", sku))
                var e = event(.segment, t); e.segment = "Product \(sku ?? "")"
                night.events.append(e)
                segmentEnd = t + 300
                if k % 3 == 0 { night.events.append(event(.link, t + 60)) }
                if k % 4 == 0 { var c = event(.countdown, t + 120); c.value = 10; night.events.append(c) }
            }
            // Messages arrive at the rate (a quiet product draws a fifth of it; a spam burst at hour 3).
            let hour = (t - from.timeIntervalSince1970) / 3600
            let rate = Double(perMinute) * (sku == dropProduct ? 0.2 : 1) * (hour >= 3 && hour < 3.05 ? 4 : 1)
            t += -log(max(1e-9, 1 - rng.unit())) * 60 / rate
            guard t < end else { break }
            var pick = rng.index(below: total), i = 0
            while pick >= weights[i] { pick -= weights[i]; i += 1 }
            var q = asked[i]
            if hour >= 3 && hour < 3.05 && rng.index(below: 3) > 0 { q = asked[10] }
            var e = event(.question, t)
            (e.source, e.topic, e.detail, e.text, e.user, e.language) = (q.source, q.topic, q.detail, q.text, "viewer\(rng.index(below: 5000))", "en")
            night.events.append(e)
            if q.source == "facts" || q.source == "rule" || q.source == "fallback" {
                var a = event(.answer, t + 1.2 + rng.unit() * 2); a.source = q.source; a.value = 1.2 + rng.unit() * 2
                night.events.append(a)
            }
            if q.source == "fallback" {
                var u = event(.unanswered, t); (u.text, u.user, u.language) = (q.text, e.user, "en")
                night.events.append(u)
            }
            // Viewer events at half the chat rate: likes, gifts, follows, joins.
            if rng.index(below: 2) == 0 {
                var v = event(.viewer, t + 0.5)
                switch rng.index(below: 10) {
                case 0...3: v.detail = "like"; v.count = 1 + rng.index(below: 20)
                case 4...5: v.detail = "gift"; v.value = Double(1 + rng.index(below: 50)); v.text = "rose"
                case 6...7: v.detail = "follow"
                default: v.detail = "join"
                }
                night.events.append(v)
            }
        }
        for frac in [0.31, 0.72] {
            var r = AirEvent(channel: channel, at: from.timeIntervalSince1970 + (end - from.timeIntervalSince1970) * frac, kind: .reconnect)
            (r.detail, r.text) = ("rtmp://live.example.com/app/****", "connection reset by peer")
            night.events.append(r)
        }
        night.events.sort { $0.at < $1.at }
        return night
    }
}
