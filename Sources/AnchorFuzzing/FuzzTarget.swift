import AnchorChat
import AnchorConnect
import AnchorCore
import AnchorScript
import AnchorStore
import AnchorStream
import Foundation
import NIOCore
import NIOEmbedded
import Synchronization

/// What the coverage-guided fuzzer (`scripts/fuzz.sh`) feeds arbitrary bytes to: every parser
/// of text that comes from outside. A target must never crash or hang, whatever the bytes; the
/// inputs that once did are kept in `Tests/Fixtures/fuzz/TARGET/` and replayed by the tests.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A show file: parse, compile against a small catalog, format every diagnostic.
    case script
    /// A catalog file: JSON when it starts with `{` or `[`, else CSV.
    case catalog
    /// A viewer's chat message, through moderation and the responder.
    case chat
    /// Bytes from an RTMP server: the handshake, then chunks.
    case rtmp
    /// Viewer events as JSON (what `POST /events` and event logs take), through the responder's
    /// thanks, paid messages and a lucky draw.
    case events
    /// What platform chat services send: a YouTube live chat page or error body when it starts
    /// with `{`, else a Bilibili danmaku frame (zlib and brotli bodies expanded).
    case platforms
    /// What a WebRTC peer sends: a WHIP answer (SDP) when it starts with `v=`, else a datagram
    /// (STUN, RTCP, H.264 RTP payloads).
    case webrtc

    public func run(_ data: Data) {
        switch self {
        case .script: Self.script(data)
        case .catalog: Self.catalog(data)
        case .chat: Self.chat(data)
        case .rtmp: Self.rtmp(data)
        case .events: Self.events(data)
        case .platforms: Self.platforms(data)
        case .webrtc: WebRTCInput.read(Array(data))
        }
    }

    static let products = [
        Product(sku: "F-1", name: "Night Serum", brand: "Hydra", category: "skincare", tags: ["skincare"],
                price: Money(minorUnits: 2990, currency: "USD"), listPrice: Money(minorUnits: 4990, currency: "USD"), stock: 12, slot: 1,
                highlights: ["works while you sleep"], specs: [.init(key: "volume", value: "30 ml")],
                faq: [.init(question: "Can I use it with retinol?", answer: "Yes, at night.")]),
        Product(sku: "F-2", name: "面膜（10片装）", price: Money(minorUnits: 5900, currency: "CNY"), slot: 2),
    ]

    static func script(_ data: Data) {
        let parsed = ScriptCompiler.parse(data, path: "fuzz.show.md")
        let compiled = parsed.compile(catalog: Catalog(products: products), seed: 1)
        let formatter = DiagnosticFormatter()
        for d in compiled.diagnostics { _ = formatter.format(d) { parsed.source.line($0.line) } }
    }

    static func catalog(_ data: Data) {
        let json = data.first == UInt8(ascii: "{") || data.first == UInt8(ascii: "[")
        _ = CatalogFile.read(data, path: "fuzz", format: json ? .json : .csv)
    }

    /// One responder for all inputs (building its fact index per input would dominate), with
    /// anchor's rules and starter block lists when run from the package folder.
    static let responder: Mutex<Responder?> = Mutex({
        var policy = Moderator.Policy()
        policy.blockList = ["en.txt", "zh.txt", "pinyin.txt"].flatMap { (try? BlockList.read(file: "Assets/blocklists/" + $0)) ?? [] }
        guard let index = try? FactIndex(catalog: Catalog(products: products)),
              let rules = (try? RuleBook.load("Scripts/default.rules.yaml")) ?? (try? RuleBook(rules: [])) else { return nil }
        return Responder(index: index, rules: rules, moderator: Moderator(policy: policy))
    }())
    static let time = Mutex(0.0)

    static func chat(_ data: Data) {
        // The first line is the user name, the rest the message.
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let t = time.withLock { $0 += 1; return $0 }
        let message = ChatMessage(user: String(parts.first ?? ""), text: parts.count > 1 ? String(parts[1]) : "", time: t)
        responder.withLock { r in
            guard let d = r?.decide(message, onScreen: "F-1"), let moderator = r?.moderator else { return }
            // What airs must pass moderation itself: the name (checked alone: beside our own
            // words a squeezed term can span the boundary, "fu cun? Tonight"), the reply around
            // it, and the question when drawn.
            let name = d.displayName ?? "", said = d.spokenName ?? ""
            let reply = Moderator.removing([name, said], from: d.reply ?? "")
            let aired = [reply, name, said] + (d.showsQuestion ? [d.question] : [])
            for s in aired where !s.isEmpty {
                if let why = moderator.problem(in: ChatText(s)) { fatalError("aired something blocked (\(why)): \(s)") }
            }
        }
    }

    static func events(_ data: Data) {
        guard let events = try? ViewerEvent.parse(json: data, time: 0, platform: "fuzz") else { return }
        let start = time.withLock { $0 += 1_000; return $0 }
        responder.withLock { r in
            guard var responder = r else { return }
            defer { r = responder }
            let moderator = responder.moderator
            var draw = LuckyDraw(keyword: "lucky")
            var aired: [Decision] = []
            for (i, e) in events.prefix(500).enumerated() {
                var e = e
                e.time = start + Double(i) / 10
                if let d = responder.take(e, onScreen: "F-1", language: .en) {
                    draw.consider(e, decision: d)
                    aired.append(d)
                }
                if let (d, _) = responder.dueThanks(at: e.time) { aired.append(d) }
            }
            if let (d, _) = responder.dueThanks(at: start + 900) { aired.append(d) }
            let winner = draw.pick(seed: UInt64(start))
            let result = LuckyDraw.result(winner, entrants: draw.entrants.count, keyword: draw.keyword, language: .en, rules: responder.rules)
            // Names are checked alone (beside our words a squeezed term can span the boundary);
            // what is left of each line around them must pass moderation too.
            // Only names moderation lets be drawn or said are taken out (and checked alone below).
            let names = Set(events.flatMap { e in [e.name ?? e.user, e.user] }.flatMap { n in [moderator.speakableName(n), moderator.sayableName(n)] }
                .compactMap { $0 }.filter { !$0.isEmpty }).sorted { $0.count > $1.count }
            func check(_ s: String, _ what: String) {
                let rest = Moderator.removing(names, from: s)
                if let why = moderator.problem(in: ChatText(rest)) { fatalError("aired something blocked in a \(what) (\(why)): \(s)") }
            }
            for d in aired where d.reply != nil {
                check(d.reply ?? "", d.source.rawValue)
                if d.showsQuestion { check(d.question, "bubble"); check(d.displayName ?? "", "bubble name") }
            }
            check(result, "draw result")
            for name in names {
                if let why = moderator.problem(in: ChatText(name)) { fatalError("a name that may be said is blocked (\(why)): \(name)") }
            }
        }
    }

    static func platforms(_ data: Data) {
        if data.first == UInt8(ascii: "{") {
            _ = YouTubeChat.events(inPage: data, now: 0)
            _ = YouTubeChat.failure(HTTPFetch.Response(status: 403, headers: [], body: data)).description
            return
        }
        guard let packets = try? BilibiliPacket.decode(Array(data)) else { return }
        for p in packets where p.operation == BilibiliPacket.Operation.message.rawValue {
            _ = BilibiliEvents.event(json: p.body, now: 0)
        }
    }

    static func rtmp(_ data: Data) {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RTMPChunkDecoder()))
        // Fed in two pieces, as a socket would deliver them.
        let cut = data.count / 2
        for piece in [data.prefix(cut), data.dropFirst(cut)] {
            do { try channel.writeInbound(ByteBuffer(bytes: piece)) } catch { break }
        }
        while (try? channel.readInbound(as: RTMPInbound.self)) != nil {}
        _ = try? channel.finish()
    }
}
