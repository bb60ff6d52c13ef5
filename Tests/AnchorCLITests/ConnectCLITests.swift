import AnchorTestSupport
import Foundation
import Testing

/// `anchor connect` against a real IRC server (ngIRCd from Debian) on 127.0.0.1: a viewer's
/// messages come out as events; the server dies and comes back and the connector joins again
/// on its own.
@Suite struct ConnectCLITests {
    @Test func messagesComeOutAsEventsAndADroppedServerIsJoinedAgain() throws {
        let server = try IRCServer()
        let connect = try TestSupport.launchAnchor(["connect", "--irc", "irc://127.0.0.1:\(server.port)/#night", "--duration", "60s"])
        Thread.sleep(forTimeInterval: 2)
        try server.say(["how much is the serum?", "多少钱"])
        server.kill()
        Thread.sleep(forTimeInterval: 2)
        try server.start()
        Thread.sleep(forTimeInterval: 4)
        try server.say(["still here?"])
        Thread.sleep(forTimeInterval: 1)
        connect.signal(SIGINT)
        let run = connect.wait(timeout: 10)
        #expect(run.status == 0, "\(run.stderr)")
        let events = run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.compactMap { $0["text"] as? String } == ["how much is the serum?", "多少钱", "still here?"], "\(run.stdout)")
        #expect(events.allSatisfy { $0["type"] as? String == "message" && $0["user"] as? String == "viewer" && $0["platform"] as? String == "irc" })
        #expect(run.stderr.contains("retrying in") && run.stderr.contains("cannot connect: connection refused") && run.stderr.contains("3 events in 2 sessions"),
                "\(run.stderr)")
        #expect(try TestSupport.anchor(["connect", "--irc", "http://x/#a"]).status == 64)
    }
}

/// `anchor connect` against stand-ins for YouTube's Data API and Bilibili's danmaku service,
/// written from their documentation (Tests/Fixtures): what a seller sees before air.
@Suite struct PlatformConnectCLITests {
    /// History skipped, pages followed by token, a 503 retried without losing the place, a
    /// repeated message read once, and a spent quota that stops the polling instead of storming.
    @Test func youTubeChatIsPolledPageByPageAndAQuotaErrorStopsThePolling() throws {
        let api = try ChatPlatformServer.youTube(steps: ["200:history.json", "200:page2.json:GKDl7Nv8yJEDIJTcwMD8yJED", "503:backend-error.json",
                                                         "200:page3.json:GIDm9Pv8yJEDINDu__v8yJED", "403:quota-exceeded.json"])
        let run = try TestSupport.anchor(["connect", "youtube:anchorDemo1", "--server", api.url + "/youtube/v3", "--every", "1s", "--duration", "9s"],
                                         environment: ["ANCHOR_YOUTUBE_KEY": "AIzaSecretKey42"])
        #expect(run.status == 0, "\(run.stderr)")
        let events = run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.map { $0["type"] as? String ?? "" } == ["message", "paid_message", "paid_message", "gift", "gift", "message"], "\(run.stdout)")
        #expect(events.first?["text"] as? String == "how much is the serum?" && events.last?["text"] as? String == "does it ship to Canada?")
        #expect(run.stderr.contains("503") && run.stderr.contains("quota is spent") && run.stderr.contains("6 events in 2 sessions"), "\(run.stderr)")
        #expect(run.stderr.contains("polling every 1 s spends YouTube's default daily quota (10 000 units) in 0.6 hours"), "\(run.stderr)")
        #expect(!run.stderr.contains("AIzaSecretKey42") && !run.stdout.contains("AIzaSecretKey42"), "the key is never printed")
        let polls = api.requests.filter { ($0["path"] as? String) == "/youtube/v3/liveChat/messages" }
        #expect(polls.count == 5, "no poll after the quota error: \(polls.count)")
        #expect(polls.allSatisfy { ($0["query"] as? [String: String])?["key"] == "AIzaSecretKey42" })
        let times = polls.compactMap { $0["t"] as? Double }
        // pollingIntervalMillis is 1 500: the polls after a page wait for it (the one after the 503 comes sooner, by backoff).
        #expect(times.count == 5 && times[1] - times[0] >= 1.4 && times[2] - times[1] >= 1.4, "\(times)")

        let noKey = try TestSupport.anchor(["connect", "youtube:anchorDemo1", "--duration", "1s"], environment: ["ANCHOR_YOUTUBE_KEY": ""])
        #expect(noKey.status == 64 && noKey.stderr.contains("ANCHOR_YOUTUBE_KEY"), "\(noKey.stderr)")
    }

    @Test func bilibiliDanmakuComesOutAsEventsAndAClosedRoomIsRejoined() throws {
        let room = try ChatPlatformServer.bilibili()
        let run = try TestSupport.anchor(["connect", "--platform", "bilibili", "--channel", "7", "--server", room.url, "--duration", "6s"])
        #expect(run.status == 0, "\(run.stderr)")
        let events = run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.map { $0["type"] as? String ?? "" } == ["message", "gift", "follow", "paid_message", "like", "gift", "message", "message"], "\(run.stdout)")
        #expect(events.last?["text"] as? String == "还在吗？" && events.allSatisfy { $0["platform"] as? String == "bilibili" })
        #expect(run.stderr.contains("8 events in 2 sessions"), "\(run.stderr)")
        #expect(try TestSupport.anchor(["connect", "bilibili:abc"]).status == 64)
        #expect(try TestSupport.anchor(["connect", "twitch:shop", "--platform", "twitch", "--channel", "shop"]).status == 64)
    }
}
