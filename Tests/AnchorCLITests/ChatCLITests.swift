import AnchorTestSupport
import Foundation
import Testing

/// `anchor chat`, end to end through the CLI, over the shared fixture catalog.
@Suite struct ChatCLITests {
    static let catalog = TestSupport.sharedFixture("catalog.json")

    @Test func askExplainsItsAnswer() throws {
        let run = try TestSupport.anchor(["chat", "ask", "how much is the serum?", "--catalog", Self.catalog, "--no-log"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("HydraGlow Night Serum is $29.90 tonight, down from $49.90."))
        #expect(run.stdout.contains("intent price, from facts (price), product SKU-1001"))
        let json = try TestSupport.anchor(["chat", "ask", "苹果手机能用吗", "--product", "SKU-5003", "--json", "--catalog", Self.catalog, "--no-log"])
        let d = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(d["source"] as? String == "facts" && d["productSKU"] as? String == "SKU-5003" && d["language"] as? String == "zh")
        #expect((d["reply"] as? String)?.contains("安卓和苹果") == true)
        #expect((d["seconds"] as? Double ?? 1) < 0.5)
    }

    @Test func replayModeratesMergesAndAnswers() throws {
        let run = try TestSupport.anchor(["chat", "replay", TestSupport.sharedFixture("chat-sample.jsonl"), "--catalog", Self.catalog, "--no-log"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("spam_bot: cheap followers at www dot spam dot example  → blocked: link"))
        // As on air: mia's and kai's questions wait together behind the greeting and are answered once.
        #expect(run.stdout.contains("mia 23 and kai asked: HydraGlow Night Serum is $29.90 tonight"), "\(run.stdout)") // "mia_23" said as "mia 23"
        #expect(run.stdout.contains("virtual host"))
        // Nothing a viewer wrote is ever answered as markup or with an invented price.
        #expect(!run.stdout.contains("$0"))
    }

    @Test func evalPrintsAccuracy() throws {
        let run = try TestSupport.anchor(["chat", "eval", "Tests/Fixtures/chat-eval.jsonl", "--catalog", Self.catalog, "--no-log"])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stdout.split(separator: "\n").last { $0.hasPrefix("accuracy") })
        let percent = Double(line.split(separator: "=").last!.split(separator: "%").first!.trimmingCharacters(in: .whitespaces)) ?? 0
        #expect(percent >= 90, "\(run.stdout)")
    }

    /// Issue 16: what must never air, over messages written before the code that answers them
    /// (abuse, contact details, links in every spelling, reactions, accusations, injection,
    /// slang and pinyin): no must-not violation, and answered as expected at least 90 %.
    @Test(arguments: ["chat-safety.jsonl", "chat-heldout.jsonl", "chat-heldout2.jsonl"])
    func evalFindsNoMustNotViolations(_ file: String) throws {
        let run = try TestSupport.anchor(["chat", "eval", "Tests/Fixtures/" + file, "--catalog", Self.catalog, "--no-log"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("must-not violations: 0"), "\(run.stdout)")
        let line = try #require(run.stdout.split(separator: "\n").last { $0.hasPrefix("accuracy") })
        let percent = Double(line.split(separator: "=").last!.split(separator: "%").first!.trimmingCharacters(in: .whitespaces)) ?? 0
        #expect(percent >= 90, "\(run.stdout)")
    }

    /// A must-not in the eval file that the responder breaks is reported apart and fails the run.
    @Test func evalReportsViolationsApart() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let file = dir.appendingPathComponent("e.jsonl")
        try #"{"q": "how much is the serum", "kind": "answer", "expect_any": ["$29.90"], "must_not": ["29.90"]}"#.write(to: file, atomically: true, encoding: .utf8)
        let run = try TestSupport.anchor(["chat", "eval", file.path, "--catalog", Self.catalog, "--no-log"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("accuracy 1/1") && run.stdout.contains("must-not violations: 1"), "\(run.stdout)")
    }

    /// 2 000 messages in 10 s (a third of them reactions, abuse, chatter, questions in both
    /// languages): a handful of spoken answers, none for a reaction, each in its askers' language.
    @Test func aFloodIsAFewAnswers() throws {
        let run = try TestSupport.anchor(["chat", "replay", "Tests/Fixtures/chat-flood.jsonl", "--catalog", Self.catalog, "--no-log"])
        #expect(run.status == 0, "\(run.stderr)")
        let spoken = run.stdout.split(separator: "\n").filter { $0.contains("▶") }
        #expect(spoken.count >= 3 && spoken.count <= 20, "\(spoken.count) answers:\n\(spoken.joined(separator: "\n"))")
        let reactions = run.stdout.split(separator: "\n").filter { l in ["666", "扣1", "yyds", "❤️"].contains { l.contains(": \($0)  →") } }
        #expect(reactions.count > 100 && reactions.allSatisfy { $0.contains("→ silent: reaction") })
        for line in spoken {
            let zh = line.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
            let en = line.contains(" asked: ") || line.contains("Good question")
            #expect(!(zh && en), "mixed languages: \(line)")
        }
        #expect(run.stdout.contains("2000 messages: \(spoken.count) answers spoken"))
    }

    @Test func unansweredQuestionsAreListedForTheAuthor() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let db = dir.appendingPathComponent("chat.db").path
        for user in ["a", "b"] {
            #expect(try TestSupport.anchor(["chat", "ask", "can I pay with crypto?", "--user", user, "--catalog", Self.catalog, "--db", db]).status == 0)
        }
        _ = try TestSupport.anchor(["chat", "ask", "is there gift wrapping", "--catalog", Self.catalog, "--db", db])
        let list = try TestSupport.anchor(["chat", "unanswered", "--db", db])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.first?.contains("2×  can I pay with crypto?") == true, "\(list.stdout)")
        #expect(lines.contains { $0.contains("1×  is there gift wrapping") })
    }

    @Test func badInput() throws {
        let noCatalog = try TestSupport.anchor(["chat", "ask", "hi"], in: try TestSupport.temporaryDirectory())
        #expect(noCatalog.status == 1 && noCatalog.stderr.contains("no catalog"))
        let badProduct = try TestSupport.anchor(["chat", "ask", "hi", "--product", "NOPE", "--catalog", Self.catalog])
        #expect(badProduct.status == 64 && badProduct.stderr.contains("no product NOPE"))
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let log = dir.appendingPathComponent("bad.jsonl")
        try "{\"t\": 1, \"user\": \"a\", \"text\": \"hi\"}\nnot json\n".write(to: log, atomically: true, encoding: .utf8)
        let replay = try TestSupport.anchor(["chat", "replay", log.path, "--catalog", Self.catalog, "--no-log"])
        #expect(replay.status == 1 && replay.stderr.contains("bad.jsonl:2: not a JSON object"))
    }
}

/// `anchor schedule check` and `plan` on the shipped schedule and on broken ones.
@Suite struct ScheduleCLITests {
    @Test func shippedScheduleChecksAndPlans() throws {
        let check = try TestSupport.anchor(["schedule", "check", "Scripts/week.schedule.yaml"])
        #expect(check.status == 0 && check.stdout.contains("ok — 2 entries in Asia/Shanghai"), "\(check.stdout)\(check.stderr)")
        let plan = try TestSupport.anchor(["schedule", "plan", "Scripts/week.schedule.yaml", "--from", "2026-11-27 18:00", "--hours", "9"])
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("Fri 2026-11-27 22:30 → Sat 2026-11-28 02:00  demo-zh.show.md  [late night (zh)]"), "\(plan.stdout)")
        #expect(plan.stdout.contains("Fri 2026-11-27 18:00 → 19:00  overnight.show.md  (filler)"))
    }

    @Test func checkLooksAtRulesAndSchedulesInAFolderToo() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        try "rules:\n  - id: hello\n    any: [hi]\n".write(to: dir.appendingPathComponent("bad.rules.yaml"), atomically: true, encoding: .utf8)
        try "timezone: UTC\nentries:\n  - name: x\n    from: \"20:00\"\n    to: \"21:00\"\n    show: gone.show.md\n"
            .write(to: dir.appendingPathComponent("s.schedule.yaml"), atomically: true, encoding: .utf8)
        let run = try TestSupport.anchor(["check", dir.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("bad.rules.yaml:1:1: error:") && run.stderr.contains("rule 'hello' has no reply"), "\(run.stderr)")
        #expect(run.stderr.contains("s.schedule.yaml:3:5: error: the show \(dir.path)/gone.show.md does not exist"), "\(run.stderr)")
        let shipped = try TestSupport.anchor(["check", "Scripts/"])
        #expect(shipped.status == 0 && shipped.stdout.contains("Scripts/default.rules.yaml: ok") && shipped.stdout.contains("Scripts/week.schedule.yaml: ok"))
    }

    /// Issue 16: rules spoke "(SELLER: put your real … here.)" aloud. check warns where it is,
    /// and the reply is spoken without it.
    @Test func placeholderTextIsFlaggedAndNeverSpoken() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let rules = dir.appendingPathComponent("shop.rules.yaml")
        try "rules:\n  - id: ship\n    any: [shipping]\n    reply:\n      en: [\"[answer] We ship fast. (SELLER: put your real terms here.)\"]\n"
            .write(to: rules, atomically: true, encoding: .utf8)
        let check = try TestSupport.anchor(["check", dir.path])
        #expect(check.status == 0)
        #expect(check.stderr.contains("shop.rules.yaml:5:36: warning: rule 'ship' still has placeholder text (SELLER: put your real terms here.)"), "\(check.stderr)")
        let ask = try TestSupport.anchor(["chat", "ask", "what about shipping?", "--rules", rules.path, "--catalog", ChatCLITests.catalog, "--no-log"])
        #expect(ask.stdout.hasPrefix("We ship fast.\n"), "\(ask.stdout)")
    }

    @Test func brokenShowsAndMissingFilesAreErrors() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        try "---\ntitle: Broken\n---\n# Hi\n[prise] Only {product.price today\n".write(to: dir.appendingPathComponent("broken.show.md"), atomically: true, encoding: .utf8)
        let f = dir.appendingPathComponent("s.schedule.yaml")
        try "timezone: UTC\nfiller: missing.show.md\nentries:\n  - name: b\n    from: \"20:00\"\n    to: \"21:00\"\n    show: broken.show.md\n"
            .write(to: f, atomically: true, encoding: .utf8)
        let run = try TestSupport.anchor(["schedule", "check", f.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("broken.show.md:5:14: error"), "\(run.stderr)")
        #expect(run.stderr.contains("s.schedule.yaml:4:5: error: the show \(dir.path)/broken.show.md has errors; it would never air"), "\(run.stderr)")
        #expect(run.stderr.contains("missing.show.md does not exist"))
        let plan = try TestSupport.anchor(["schedule", "plan", f.path, "--from", "yesterday"])
        #expect(plan.status == 64 && plan.stderr.contains("--from takes a time like"))
    }
}
