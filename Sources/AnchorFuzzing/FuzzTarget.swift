import AnchorChat
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

    public func run(_ data: Data) {
        switch self {
        case .script: Self.script(data)
        case .catalog: Self.catalog(data)
        case .chat: Self.chat(data)
        case .rtmp: Self.rtmp(data)
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
            let name = d.displayName ?? ""
            let reply = name.isEmpty ? d.reply ?? "" : (d.reply ?? "").replacingOccurrences(of: name, with: " | ")
            let aired = [reply, name] + (d.showsQuestion ? [d.question] : [])
            for s in aired where !s.isEmpty {
                if let why = moderator.problem(in: ChatText(s)) { fatalError("aired something blocked (\(why)): \(s)") }
            }
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
