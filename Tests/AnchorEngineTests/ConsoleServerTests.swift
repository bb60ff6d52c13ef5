import AnchorChat
import AnchorCore
@testable import AnchorEngine
import AnchorStore
import AnchorTestSupport
import Foundation
import Testing

/// The console's routes in process: the live feed, say now, pin, unblock, add as FAQ, the
/// replay page and the recordings it plays (with HTTP ranges).
@Suite(.serialized) struct ConsoleServerTests {
    struct Served {
        var server: ControlServer
        var chat: LiveChat
        var control: LiveControl
        var board: Board
        var analytics: AnalyticsWriter
        var database: AnchorDatabase
        var port: Int
        var task: Task<Void, Error>
        var folder: URL
        var base: String { "http://127.0.0.1:\(port)" }

        func stop() async {
            await server.shutdown()
            _ = await task.result
            TestSupport.cleanUp(folder)
        }
    }

    static let product = Product(sku: "MUG-1", name: "Blue Mug", price: Money(minorUnits: 1200, currency: "USD"), highlights: ["keeps tea hot"])

    func serve() async throws -> Served {
        let folder = try TestSupport.temporaryDirectory()
        let list = folder.appendingPathComponent("block.txt")
        try "badword\n".write(to: list, atomically: true, encoding: .utf8)
        var policy = Moderator.Policy()
        policy.blockList = try Moderator.blockList(file: list.path)
        // Other products too: BM25 needs more than one document to weigh a word.
        let others = ["Green Teapot", "Red Kettle", "Oak Tray", "Linen Napkin", "Steel Spoon"].enumerated().map { i, name in
            Product(sku: "OTHER-\(i)", name: name, price: Money(minorUnits: 900, currency: "USD"), highlights: ["made by hand", "ships in a gift box"],
                    specs: [.init(key: "weight", value: "\(200 + i * 50) g")])
        }
        let catalog = Catalog(products: [Self.product] + others)
        let responder = Responder(index: try FactIndex(catalog: catalog), rules: try RuleBook.load(TestSupport.path("Scripts/default.rules.yaml")),
                                  moderator: Moderator(policy: policy))
        // The tests decide by hand, and each decide must take everything waiting, loaded machine or not.
        let chat = LiveChat(responder: responder, budget: .seconds(10))
        let board = Board(channel: "test", station: nil, chat: chat)
        let database = try AnchorDatabase(path: folder.appendingPathComponent("state.db").path)
        let analytics = AnalyticsWriter(log: AnalyticsLog(database: database), channel: "test")
        board.attach(analytics)
        let control = LiveControl()
        let rec = folder.appendingPathComponent("rec")
        try FileManager.default.createDirectory(at: rec, withIntermediateDirectories: true)
        let port = try TestSupport.freePort()
        let endpoint = try #require(try ControlEndpoint("127.0.0.1:\(port)", token: "tok"))
        let server = ControlServer(endpoint: endpoint, board: board, control: control, air: AirLog(database: database, channel: "test"),
                                   recordings: rec.path, catalog: catalog, metrics: { "" })
        let (stream, ready) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run { ready.yield($0) } }
        for await _ in stream { break }
        return Served(server: server, chat: chat, control: control, board: board, analytics: analytics, database: database, port: port, task: task, folder: folder)
    }

    /// curl off the cooperative pool (see TestSupport.toolOffPool): its stdout.
    func curl(_ args: [String]) async throws -> String {
        try await TestSupport.toolOffPool("curl", ["-s", "-m", "5"] + args).stdout
    }

    /// The feed's first event: read until its first `data:` line (a second apart, so a loaded
    /// machine gets up to 20 s rather than a fixed read window).
    func firstFeedEvent(_ s: Served) async throws -> String {
        try await TestSupport.toolOffPool("sh", ["-c", "curl -sN -m 20 '\(s.base)/console/feed' | grep -m1 '^data: '"]).stdout
    }

    func post(_ s: Served, _ path: String, _ body: String, token: Bool = true) async throws -> (code: Int, body: String) {
        let out = try await curl(["-w", "\n%{http_code}", "-X", "POST", "-d", body] + (token ? ["-H", "Authorization: Bearer tok"] : []) + [s.base + path])
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    @Test func sayNowAndPinReachTheShowAndTheAnalytics() async throws {
        let s = try await serve()
        let said = try await post(s, "/say", #"{"text": "Back in five minutes, friends!"}"#)
        #expect(said.code == 200, "\(said.body)")
        #expect(try await post(s, "/say", #"{"text": "   "}"#).code == 400)
        #expect(try await post(s, "/say", #"{"text": "hi"}"#, token: false).code == 401, "a command without the token")
        #expect(try await post(s, "/pin", "{}").code == 200)
        let requests = s.control.drain()
        #expect(requests.count == 2)
        if case .say(let text) = requests.first { #expect(text == "Back in five minutes, friends!") } else { Issue.record("no say request: \(requests)") }
        if case .pinLink = requests.last {} else { Issue.record("no pin request: \(requests)") }
        await s.analytics.flush()
        let controls = try AnalyticsLog(database: s.database).events(channel: "test", from: .distantPast).filter { $0.kind == .control }
        #expect(controls.map { $0.detail ?? "" } == ["say", "pin"])
        #expect(controls.first?.text == "Back in five minutes, friends!")
        await s.stop()
    }

    @Test func aBlockedMessageIsReviewedAndLetThrough() async throws {
        let s = try await serve()
        s.chat.post(ChatMessage(platform: "web", user: "kim", text: "is the badword mug dishwasher safe?", time: Date().timeIntervalSince1970))
        let first = s.chat.decide(onScreen: "MUG-1", language: .en)
        #expect(first.isEmpty, "blocked, not answered")
        let blocked = try #require(s.chat.blockedMessages.first)
        #expect(blocked.reason == "block list: 'badword'" && blocked.user == "kim" && !blocked.cleared)

        // The console's feed lists it, with its id.
        let feed = try await firstFeedEvent(s)
        #expect(feed.contains("\"blocked\":[{") && feed.contains("badword mug"), "\(feed.prefix(300))")

        #expect(try await post(s, "/unblock", #"{"id": 999}"#).code == 404)
        let ok = try await post(s, "/unblock", #"{"id": \#(blocked.id)}"#)
        #expect(ok.code == 200, "\(ok.body)")
        #expect(s.chat.blockedMessages.first?.cleared == true)
        // Decided again, now through.
        let again = s.chat.decide(onScreen: "MUG-1", language: .en)
        #expect(again.count == 1 && again.first?.0.source != .blocked, "\(again.map(\.0.source))")
        // The term stays cleared for the night; links never can be.
        s.chat.post(ChatMessage(platform: "web", user: "lee", text: "badword again", time: Date().timeIntervalSince1970))
        _ = s.chat.decide(onScreen: "MUG-1", language: .en)
        #expect(s.chat.blockedMessages.count == 1)
        s.chat.post(ChatMessage(platform: "web", user: "spam", text: "visit www.example.com now", time: Date().timeIntervalSince1970))
        _ = s.chat.decide(onScreen: "MUG-1", language: .en)
        let link = try #require(s.chat.blockedMessages.last)
        let refused = try await post(s, "/unblock", #"{"id": \#(link.id)}"#)
        #expect(refused.code == 422 && refused.body.contains("only block-list terms"), "\(refused.body)")
        await s.stop()
    }

    @Test func addAsFAQAnswersTheNextViewerAndIsKept() async throws {
        let s = try await serve()
        let question = "is the blue mug microwave safe?"
        s.chat.post(ChatMessage(platform: "web", user: "ann", text: question, time: Date().timeIntervalSince1970))
        let before = s.chat.decide(onScreen: "MUG-1", language: .en)
        #expect(before.first?.0.source == .fallback, "nothing answers it yet: \(before.map(\.0.source))")
        s.board.noteUnanswered(question, productSku: "MUG-1", language: "en")

        #expect(try await post(s, "/faq", #"{"question": "x", "answer": "y", "sku": "NOPE"}"#).code == 422)
        let added = try await post(s, "/faq", #"{"question": "\#(question)", "answer": "Yes, up to two minutes.", "sku": "MUG-1"}"#)
        #expect(added.code == 200, "\(added.body)")
        #expect(s.board.unanswered.isEmpty, "the question left the unanswered list")

        s.chat.post(ChatMessage(platform: "web", user: "bo", text: "Is the blue mug microwave safe?", time: Date().timeIntervalSince1970 + 1))
        let after = s.chat.decide(onScreen: "MUG-1", language: .en)
        #expect(after.first?.0.source == .facts && after.first?.0.reply?.contains("two minutes") == true, "\(after.map { ($0.0.source, $0.0.reply) })")
        #expect(try AnalyticsLog(database: s.database).addedFAQs().map(\.answer) == ["Yes, up to two minutes."])
        await s.stop()
    }

    @Test func theReplayPageAndTheRecordingsItPlays() async throws {
        let s = try await serve()
        let air = AirLog(database: s.database, channel: "test")
        let file = s.folder.appendingPathComponent("rec/anchor-1.mp4")
        try Data(repeating: 7, count: 10_000).write(to: file)
        let t0 = Date()
        try await air.begin(show: "a.show.md", segment: "Mugs", productSku: "MUG-1", at: t0, file: file.path, offsetSeconds: 2.5)
        // The same segment going on in the next file is one node.
        try await air.begin(show: "a.show.md", segment: "Mugs", productSku: "MUG-1", at: t0.addingTimeInterval(30), file: file.path, offsetSeconds: 0)
        try await air.begin(show: "a.show.md", segment: "Outro", productSku: nil, at: t0.addingTimeInterval(40), file: file.path, offsetSeconds: 12)

        let json = try await curl([s.base + "/replay.json"])
        let data = try JSONDecoder.iso8601.decode(ReplayPage.Data.self, from: Data(json.utf8))
        #expect(data.nodes.map(\.segment) == ["Mugs", "Outro"])
        #expect(data.nodes.first?.media == "/recordings/anchor-1.mp4" && data.nodes.first?.offset == 2.5)
        #expect(data.products["MUG-1"]?.name == "Blue Mug" && data.products["MUG-1"]?.price == "$12")

        let page = try await curl(["-H", "Accept: text/html", s.base + "/replay"])
        #expect(page.contains("<video id=\"player\"") && page.contains("replay.json") && page.contains("<base href=\"/\">"))
        let index = try await curl([s.base + "/replay"]) // scripts still get the index as JSON
        #expect(index.hasPrefix("[") && index.contains("\"segment\" : \"Mugs\""))

        // Seeking in the player asks for byte ranges.
        let range = try await curl(["-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-H", "Range: bytes=100-199", s.base + "/recordings/anchor-1.mp4"])
        #expect(range == "206 100", "\(range)")
        let outside = try await curl(["-o", "/dev/null", "-w", "%{http_code}", s.base + "/recordings/..%2Fstate.db"])
        #expect(outside != "200", "only the recordings folder is served: \(outside)")
        await s.stop()
    }

    @Test func theConsolePageWorksWithoutScriptAndEscapesViewers() async throws {
        let s = try await serve()
        s.chat.post(ChatMessage(platform: "web", user: "<img src=x>", text: "<script>alert(1)</script> price?", time: Date().timeIntervalSince1970))
        _ = s.chat.decide(onScreen: "MUG-1", language: .en)
        let page = try await curl([s.base + "/"])
        #expect(page.contains("id=\"feed\"") && page.contains("console/feed") && page.contains("OFF AIR"))
        #expect(!page.contains("<script>alert(1)"), "viewer text is never HTML")
        // The page itself puts viewer text in with textContent, never innerHTML.
        #expect(!ConsolePage.script.contains("innerHTML = e") && !ConsolePage.script.contains("innerHTML=e"))
        await s.stop()
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
