@testable import AnchorChat
@testable import AnchorConnect
import Foundation
import Testing

@Suite struct IRCTests {
    @Test func linesWithTagsPrefixAndTrailingAreParsed() throws {
        let m = try #require(IRCMessage(line: #"@badge-info=;display-name=Ann\sB;user-id=123;bits=100 :ann!ann@ann.tmi.twitch.tv PRIVMSG #shop :Cheer100 love it"#))
        #expect(m.tags["display-name"] == "Ann B" && m.tags["user-id"] == "123" && m.tags["badge-info"] == "")
        #expect(m.nick == "ann" && m.command == "PRIVMSG" && m.params == ["#shop", "Cheer100 love it"])
        let ping = try #require(IRCMessage(line: "PING :tmi.twitch.tv"))
        #expect(ping.command == "PING" && ping.params == ["tmi.twitch.tv"] && ping.prefix == nil)
        #expect(IRCMessage(line: "") == nil && IRCMessage(line: ":only.prefix") == nil)
        #expect(IRCMessage(command: "PRIVMSG", params: ["#a", "hi there"]).line == "PRIVMSG #a :hi there")
        #expect(IRCMessage.unescape(#"a\:b\\c\sd"#) == #"a;b\c d"#)
    }

    @Test func twitchLinesBecomeViewerEvents() throws {
        func event(_ line: String) -> ViewerEvent? {
            IRCMessage(line: Substring(line)).flatMap { ChatEventMapper.event($0, channel: "#shop", platform: "twitch", now: 5) }
        }
        let chat = try #require(event("@display-name=Ann;user-id=123 :ann!ann@ann.tmi.twitch.tv PRIVMSG #shop :how much?"))
        #expect(chat.kind == .message && chat.user == "123" && chat.name == "Ann" && chat.text == "how much?" && chat.platform == "twitch")
        let cheer = try #require(event("@display-name=Bo;user-id=9;bits=250 :bo!bo@bo PRIVMSG #shop :cheer250 go go"))
        #expect(cheer.kind == .paidMessage && cheer.amount == 250 && cheer.currency == "BITS" && cheer.text == "cheer250 go go")
        let gifted = try #require(event("@msg-id=submysterygift;msg-param-mass-gift-count=5;display-name=Cy;user-id=7;login=cy :tmi.twitch.tv USERNOTICE #shop"))
        #expect(gifted.kind == .gift && gifted.count == 5 && gifted.user == "7" && gifted.gift == "gift subscription")
        #expect(event(":x!x@x PRIVMSG #elsewhere :hi") == nil)
        #expect(event("@msg-id=raid :tmi.twitch.tv USERNOTICE #shop") == nil)
        // What `anchor connect` prints is an events log line.
        let json = try JSONEncoder().encode(chat)
        let o = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(try ViewerEvent.parse(o, time: 0, platform: "x") == chat)
    }

    @Test func endpointsAreCheckedAndNeverHoldTheToken() throws {
        let twitch = try IRCEndpoint("ircs://irc.chat.twitch.tv/#MyShop")
        #expect(twitch.tls && twitch.port == 6697 && twitch.channel == "#myshop" && twitch.isTwitch && twitch.platform == "twitch")
        let local = try IRCEndpoint("irc://bot@127.0.0.1:16667/night")
        #expect(!local.tls && local.port == 16667 && local.channel == "#night" && local.nick == "bot" && local.description == "irc://127.0.0.1:16667/#night")
        for bad in ["http://x/#a", "irc://host", "irc://host:99999/#a", "irc:///#a", "irc://h/#a b"] {
            #expect(throws: IRCEndpoint.ParseError.self, "\(bad)") { try IRCEndpoint(bad) }
        }
    }
}
