import Foundation

/// One thing a viewer did, from any platform connector, the control port or a replayed log:
/// a chat message, a gift, likes, a follow, a join, a share, or a paid message.
public struct ViewerEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case message, gift, like, follow, join, share
        case paidMessage = "paid_message"
    }

    public var kind: Kind
    public var platform: String
    /// The viewer's id on the platform (entries and rate limits go by it, never by name).
    public var user: String
    /// The name to show and say, when it differs from the id.
    public var name: String?
    /// The message (message, paid_message).
    public var text: String?
    /// The gift's name (gift).
    public var gift: String?
    /// How many gifts or likes.
    public var count: Int
    /// What a gift is worth in the platform's unit (coins, bits), all `count` together.
    public var value: Double
    /// A paid message's amount and currency (ISO 4217 code, e.g. USD, CNY).
    public var amount: Double?
    public var currency: String?
    /// "en" or "zh" when the platform says; else the viewer's last message decides.
    public var language: String?
    /// Seconds since the show started (logs) or since the Unix epoch (live).
    public var time: Double

    public init(kind: Kind, platform: String = "local", user: String, name: String? = nil, text: String? = nil, gift: String? = nil,
                count: Int = 1, value: Double = 0, amount: Double? = nil, currency: String? = nil, language: String? = nil, time: Double) {
        self.kind = kind; self.platform = platform; self.user = user; self.name = name; self.text = text; self.gift = gift
        self.count = count; self.value = value; self.amount = amount; self.currency = currency; self.language = language; self.time = time
    }

    /// Written as events logs are read (`type`, `t`, `lang`): what `anchor connect` prints can be replayed.
    enum CodingKeys: String, CodingKey {
        case kind = "type", platform, user, name, text, gift, count, value, amount, currency, language = "lang", time = "t"
    }

    public init(_ m: ChatMessage) {
        self.init(kind: .message, platform: m.platform, user: m.user, text: m.text, time: m.time)
    }

    /// The chat message this event is, if it is one.
    public var message: ChatMessage? {
        guard kind == .message, let text else { return nil }
        return ChatMessage(platform: platform, user: name ?? user, text: text, time: time)
    }

    public struct FormatError: Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// An event from its JSON object: `{"type": "gift", "user": "u1", "name": "Ann", "gift":
    /// "rose", "count": 3, "value": 30, "t": 12.5}`. Without a `type`, a line with `text` is a
    /// message (chat logs are event logs). `time` is used when the object has no `t`.
    public static func parse(_ o: [String: Any], time: Double, platform: String) throws(FormatError) -> ViewerEvent {
        let typeName = (o["type"] as? String) ?? (o["text"] != nil ? "message" : "")
        guard let kind = Kind(rawValue: typeName) else {
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw FormatError(description: typeName.isEmpty ? "no \"type\" (one of \(known)) and no \"text\"" : "unknown type '\(typeName.prefix(40))' (use \(known))")
        }
        func number(_ key: String) throws(FormatError) -> Double? {
            guard let v = o[key] else { return nil }
            guard let n = numericValue(v), n.isFinite else { throw FormatError(description: "\"\(key)\" must be a number") }
            return n
        }
        func string(_ key: String, max: Int) -> String? {
            guard let s = o[key] as? String else { return nil }
            let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : String(trimmed.prefix(max))
        }
        let t = try number("t") ?? time
        let count = try number("count") ?? 1
        guard count >= 1, count <= 1_000_000, count == count.rounded() else { throw FormatError(description: "\"count\" must be a whole number from 1 to 1000000") }
        let value = try number("value") ?? 0
        guard value >= 0, value <= 1e9 else { throw FormatError(description: "\"value\" must be from 0 to 1e9") }
        let amount = try number("amount")
        if let amount, !(amount > 0 && amount <= 1e7) { throw FormatError(description: "\"amount\" must be above 0 and at most 1e7") }
        let text = o["text"] as? String
        if kind == .message || kind == .paidMessage, text == nil { throw FormatError(description: "a \(kind.rawValue) needs \"text\"") }
        if kind == .paidMessage, amount == nil { throw FormatError(description: "a paid_message needs \"amount\" (and \"currency\")") }
        // A currency is a code (ISO 4217, or BITS), never free text that could be read out.
        let currency = string("currency", max: 8)?.uppercased()
        if let currency, !(currency.count == 3 || currency == "BITS") || !currency.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
            throw FormatError(description: "\"currency\" must be a code like USD, CNY or BITS")
        }
        let language = string("lang", max: 8)
        if let language, language != "en", language != "zh" { throw FormatError(description: "\"lang\" must be en or zh") }
        return ViewerEvent(kind: kind, platform: string("platform", max: 32) ?? platform, user: string("user", max: 64) ?? "viewer",
                           name: string("name", max: 64), text: text, gift: string("gift", max: 40), count: Int(count), value: value,
                           amount: amount, currency: currency, language: language, time: t)
    }

    /// Events from a body of JSON: one object, an array of objects, or one object a line.
    public static func parse(json data: Data, time: Double, platform: String) throws(FormatError) -> [ViewerEvent] {
        if let array = try? JSONSerialization.jsonObject(with: data) as? [Any] {
            var out: [ViewerEvent] = []
            for (i, item) in array.enumerated() {
                guard let o = item as? [String: Any] else { throw FormatError(description: "item \(i + 1): not a JSON object") }
                do { out.append(try parse(o, time: time, platform: platform)) } catch { throw FormatError(description: "item \(i + 1): \(error)") }
            }
            return out
        }
        var out: [ViewerEvent] = []
        for (i, line) in Self.lines(of: data).enumerated() where !line.isEmpty {
            do { out.append(try parse(line: line, time: time, platform: platform)) } catch { throw FormatError(description: "line \(i + 1): \(error)") }
        }
        return out
    }

    /// An event from one line of JSON (an events log, a stdin feed, a line of a body).
    static func parse(line: some DataProtocol, time: Double, platform: String) throws(FormatError) -> ViewerEvent {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { throw FormatError(description: "not a JSON object") }
        return try parse(o, time: time, platform: platform)
    }

    /// The lines of a body, without surrounding blanks (empty lines stay, so numbers match the file).
    static func lines(of data: Data) -> [Data.SubSequence] {
        data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { raw in
            var line = raw.drop { $0 == 0x20 || $0 == 0x09 }
            while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line = line.dropLast() }
            return line
        }
    }
}

/// A number from parsed JSON or YAML (native Int or Double on Linux, NSNumber elsewhere); never a Bool.
func numericValue(_ v: Any) -> Double? {
    // `is Bool` is true for an NSNumber 0 or 1, so the type is asked by name (Bool, __NSCFBoolean).
    if type(of: v) == Bool.self || String(describing: type(of: v)).hasSuffix("Boolean") { return nil }
    if let d = v as? Double { return d }
    if let i = v as? Int { return Double(i) }
    return (v as? NSNumber)?.doubleValue
}
