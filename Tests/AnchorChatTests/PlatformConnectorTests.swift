@testable import AnchorChat
@testable import AnchorConnect
import AnchorStream
import AnchorTestSupport
import Foundation
import Synchronization
import Testing

/// Chat sources as sellers write them, YouTube's and Bilibili's messages as their references
/// document them, Bilibili's framing with real zlib and brotli bodies (made by Python's own
/// codecs), and the YouTube errors that must not become a retry storm.
@Suite struct PlatformConnectorTests {
    @Test func sourcesAreReadFromShortFormsAndRoomAddresses() throws {
        #expect(try ConnectorSpec("twitch:MyShop") == ConnectorSpec(platform: .twitch, channel: "myshop"))
        #expect(try ConnectorSpec("https://www.twitch.tv/myshop").channel == "myshop")
        #expect(try ConnectorSpec("youtube:dQw4w9WgXcQ").platform == .youtube)
        #expect(try ConnectorSpec("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3").channel == "dQw4w9WgXcQ")
        #expect(try ConnectorSpec("https://youtu.be/dQw4w9WgXcQ").channel == "dQw4w9WgXcQ")
        #expect(try ConnectorSpec("https://www.youtube.com/live/dQw4w9WgXcQ").channel == "dQw4w9WgXcQ")
        #expect(try ConnectorSpec("https://live.bilibili.com/21452505?spm=x") == ConnectorSpec(platform: .bilibili, channel: "21452505"))
        #expect(try ConnectorSpec("ircs://irc.example.org/#night").platform == .irc)
        let local = try ConnectorSpec("twitch:night", server: "irc://127.0.0.1:6667")
        #expect(local.ircEndpoint?.host == "127.0.0.1" && local.ircEndpoint?.channel == "#night" && local.ircEndpoint?.platform == "twitch")
        for bad in ["twitch:a b", "twitch:x", "youtube:short", "bilibili:abc", "bilibili:-3", "mixer:foo", "https://example.com/live", "irc://host", "hello"] {
            #expect(throws: ConnectorSpec.ParseError.self, "\(bad)") { try ConnectorSpec(bad) }
        }
        #expect(throws: ConnectorSpec.ParseError.self) { try ConnectorSpec("youtube:dQw4w9WgXcQ", server: "ws://127.0.0.1:1") }
        #expect(throws: ConnectorSpec.ParseError.self) { try ConnectorSpec(platform: .youtube, channel: "dQw4w9WgXcQ", every: 0.1) }
    }

    @Test func youTubeMessagesBecomeEventsAsTheReferenceDescribesThem() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestSupport.path("Tests/Fixtures/youtube/page2.json")))
        let page = try JSONDecoder().decode(YouTubeAPI.MessageList.self, from: data)
        #expect(page.pollingIntervalMillis == 1500 && page.nextPageToken == "GIDm9Pv8yJEDINDu__v8yJED")
        let events = (page.items ?? []).compactMap { YouTubeAPI.event($0, now: 9) }
        #expect(events.map(\.kind) == [.message, .paidMessage, .paidMessage, .gift, .gift], "deletions are not events")
        #expect(events[0].user == "UCann-000000000000000001" && events[0].name == "Ann" && events[0].text == "how much is the serum?")
        #expect(events[1].amount == 5 && events[1].currency == "USD" && events[1].text == "love this show")
        #expect(events[2].amount == 2 && events[2].currency == "EUR" && events[2].text == nil)
        #expect(events[4].count == 5 && events[4].gift == "gift membership")
        #expect(YouTubeAPI.seconds("2026-01-01T10:01:00Z") == 1_767_261_660)
        #expect(abs((YouTubeAPI.seconds("2026-01-01T10:01:00.123456+00:00") ?? 0) - 1_767_261_660.123) < 0.01)
    }

    @Test func youTubeErrorsWaitAsLongAsTheyCallFor() throws {
        func answer(_ status: Int, _ file: String) throws -> HTTPFetch.Response {
            HTTPFetch.Response(status: status, headers: [], body: try Data(contentsOf: URL(fileURLWithPath: TestSupport.path("Tests/Fixtures/youtube/\(file)"))))
        }
        // 16:00 in Los Angeles (PST, UTC-8): the quota comes back in 8 hours.
        let afternoon = try #require(ISO8601DateFormatter().date(from: "2026-12-05T00:00:00Z"))
        let quota = YouTubeChat.failure(try answer(403, "quota-exceeded.json"), now: afternoon)
        #expect(quota.description.contains("quota") && abs((quota.retryAfter ?? 0) - (8 * 3600 + 60)) < 1, "\(quota)")
        let key = YouTubeChat.failure(try answer(400, "key-invalid.json"))
        #expect(key.description.contains("ANCHOR_YOUTUBE_KEY") && (key.retryAfter ?? 0) >= 600, "\(key)")
        let ended = YouTubeChat.failure(try answer(403, "chat-ended.json"))
        #expect(ended.description.contains("ended") && ended.retryAfter == 60)
        let busy = YouTubeChat.failure(try answer(503, "backend-error.json"))
        #expect(busy.retryAfter == nil && busy.description.contains("503"), "a server error takes the normal backoff")
        let refused = YouTubeChat.failure(HTTPFetch.Response(status: 401, headers: [], body: Data("{}".utf8)))
        #expect((refused.retryAfter ?? 0) >= 600)
    }

    @Test func bilibiliEventsCoverDanmakuGiftsGuardsSuperChatsFollowsAndLikes() throws {
        func event(_ json: String) -> ViewerEvent? { BilibiliEvents.event(json: Array(json.utf8), now: 1) }
        let danmu = try #require(event(#"{"cmd":"DANMU_MSG:4:0:2:2:2:0","info":[[0,1,25],"多少钱？",[42,"小明",0]]}"#))
        #expect(danmu.kind == .message && danmu.user == "42" && danmu.name == "小明" && danmu.text == "多少钱？" && danmu.language == nil)
        let gift = try #require(event(#"{"cmd":"SEND_GIFT","data":{"giftName":"小心心","num":3,"uname":"阿花","uid":7,"coin_type":"gold","total_coin":3000}}"#))
        #expect(gift.kind == .gift && gift.count == 3 && gift.value == 3000 && gift.language == "zh")
        #expect(event(#"{"cmd":"SEND_GIFT","data":{"giftName":"辣条","num":1,"uname":"a","uid":8,"coin_type":"silver","total_coin":100}}"#)?.value == 0)
        #expect(event(#"{"cmd":"SEND_GIFT","data":{"giftName":"辣条","num":1,"uname":"游客","uid":0}}"#) == nil, "no uid, no identity")
        let sc = try #require(event(#"{"cmd":"SUPER_CHAT_MESSAGE","data":{"uid":"9","price":30,"message":"好看","user_info":{"uname":"大壮"}}}"#))
        #expect(sc.kind == .paidMessage && sc.amount == 30 && sc.currency == "CNY" && sc.user == "9" && sc.name == "大壮")
        #expect(event(#"{"cmd":"INTERACT_WORD","data":{"uid":5,"uname":"Bob","msg_type":1}}"#)?.kind == .join)
        #expect(event(#"{"cmd":"INTERACT_WORD","data":{"uid":5,"uname":"Bob","msg_type":2}}"#)?.kind == .follow)
        #expect(event(#"{"cmd":"INTERACT_WORD","data":{"uid":5,"uname":"Bob","msg_type":3}}"#)?.kind == .share)
        #expect(event(#"{"cmd":"LIKE_INFO_V3_CLICK","data":{"uid":5,"uname":"Bob"}}"#)?.kind == .like)
        #expect(event(#"{"cmd":"GUARD_BUY","data":{"uid":6,"username":"舰长甲","num":2,"price":198000,"gift_name":"舰长"}}"#)?.value == 396_000)
        #expect(event(#"{"cmd":"SEND_GIFT","data":{"uid":6,"num":1e300,"total_coin":1e300}}"#)?.value == 0, "absurd numbers are not trusted")
        for junk in ["", "[]", #"{"cmd":1}"#, #"{"cmd":"DANMU_MSG","info":[]}"#, #"{"cmd":"DANMU_MSG","info":[0,"x",[]]}"#, #"{"cmd":"ONLINE_RANK_COUNT"}"#] {
            #expect(event(junk) == nil, "\(junk)")
        }
    }

    /// Frames made by Python's struct, zlib and brotli (the codecs the real service uses).
    static func pythonFrames() throws -> [String: [UInt8]] {
        let script = """
        import base64, brotli, json, struct, zlib
        def p(op, body, ver=0):
            return struct.pack(">IHHII", 16 + len(body), 16, ver, op, 1) + body
        a = p(5, json.dumps({"cmd": "DANMU_MSG", "info": [[0], "hi", [1, "A"]]}).encode())
        b = p(5, json.dumps({"cmd": "LIKE_INFO_V3_CLICK", "data": {"uid": 2, "uname": "B"}}).encode())
        print(json.dumps({k: base64.b64encode(v).decode() for k, v in {
            "plain": a + p(3, struct.pack(">I", 77), 1),
            "zlib": p(5, zlib.compress(a + b), 2),
            "brotli": p(5, brotli.compress(a + b), 3),
            "bomb": p(5, zlib.compress(b"\\0" * (16 << 20)), 2),
            "nested": p(5, zlib.compress(p(5, zlib.compress(a), 2)), 2),
            "truncated": p(5, zlib.compress(a + b), 2)[:-3],
        }.items()}))
        """
        let run = try TestSupport.tool("/usr/bin/python3", ["-c", script])
        let o = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: String], "\(run.stderr)")
        return o.compactMapValues { Data(base64Encoded: $0).map(Array.init) }
    }

    @Test func bilibiliFramesSplitAndDecompressWithLimits() throws {
        let frames = try Self.pythonFrames()
        let plain = try BilibiliPacket.decode(try #require(frames["plain"]))
        #expect(plain.map(\.operation) == [5, 3] && plain[1].body == [0, 0, 0, 77])
        for codec in ["zlib", "brotli"] {
            let packets = try BilibiliPacket.decode(try #require(frames[codec]))
            let events = packets.compactMap { BilibiliEvents.event(json: $0.body, now: 0) }
            #expect(events.map(\.kind) == [.message, .like], "\(codec)")
        }
        for bad in ["bomb", "nested", "truncated"] {
            #expect(throws: BilibiliPacket.Malformed.self, "\(bad)") { try BilibiliPacket.decode(try #require(frames[bad])) }
        }
        let auth = BilibiliPacket(version: .plain, operation: .auth, body: Array("{}".utf8))
        #expect(try BilibiliPacket.decode(auth.encoded) == [auth])
        #expect(throws: BilibiliPacket.Malformed.self) { try BilibiliPacket.decode(Array(auth.encoded.dropLast())) }
        #expect(throws: BilibiliPacket.Malformed.self) { try BilibiliPacket.decode([0, 0, 0, 4, 0, 16] + [UInt8](repeating: 0, count: 10)) }
    }

    /// Against the stand-in service: the room API gives the long room id and a token, the
    /// login carries them, heartbeats go out on time, and the session ends when the server
    /// closes (the `Connector` then connects again).
    @Test func aBilibiliSessionLogsInBeatsAndReadsEveryCompression() async throws {
        let server = try ChatPlatformServer.bilibili(beats: 4)
        // Heartbeats every 0.3 s; silence allowed for long (a loaded machine delays our reader).
        let chat = try BilibiliChat(room: 7, api: try #require(URL(string: server.url)), heartbeat: .milliseconds(300), silenceLimit: .seconds(60))
        let got = Mutex<[ViewerEvent]>([])
        let connected = Mutex(0)
        try await chat.session(emit: { e in got.withLock { $0.append(e) } }, connected: { connected.withLock { $0 += 1 } })
        let events = got.withLock { $0 }
        #expect(connected.withLock { $0 } == 1)
        #expect(events.map(\.kind) == [.message, .gift, .follow, .paidMessage, .like, .gift, .message], "\(events)")
        #expect(events.allSatisfy { $0.platform == "bilibili" })
        let requests = server.requests
        let login = try #require(requests.first { $0["op"] as? Int == 7 }?["body"] as? [String: Any])
        #expect(login["roomid"] as? Int == 1007 && login["key"] as? String == "tok-anchor-123" && login["protover"] as? Int == 3)
        let beats = requests.filter { $0["op"] as? Int == 2 }.compactMap { $0["t"] as? Double }
        // The room closes after the fourth heartbeat: one at login, then every 0.3 s, never sooner
        // (later on a loaded machine: timing is for benchmarks, not tests).
        #expect(beats.count >= 4, "\(beats.count) heartbeats")
        #expect(zip(beats, beats.dropFirst()).allSatisfy { $1 - $0 > 0.25 }, "\(beats)")
    }

    /// A connection that stays open but answers nothing (half-open) ends after 2.5 heartbeats.
    @Test(.timeLimit(.minutes(2))) func aSilentDanmakuServerEndsTheSession() async throws {
        let server = try ChatPlatformServer.bilibili(mute: true)
        let chat = try BilibiliChat(room: 7, api: try #require(URL(string: server.url)), heartbeat: .milliseconds(400), silenceLimit: .seconds(1))
        let started = ContinuousClock.now
        await #expect(throws: ConnectorFailure.self) {
            try await chat.session(emit: { _ in }, connected: {})
        }
        let took = ContinuousClock.now - started
        // It waited for 2.5 heartbeats and then ended; how soon depends on the machine (the
        // suite's blocking CLI tests can hold the cooperative threads for many seconds).
        #expect(took > .milliseconds(900) && took < .seconds(90), "\(took)")
    }
}
