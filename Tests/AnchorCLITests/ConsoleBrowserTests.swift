import AnchorTestSupport
import Foundation
import Testing

extension HeavyCLITests {
/// Issue 21 in a real browser: `anchor run` against nginx-rtmp, its console driven in headless
/// Chromium (Debian's chromium + chromium-driver through python3-selenium), then the replay page,
/// `anchor stats`, `anchor report` (in light, dark and print) and `anchor replay export`.
@Suite struct ConsoleBrowserTests {
    static let driver = TestSupport.path("Tests/Fixtures/console-browser.py")

    /// Runs the browser script; its JSON.
    static func browse(_ args: [String]) throws -> [String: Any] {
        let run = try TestSupport.tool("/usr/bin/python3", [driver] + args)
        let json = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard run.status == 0, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw Failure("the browser script failed (\(run.status)): \(run.stderr.suffix(1500)) \(run.stdout.suffix(500))")
        }
        return object
    }

    /// `ANCHOR_SCREENSHOTS=DIR`: the pages are saved there as PNG (how docs/screenshots was made).
    static var screenshots: [String] { ProcessInfo.processInfo.environment["ANCHOR_SCREENSHOTS"].map { [$0] } ?? [] }

    struct Failure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    static func sqlite(_ db: String, _ sql: String) throws -> String {
        try TestSupport.tool("sqlite3", [db, sql]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theConsoleDrivesTheShowAndTheNightIsReportedAndReplayed() throws {
        let nginx = try NginxRTMP()
        defer { nginx.stop() }
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let sched = try RunCLITests().schedule(in: dir, filler: TestSupport.path("Scripts/overnight.show.md"))
        let block = dir.appendingPathComponent("block.txt")
        try "badword\n".write(to: block, atomically: true, encoding: .utf8)
        let state = dir.appendingPathComponent("state.db").path
        let rec = dir.appendingPathComponent("rec").path
        let port = try TestSupport.freePort()
        // Bound to every address, as a console reached from another machine is: then reads (the
        // page, its feed, the picture, the recordings) want the token too, the strictest rules.
        let token = "console-" + UUID().uuidString.prefix(12)
        let run = try TestSupport.launchAnchor(["run", "--schedule", sched, "--push", "rtmp://127.0.0.1:\(nginx.port)/live/sk_console_secret", "--size", "320x180",
                                                "--record", rec, "--segment", "10s", "--control", "0.0.0.0:\(port)", "--token", token, "--state-db", state,
                                                "--blocklist", block.path])
        var ended = false
        defer { if !ended { run.signal(SIGKILL) } }
        let base = "http://127.0.0.1:\(port)"
        var onAir = false
        for _ in 0..<150 where !onAir {
            let (code, body) = (try? RunCLITests.http("GET", base + "/status", token: token)) ?? (0, "")
            onAir = code == 200 && body.contains("\"onAir\" : true")
            if !onAir { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(onAir, "never on air")
        #expect(try RunCLITests.http("GET", base + "/console/feed").0 == 401, "off loopback the feed wants the token")

        // The console, clicked through.
        let c = try Self.browse(["console", base, token] + Self.screenshots)
        #expect(c["connected"] as? Bool == true && c["tokenLeftTheURL"] as? Bool == true, "\(c)")
        #expect((c["chatAfter"] as? Double ?? 0) > (c["chatBefore"] as? Double ?? 0), "the chat chart did not rise after a message: \(c)")
        #expect((c["blockedShown"] as? String)?.contains("block list: 'badword'") == true, "\(c)")
        #expect(c["unblocked"] as? Bool == true, "\(c)")
        #expect(c["pausedBadge"] as? Bool == true && c["resumedBadge"] as? Bool == true, "\(c)")
        let paused = c["paused"] as? [String: Any] ?? [:]
        #expect(paused["status"] as? Bool == true, "\(paused)")
        #expect((paused["framesAfter"] as? Int ?? 0) > (paused["framesBefore"] as? Int ?? 0), "the picture goes on while the show holds")
        #expect(paused["positionAfter"] as? [String: Int] == paused["positionBefore"] as? [String: Int], "the show held its place while paused: \(paused)")
        #expect((c["sayResult"] as? String)?.contains("next word") == true, "\(c)")
        #expect(c["unansweredShown"] as? Bool == true && (c["faqResult"] as? String)?.contains("added to") == true, "\(c)")
        #expect((c["faqAnswered"] as? [Any])?.isEmpty == false, "the next viewer did not get the FAQ answer: \(c)")
        #expect((c["errors"] as? [Any])?.isEmpty == true, "browser console errors: \(c["errors"] ?? "")")

        // The replay page: a product node seeks the player into its chapter. Wait for a product
        // segment that began inside a recording that is complete (files roll every 10 s).
        let deadline = Date().addingTimeInterval(60)
        var seekable = false
        while !seekable, Date() < deadline {
            let (_, body) = try RunCLITests.http("GET", base + "/replay.json", token: token)
            let nodes = ((try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["nodes"] as? [[String: Any]]) ?? []
            seekable = nodes.contains { n in
                guard n["sku"] is String, (n["offset"] as? Double ?? 0) > 1, let media = n["media"] as? String else { return false }
                return FileManager.default.fileExists(atPath: rec + "/" + (media as NSString).lastPathComponent)
            }
            if !seekable { Thread.sleep(forTimeInterval: 1) }
        }
        #expect(seekable, "no product segment in a finished recording within 60 s")
        let r = try Self.browse(["replay", base + "/replay?token=" + token] + Self.screenshots)
        let node = try #require(r["node"] as? [String: Any], "no product node to seek to: \(r)")
        let offset = node["offset"] as? Double ?? -1, at = r["currentTime"] as? Double ?? -2
        let chapterEnd = node["next"] as? Double ?? (r["duration"] as? Double ?? 0)
        #expect(r["mediaError"] is NSNull, "the player could not play the recording: \(r)")
        #expect(at >= offset - 0.05 && at < chapterEnd, "currentTime \(at) not in the chapter [\(offset), \(chapterEnd))")
        #expect((r["card"] as? String)?.contains("$") == true, "the product card shows beside the player: \(r)")

        run.signal(SIGTERM)
        let out = run.wait(timeout: 20)
        ended = true
        #expect(out.status == 0, "\(out.stderr.suffix(800))")
        #expect(!(out.stdout + out.stderr).contains(token) && !(out.stdout + out.stderr).contains("sk_console_secret"))
        #expect(!out.stderr.contains("badword serum"), "a blocked message's text is never logged")

        // Say now was spoken: its answer is in the air log (and what the console typed is kept).
        let spoken = try Self.sqlite(state, "SELECT text FROM airEvent WHERE kind = 'answer' AND source = 'console'")
        #expect(spoken.contains("This line was typed at the console."), "say now never aired: '\(spoken)'")
        #expect(try Self.sqlite(state, "SELECT count(*) FROM airEvent WHERE kind = 'control' AND detail IN ('pause', 'resume', 'say', 'unblock', 'faq')") == "5")
        #expect(try Self.sqlite(state, "SELECT answer FROM operatorFAQ") == "Yes, it is fully vegan and cruelty free.")

        // anchor stats reads it back.
        let csv = try TestSupport.anchor(["stats", "--state-db", state, "--since", "1h", "--csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(rows.first)
        #expect(rows.dropFirst().allSatisfy { $0.count == header.count }, "\(csv.stdout)")
        func total(_ name: String) -> Int { header.firstIndex(of: name).map { i in rows.dropFirst().reduce(0) { $0 + (Int($1[i]) ?? 0) } } ?? -1 }
        // ann, bea (blocked, then let through), cat, dan; one blocked; cat's question a fallback; dan's answered from the new FAQ.
        #expect(total("questions") == 5 && total("blocked") == 1 && total("fallback") == 1 && total("answered_facts") >= 3, "\(csv.stdout)")
        #expect(total("unanswered") == 1, "\(csv.stdout)")

        // The morning report, in light, dark and print.
        let report = dir.appendingPathComponent("night.html").path
        let made = try TestSupport.anchor(["report", "--state-db", state, "--since", "1h", "-o", report])
        #expect(made.status == 0 && made.stdout.contains("wrote"), "\(made.stderr)")
        let page = try String(contentsOfFile: report, encoding: .utf8)
        #expect(page.contains("NIGHT-101") && page.contains("<svg"))
        let look = try Self.browse(["report", report] + Self.screenshots)
        let light = look["light"] as? [Any] ?? [], dark = look["dark"] as? [Any] ?? [], print = look["print"] as? [Any] ?? []
        #expect(light.first as? String == "rgb(255, 255, 255)" && dark.first as? String == "rgb(18, 18, 18)", "\(look)")
        #expect(print.first as? String == "rgb(255, 255, 255)" && print.dropFirst().first as? String == "rgb(51, 51, 51)", "print is ink on paper, even in dark mode: \(look)")
        #expect(light.dropFirst().first as? String != dark.dropFirst().first as? String, "the bars change colour in dark mode")
        #expect((look["svgs"] as? [Bool])?.allSatisfy { $0 } == true && (look["svgs"] as? [Bool])?.count == 3)

        // The replay as a static site, seeking from disk.
        let site = dir.appendingPathComponent("site").path
        let export = try TestSupport.anchor(["replay", "export", "--state-db", state, "--since", "1h", "-o", site])
        #expect(export.status == 0, "\(export.stderr)")
        let media = try FileManager.default.contentsOfDirectory(atPath: site + "/media")
        #expect(media.contains { $0.hasSuffix(".mp4") } && FileManager.default.fileExists(atPath: site + "/replay.json"), "\(media)")
        let offline = try Self.browse(["replay", "file://" + site + "/index.html"])
        #expect(offline["mediaError"] is NSNull && (offline["currentTime"] as? Double ?? -1) >= (((offline["node"] as? [String: Any])?["offset"] as? Double) ?? 0) - 0.05,
                "\(offline)")
    }
}
}
