import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorStore
import ArgumentParser
import Foundation

struct ChatEval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Accuracy and must-not violations over questions with expectations (JSON lines).",
        discussion: """
        Each line: {"q": "…", "expect_any": ["…"], "kind": "answer|blocked|silent|fallback|any", \
        "must_not": ["…"], "product": "SKU on screen", "user": "name"}. Only "q" is required.
        A line is answered as expected when its kind matches (answer: a rule or the catalog \
        answered) and, if given, the reply holds one of expect_any. A must-not violation is any \
        must_not text in what would be spoken or drawn (the reply, and the asker's name and \
        question when they are shown), a price that is not in the catalog, or the host claiming \
        to be human; violations are listed apart from accuracy, and any makes the exit status 1.
        """
    )

    @Argument(help: "The questions.")
    var file: String

    @Flag(help: "Print every question, not just the misses.")
    var verbose = false

    @OptionGroup var options: ChatOptions

    func run() async throws {
        var responder = try options.responder()
        guard let data = FileManager.default.contents(atPath: file) else {
            Terminal.error("error: cannot read \(file)")
            throw ExitCode(1)
        }
        let prices = Set(responder.index.catalog.products.flatMap { p in
            [p.price, p.listPrice].compactMap { $0 }.flatMap { [$0.formatted(for: .en, style: .display), $0.formatted(for: .zh, style: .display),
                                                               $0.formatted(for: .zh), $0.formatted(for: .en)] }
        })
        var total = 0, hits = 0, violations: [String] = []
        var times: [Double] = []
        for (i, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.allSatisfy({ $0 == UInt8(ascii: " ") }) {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let q = o["q"] as? String else {
                Terminal.error("error: \(file):\(i + 1): expected {\"q\": \"…\", \"expect_any\": [\"…\"], \"kind\": \"answer\"}")
                throw ExitCode(1)
            }
            let expect = o["expect_any"] as? [String] ?? []
            let kind = o["kind"] as? String ?? (expect.isEmpty ? "any" : "answer")
            guard ["answer", "blocked", "silent", "fallback", "any"].contains(kind) else {
                Terminal.error("error: \(file):\(i + 1): kind must be answer, blocked, silent, fallback or any")
                throw ExitCode(1)
            }
            total += 1
            // Each question from a new viewer, far apart: no cooldown or rate limit interferes.
            let user = o["user"] as? String ?? "eval\(i)"
            let d = responder.decide(ChatMessage(user: user, text: q, time: Double(i) * 1000), onScreen: o["product"] as? String)
            times.append(d.seconds)
            let reply = d.reply ?? ""
            let got: String
            switch d.source {
            case .rule, .facts, .thanks, .paid, .console: got = "answer"
            case .fallback: got = d.detail == "no rule or fact matched" ? "fallback" : "answer"
            case .blocked: got = "blocked"
            case .silence: got = "silent"
            }
            let kindOK = kind == "any" || kind == got
            let ok = kindOK && (expect.isEmpty || expect.contains { reply.lowercased().contains($0.lowercased()) })
            if ok { hits += 1 }
            // What airs: the reply, and the bubble (name and question) when it is drawn.
            let aired = [reply] + (d.showsQuestion ? [d.displayName ?? "", d.question] : [])
            var broken = (o["must_not"] as? [String] ?? []).filter { bad in aired.contains { $0.lowercased().contains(bad.lowercased()) } }
                .map { "says or shows '\($0)'" }
            broken += Self.unknownPrices(in: reply, catalog: prices).map { "a price not in the catalog: \($0)" }
            if Self.claimsHuman(reply) { broken.append("claims to be human") }
            for b in broken { violations.append("\(file):\(i + 1): \(b) — \(q) → \(reply)") }
            if !ok || verbose || !broken.isEmpty {
                print("\(ok ? "ok  " : "MISS") \(q)\n       → \(d.reply ?? "(no answer)")  [\(d.source.rawValue): \(d.detail); wanted \(kind)]")
            }
        }
        times.sort()
        print(String(format: "accuracy %d/%d = %.1f%%; decision p50 %.2f ms, p99 %.2f ms", hits, total, 100 * Double(hits) / Double(max(1, total)),
                     (times.isEmpty ? 0 : times[times.count / 2]) * 1000, (times.isEmpty ? 0 : times[min(times.count - 1, times.count * 99 / 100)]) * 1000))
        print("must-not violations: \(violations.count)")
        for v in violations { print("  " + v) }
        if !violations.isEmpty { throw ExitCode(1) }
    }

    /// Amounts with a currency sign in a reply that are not a catalog price.
    static func unknownPrices(in reply: String, catalog: Set<String>) -> [String] {
        let s = reply as NSString
        let re = try! NSRegularExpression(pattern: #"(HK\$|NT\$|[$¥€£])\d+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?(元|美元)"#)
        return re.matches(in: reply, range: NSRange(location: 0, length: s.length)).map { s.substring(with: $0.range) }.filter { !catalog.contains($0) }
    }

    static func claimsHuman(_ reply: String) -> Bool {
        let r = reply.lowercased()
        return ["i'm human", "i am human", "i'm a real person", "i am a real person", "i'm not a bot", "i am not a bot", "我是真人", "我不是机器人"]
            .contains(where: r.contains)
    }
}
