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
