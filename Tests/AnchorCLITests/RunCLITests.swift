import AnchorTestSupport
import Foundation
import Testing

extension HeavyCLITests {
/// `anchor run` as a seller leaves it overnight: a real nginx-rtmp ingest on 127.0.0.1, the
/// control port driven with curl, kill -9 and SIGTERM, a recording checked with ffprobe.
@Suite struct RunCLITests {
    /// An HTTP call to the control port: status code and body.
    static func http(_ method: String, _ url: String, body: String? = nil, token: String? = nil) throws -> (Int, String) {
        var args = ["-s", "-m", "5", "-X", method, "-w", "\n%{http_code}", url]
        if let body { args += ["-H", "Content-Type: application/json", "-d", body] }
        if let token { args += ["-H", "Authorization: Bearer \(token)"] }
        let out = try TestSupport.tool("curl", args).stdout
        let code = Int(out.split(separator: "\n").last ?? "") ?? 0
        return (code, String(out.dropLast(String(code).count)))
    }

    static func status(_ port: Int) -> [String: Any]? {
        guard let (code, body) = try? http("GET", "http://127.0.0.1:\(port)/status"), code == 200 else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    }

    static func segment(_ s: [String: Any]?) -> Int? { (s?["position"] as? [String: Any])?["segment"] as? Int }

    /// Polls until `condition` holds on the status (or the time is up).
    static func waitFor(_ port: Int, timeout: Double, _ condition: ([String: Any]) -> Bool) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let s = status(port), condition(s) { return s }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return nil
    }

    func schedule(in dir: URL, filler: String) throws -> String {
        let path = dir.appendingPathComponent("night.schedule.yaml").path
        try "timezone: UTC\nfiller: \(filler)\nentries: []\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func resumesAfterKill9AnswersChatRecordsWithChaptersAndEndsCleanly() throws {
        let nginx = try NginxRTMP()
        defer { nginx.stop() }
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let sched = try schedule(in: dir, filler: TestSupport.path("Scripts/overnight.show.md"))
        let port = try TestSupport.freePort()
        let args = ["run", "--schedule", sched, "--push", "rtmp://127.0.0.1:\(nginx.port)/live/sk_run_secret", "--size", "320x180",
                    "--record", dir.appendingPathComponent("rec").path, "--segment", "10s",
                    "--control", "127.0.0.1:\(port)", "--state-db", dir.appendingPathComponent("state.db").path]

        // First run: wait for the third segment (the second product), then kill -9.
        let first = try TestSupport.launchAnchor(args)
        let before = Self.waitFor(port, timeout: 60) { (Self.segment($0) ?? 0) >= 2 }
        let killedAt = try #require(Self.segment(before), "never reached segment 3")
        first.signal(SIGKILL)
        let crashed = first.wait(timeout: 10)
        #expect(crashed.status != 0)
        #expect(!(crashed.stderr + crashed.stdout).contains("sk_run_secret"), "the stream key must never be logged")

        // Restart: on air again, in the same segment, within 5 s.
        let restartedAt = Date()
        let second = try TestSupport.launchAnchor(args)
        let back = Self.waitFor(port, timeout: 15) { s in
            (s["onAir"] as? Bool) == true && !((s["segment"] as? String) ?? "").isEmpty
        }
        let resumeSeconds = Date().timeIntervalSince(restartedAt)
        #expect(back != nil && resumeSeconds < 5, "on air again after \(resumeSeconds) s")
        #expect(Self.segment(back) == killedAt, "resumed at segment \(Self.segment(back) ?? -1), was at \(killedAt)")

        // Commands need the token made at start, also on loopback (a web page can reach 127.0.0.1);
        // it is in a file only its owner can read, never in the log.
        let tokenFile = dir.appendingPathComponent("anchor-control.token").path
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 32)
        #expect((try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions] as? Int) == 0o600)
        #expect(try Self.http("POST", "http://127.0.0.1:\(port)/skip").0 == 401)

        // Chat from the control port is answered on air within a second of arriving.
        let (code, _) = try Self.http("POST", "http://127.0.0.1:\(port)/chat", body: #"{"user":"ann","text":"are you a real person?"}"#, token: token)
        #expect(code == 202)
        let answered = Self.waitFor(port, timeout: 10) { s in ((s["chat"] as? [String: Any])?["answered"] as? Int ?? 0) >= 1 }
        let latency = ((answered?["chat"] as? [String: Any])?["latencies"] as? [Double])?.first
        #expect(latency != nil && latency! < 1.0, "question to answer in the stream: \(latency ?? -1) s")

        // Skip goes to the next segment; metrics and the page answer.
        let now = Self.segment(Self.status(port)) ?? -1
        _ = try Self.http("POST", "http://127.0.0.1:\(port)/skip", token: token)
        // (after the answer being spoken: viewers' answers are never cut)
        #expect(Self.waitFor(port, timeout: 12) { Self.segment($0) != now } != nil, "skip did not change the segment")
        let metrics = try Self.http("GET", "http://127.0.0.1:\(port)/metrics")
        #expect(metrics.1.contains("anchor_frames_sent_total") && metrics.1.contains("anchor_chat_answers_total"), "\(metrics.1.prefix(400))")
        let page = try Self.http("GET", "http://127.0.0.1:\(port)/")
        #expect(page.0 == 200 && page.1.contains("ON AIR"))
        let thumb = try TestSupport.tool("curl", ["-s", "-o", dir.appendingPathComponent("t.png").path, "-w", "%{http_code} %{content_type}",
                                                  "http://127.0.0.1:\(port)/thumbnail.png"]).stdout
        #expect(thumb == "200 image/png")

        // SIGTERM: the word finishes, the recording is closed with chapters, the stream ends cleanly.
        Thread.sleep(forTimeInterval: 3)
        second.signal(SIGTERM)
        let run = second.wait(timeout: 15)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("resuming"), "\(run.stderr)")
        #expect(!(run.stdout + run.stderr).contains(token), "the control token must never be logged")
        let rec = dir.appendingPathComponent("rec")
        let files = try FileManager.default.contentsOfDirectory(atPath: rec.path).sorted()
        #expect(!files.contains { $0.hasSuffix(".part.mp4") }, "left unfinished: \(files)")
        let mp4s = files.filter { $0.hasSuffix(".mp4") }
        #expect(mp4s.count >= 3, "\(files)")
        var titles: [String] = []
        for f in mp4s {
            let path = rec.appendingPathComponent(f).path
            let errors = try LiveCLITests.decodeErrors(path)
            #expect(errors.isEmpty, "\(f) does not decode cleanly: \(errors.prefix(300))")
            titles += try TestSupport.tool("ffprobe", ["-v", "error", "-show_entries", "chapter_tags=title", "-of", "csv=p=0", path]).stdout
                .split(separator: "\n").map(String.init)
        }
        #expect(titles.contains("Moonlit Repair Serum"), "\(titles)")
        // The replay index names a file and an offset for each product moment.
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: rec.appendingPathComponent("index.json"))) as? [[String: Any]] ?? []
        let products = index.filter { $0["productSku"] != nil }
        #expect(!products.isEmpty)
        for m in products where m["file"] != nil {
            #expect(FileManager.default.fileExists(atPath: m["file"] as! String), "\(m)")
        }
        // nginx saw deleteStream before the disconnect on the last publishing connection.
        let log = try String(contentsOf: nginx.directory.appendingPathComponent("error.log"), encoding: .utf8)
        let lines = log.split(separator: "\n")
        let publish = try #require(lines.last { $0.contains("publish: name=") })
        let connection = try #require(publish.split(separator: " ").first { $0.hasPrefix("*") })
        let events = lines.filter { $0.contains(" \(connection) ") }.compactMap { line in ["deleteStream", "disconnect"].first { line.contains($0) } }
        #expect(events.first == "deleteStream", "\(events)")
    }

    @Test func anEditWithErrorsNeverAirsAndAGoodEditTakesOverAtTheNextSegment() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let show = dir.appendingPathComponent("loop.show.md")
        let good = "---\ntitle: Loop\nloop: true\n---\n# One\nThe first segment is short.\n# Two\nThe second segment is short too.\n"
        try good.write(to: show, atomically: true, encoding: .utf8)
        let sched = try schedule(in: dir, filler: show.path)
        let port = try TestSupport.freePort()
        let run = try TestSupport.launchAnchor(["run", "--schedule", sched, "--record", dir.appendingPathComponent("rec").path, "--size", "160x90",
                                                "--control", "127.0.0.1:\(port)", "--state-db", dir.appendingPathComponent("state.db").path])
        defer { _ = run.wait(timeout: 1) }
        #expect(Self.waitFor(port, timeout: 20) { ($0["segment"] as? String) == "One" } != nil)
        // A broken edit: reported with file:line:col, the old version keeps airing.
        try (good + "# Three\n{unknowncue} oops\n").write(to: show, atomically: true, encoding: .utf8)
        let rejected = Self.waitFor(port, timeout: 20) { s in !((s["problems"] as? [String: String]) ?? [:]).isEmpty }
        let problem = (rejected?["problems"] as? [String: String])?[show.path] ?? ""
        #expect(problem.contains("loop.show.md:10:"), "problem: \(problem)")
        let stillOn = Self.waitFor(port, timeout: 20) { ($0["segment"] as? String) == "Two" }
        #expect(stillOn != nil, "the last good version must keep airing")
        // A good edit takes over at a segment start.
        try good.replacingOccurrences(of: "# Two", with: "# Two edited").write(to: show, atomically: true, encoding: .utf8)
        #expect(Self.waitFor(port, timeout: 30) { ($0["segment"] as? String) == "Two edited" } != nil)
        #expect(((Self.status(port)?["problems"] as? [String: String]) ?? [:]).isEmpty)
        // The file deleted mid-run: reported, and the last good version goes on airing.
        try FileManager.default.removeItem(at: show)
        let missing = Self.waitFor(port, timeout: 20) { s in ((s["problems"] as? [String: String]) ?? [:])[show.path] != nil }
        #expect(((missing?["problems"] as? [String: String]) ?? [:])[show.path]?.contains("missing") == true)
        let before = (Self.status(port)?["framesSent"] as? Int) ?? 0
        #expect(Self.waitFor(port, timeout: 10) { ($0["segment"] as? String) == "One" } != nil, "still looping the last good version")
        #expect(((Self.status(port)?["framesSent"] as? Int) ?? 0) > before)
        run.signal(SIGTERM)
        let out = run.wait(timeout: 15)
        #expect(out.status == 0)
        #expect(out.stderr.contains("show reloaded"), "\(out.stderr)")
    }

    /// A show's lucky draw on air: viewers' messages with the keyword enter while the countdown
    /// runs, the winner is recorded with the seed and every entrant, and `anchor draws` picks
    /// the same winner again from them.
    @Test func aLuckyDrawIsRecordedAndCanBeCheckedAfterwards() throws {
        let nginx = try NginxRTMP()
        defer { nginx.stop() }
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let show = dir.appendingPathComponent("draw.show.md").path
        try "---\ntitle: Draw night\n---\n# Welcome\nHi everyone!\n@draw \"lucky\" 12s\nOn with the show.\n".write(toFile: show, atomically: true, encoding: .utf8)
        let events = dir.appendingPathComponent("chat.jsonl")
        // Entries from 7 s to 11 s after start land inside the countdown (it opens after the greeting and the announcement).
        try (7...11).map { #"{"t": \#($0).5, "platform": "twitch", "user": "id\#($0)", "name": "viewer\#($0)", "text": "lucky!"}"# }
            .joined(separator: "\n").write(to: events, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("state.db").path
        let run = try TestSupport.anchor(["run", "--schedule", try schedule(in: dir, filler: show), "--push", "rtmp://127.0.0.1:\(nginx.port)/live/k",
                                          "--size", "160x90", "--control", "off", "--state-db", db, "--duration", "24s", "--events", events.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("lucky draw"), "\(run.stderr)")
        let draws = try TestSupport.anchor(["draws", "--state-db", db])
        #expect(draws.status == 0, "\(draws.stdout)\(draws.stderr)")
        #expect(draws.stdout.contains("draw.show.md  “lucky” 12 s  5 entrants  winner viewer") && draws.stdout.contains("re-drawn: same winner"), "\(draws.stdout)")
        let json = try TestSupport.anchor(["draws", "--state-db", db, "--json", "--since", "1h"])
        #expect(json.stdout.contains("\"twitch:id7\"") && json.stdout.contains("\"seed\""), "\(json.stdout)")
        #expect(try TestSupport.anchor(["draws", "--state-db", db, "--since", "soon"]).status != 0)
    }

    /// A channel's platform chats written in its schedule (`chat:`): the Bilibili room is read
    /// on air, its state and events are on /status, and a broken source is refused before air
    /// with its line and column.
    @Test func chatSourcesInTheScheduleAreReadOnAir() throws {
        let nginx = try NginxRTMP()
        defer { nginx.stop() }
        let room = try ChatPlatformServer.bilibili()
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let sched = dir.appendingPathComponent("night.schedule.yaml").path
        try """
        timezone: UTC
        filler: \(TestSupport.path("Scripts/demo.show.md"))
        entries: []
        chat:
          - bilibili: 7
            server: \(room.url)
        """.write(toFile: sched, atomically: true, encoding: .utf8)
        let port = try TestSupport.freePort()
        let run = try TestSupport.launchAnchor(["run", "--schedule", sched, "--push", "rtmp://127.0.0.1:\(nginx.port)/live/k", "--size", "160x90",
                                                "--control", "127.0.0.1:\(port)", "--token", "none", "--duration", "20s",
                                                "--state-db", dir.appendingPathComponent("state.db").path])
        let seen = Self.waitFor(port, timeout: 18) { s in
            let chat = s["chat"] as? [String: Any]
            return ((chat?["events"] as? [String: Any])?["gift"] as? Int ?? 0) >= 2 && (chat?["decided"] as? Int ?? 0) >= 3
        }
        let out = run.wait(timeout: 40)
        #expect(out.status == 0, "\(out.stderr)")
        let events = try #require((seen?["chat"] as? [String: Any])?["events"] as? [String: Any], "\(out.stderr)")
        #expect(events["paid_message"] as? Int == 1 && events["follow"] as? Int == 1 && events["like"] as? Int == 1, "\(events)")
        #expect((seen?["connectors"] as? [String: String])?["bilibili:7"]?.contains("events") == true, "\(String(describing: seen?["connectors"]))")
        #expect(out.stderr.contains("chat from bilibili:7: connected"), "\(out.stderr)")

        try "timezone: UTC\nfiller: \(TestSupport.path("Scripts/demo.show.md"))\nentries: []\nchat:\n  - youtube: nope\n"
            .write(toFile: sched, atomically: true, encoding: .utf8)
        let refused = try TestSupport.anchor(["run", "--schedule", sched, "--record", dir.path, "--control", "off", "--duration", "2s",
                                              "--state-db", dir.appendingPathComponent("state.db").path])
        #expect(refused.status == 1 && refused.stderr.contains("night.schedule.yaml:5:14: error: chat: 'nope' is not a YouTube video id"), "\(refused.stderr)")
    }

    @Test func theControlPortWantsATokenOffLoopback() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let sched = try schedule(in: dir, filler: TestSupport.path("Scripts/demo.show.md"))
        let refused = try TestSupport.anchor(["run", "--schedule", sched, "--record", dir.path, "--control", "0.0.0.0:9"])
        #expect(refused.status == 64 && refused.stderr.contains("--token"), "\(refused.stderr)")

        let port = try TestSupport.freePort()
        let run = try TestSupport.launchAnchor(["run", "--schedule", sched, "--record", dir.appendingPathComponent("rec").path, "--size", "160x90",
                                                "--control", "0.0.0.0:\(port)", "--token", "t0ken", "--duration", "8s",
                                                "--state-db", dir.appendingPathComponent("state.db").path])
        var open = (0, "")
        for _ in 0..<50 where open.0 == 0 {
            Thread.sleep(forTimeInterval: 0.2)
            open = try Self.http("GET", "http://127.0.0.1:\(port)/status")
        }
        #expect(open.0 == 401)
        #expect(try Self.http("GET", "http://127.0.0.1:\(port)/status", token: "t0ken").0 == 200)
        #expect(try Self.http("POST", "http://127.0.0.1:\(port)/chat", body: "{}", token: "t0ken").0 == 400)
        let out = run.wait(timeout: 20)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!(out.stdout + out.stderr).contains("t0ken"))
    }
}
}
