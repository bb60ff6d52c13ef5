import AnchorTestSupport
import Foundation
import Testing

/// `anchor stats` and `anchor report` over a generated night (`anchor bench analytics` writes it
/// through the same writer `anchor run` uses), and their errors.
@Suite struct AnalyticsCLITests {
    @Test func statsAndReportReadANight() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let db = dir.appendingPathComponent("night.db").path
        let bench = try TestSupport.anchor(["bench", "analytics", "--hours", "2", "--per-minute", "20", "--state-db", db])
        #expect(bench.status == 0 && bench.stdout.contains("events/s sustained (0 dropped)"), "\(bench.stderr)")

        let json = try TestSupport.anchor(["stats", "--state-db", db, "--since", "3h", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let summaries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let totals = try #require(summaries.first?["totals"] as? [String: Any])
        let questions = totals["questions"] as? Int ?? 0
        #expect((2_000...2_900).contains(questions), "20 a minute for 2 h, a fifth of it during one product: \(questions)")
        #expect(abs((totals["minutesOnAir"] as? Double ?? 0) - 120) < 1)
        #expect((summaries.first?["products"] as? [Any])?.count == 6)

        let text = try TestSupport.anchor(["stats", "--state-db", db, "--since", "3h"])
        #expect(text.stdout.contains("NIGHT-104") && text.stdout.contains("unanswered (most asked):") && text.stdout.contains("do you ship to canada?"))

        let report = dir.appendingPathComponent("night.html").path
        let made = try TestSupport.anchor(["report", "--state-db", db, "--since", "3h", "-o", report])
        #expect(made.status == 0 && made.stdout.contains("findings"), "\(made.stderr)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("asked about “canada”") && html.contains("Chat fell to") && html.contains("The stream reconnected 2 times"))
        #expect(html.contains("href=\"replay/index.html\""))
    }

    @Test func badInputIsAClearErrorBeforeAnythingIsRead() throws {
        let missing = try TestSupport.anchor(["stats", "--state-db", "/nonexistent/anchor.db"])
        #expect(missing.status == 64 && missing.stderr.contains("no state database at /nonexistent/anchor.db"), "\(missing.stderr)")
        let since = try TestSupport.anchor(["report", "--since", "soon", "-o", "x.html"])
        #expect(since.status == 64 && since.stderr.contains("--since: 'soon' is not a duration"), "\(since.stderr)")
        let both = try TestSupport.anchor(["stats", "--json", "--csv"])
        #expect(both.status == 64 && both.stderr.contains("not both"))
        let help = try TestSupport.anchor(["report", "--help"])
        #expect(help.stdout.contains("analyst") && help.stdout.contains("anchor report -o night.html"))
    }
}
