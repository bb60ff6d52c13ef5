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
        #expect(run.stdout.contains("mia_23, kai and sam asked: HydraGlow Night Serum is $29.90 tonight"))
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
