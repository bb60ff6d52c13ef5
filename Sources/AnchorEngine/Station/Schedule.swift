import AnchorChat
import AnchorCore
import Foundation
import Yams

/// A broadcast schedule (`*.schedule.yaml`): a time zone, entries that air a show on some
/// days within a time window (windows may cross midnight), and a filler show for the gaps.
///
/// ```yaml
/// timezone: Asia/Shanghai
/// filler: overnight.show.md
/// entries:
///   - name: late deals
///     days: weekdays            # daily, weekdays, weekends, or [mon, tue, …]
///     from: "22:00"
///     to: "02:00"
///     show: demo.show.md        # relative to this file
///     loop: true
///     products: tag:night       # optional: replaces the show's product selection
///     warmup: teaser.mp4        # optional: a clip or picture with a countdown before 'from'
///     warmup_for: 10m           # how long before (default 5m)
/// chat:                         # optional: platform chats read on air (see ConnectorSpec)
///   - twitch: yourchannel
///   - youtube: dQw4w9WgXcQ
///     every: 10s
/// ```
public struct Schedule: Sendable {
    public struct Entry: Sendable {
        public var name: String
        /// Weekdays it starts on: 1 = Sunday … 7 = Saturday (Calendar's numbering).
        public var days: Set<Int>
        /// Minutes after midnight; `end <= start` means it ends the next day.
        public var start: Int
        public var end: Int
        public var show: String
        public var loop: Bool
        public var products: String?
        /// A clip or picture aired with a countdown for `warmupSeconds` before the window.
        public var warmup: String?
        public var warmupSeconds = Schedule.defaultWarmup
        public var location: SourceLocation
        /// Length in minutes (a window from 22:00 to 02:00 is 240).
        public var minutes: Int { end > start ? end - start : end + 1440 - start }
    }

    public var path: String
    public var timeZone: TimeZone
    public var filler: String?
    public var entries: [Entry]
    /// The platform chats this channel reads on air.
    public var chat: [ConnectorSpec] = []

    /// One stretch of air time in a plan.
    public struct Slot: Sendable, Equatable {
        public var start: Date
        public var end: Date
        public var show: String
        public var name: String
        public var loop: Bool
        public var isFiller: Bool
        /// A warm-up: `show` is its clip or picture, and the entry it leads into (`leadsInto`) starts here.
        public var startsAt: Date?
        public var leadsInto: String?

        public var isWarmup: Bool { startsAt != nil }
    }

    public static let defaultWarmup = 300
    static let warmupRange = 10...(6 * 3600)

    // MARK: Loading

    /// Parses a schedule; every problem is a diagnostic at its line and column. The schedule
    /// comes back as far as it could be read, even with errors (so its shows can be checked
    /// too); never air one whose diagnostics have errors.
    public static func load(path: String) -> (Schedule?, [Diagnostic]) {
        let at = { (line: Int, column: Int) in SourceLocation(file: path, line: line, column: column) }
        let root: Node?
        switch YAMLSource.compose(path: path, what: "schedule") {
        case .success(let node): root = node
        case .failure(let d): return (nil, [d])
        }
        guard let map = root?.mapping else { return (nil, [.error(at: at(1, 1), "expected 'timezone', 'filler' and 'entries' keys")]) }
        var diagnostics: [Diagnostic] = []
        func loc(_ n: Node) -> SourceLocation { at(n.mark?.line ?? 1, n.mark?.column ?? 1) }

        var zone = TimeZone.current
        if let z = map["timezone"] {
            if let id = z.string, let tz = TimeZone(identifier: id) { zone = tz }
            else { diagnostics.append(.error(at: loc(z), "unknown time zone '\(z.string ?? "")'", hint: "use an IANA name like Asia/Shanghai or America/New_York")) }
        }
        for (k, _) in map where !["timezone", "filler", "entries", "chat"].contains(k.string ?? "") {
            diagnostics.append(.warning(at: loc(k), "unknown key '\(k.string ?? "")' is ignored"))
        }
        var entries: [Entry] = []
        if let list = map["entries"]?.sequence {
            for (i, node) in list.enumerated() {
                guard let e = node.mapping else { diagnostics.append(.error(at: loc(node), "an entry is a mapping with show, from, to")); continue }
                let name = e["name"]?.string ?? "entry \(i + 1)"
                guard let show = e["show"]?.string, !show.isEmpty else {
                    diagnostics.append(.error(at: loc(node), "entry '\(name)' has no show")); continue
                }
                guard let fromNode = e["from"], let start = parseTime(fromNode.string) else {
                    diagnostics.append(.error(at: e["from"].map(loc) ?? loc(node), "entry '\(name)': 'from' must be a time like \"22:00\"")); continue
                }
                guard let toNode = e["to"], let end = parseTime(toNode.string) else {
                    diagnostics.append(.error(at: e["to"].map(loc) ?? loc(node), "entry '\(name)': 'to' must be a time like \"02:00\"")); continue
                }
                var days = Set(1...7)
                if let d = e["days"] {
                    guard let parsed = parseDays(d) else {
                        diagnostics.append(.error(at: loc(d), "entry '\(name)': days are daily, weekdays, weekends or a list like [mon, tue]")); continue
                    }
                    days = parsed
                }
                var entry = Entry(name: name, days: days, start: start, end: end, show: resolve(show, near: path),
                                  loop: e["loop"]?.bool ?? true, products: e["products"]?.string, location: loc(node))
                if let w = e["warmup"] {
                    if let file = w.string, !file.isEmpty { entry.warmup = resolve(file, near: path) }
                    else { diagnostics.append(.error(at: loc(w), "entry '\(name)': 'warmup' is the clip or picture to air before it")) }
                }
                if let f = e["warmup_for"] {
                    if let ms = f.string.flatMap(Parse.milliseconds), Self.warmupRange.contains(ms / 1000) { entry.warmupSeconds = ms / 1000 }
                    else { diagnostics.append(.error(at: loc(f), "entry '\(name)': 'warmup_for' is a time from 10s to 6h, like 5m")) }
                }
                entries.append(entry)
            }
        } else {
            diagnostics.append(.error(at: at(1, 1), "no 'entries' list"))
        }
        let filler = map["filler"]?.string.map { resolve($0, near: path) }
        var schedule = Schedule(path: path, timeZone: zone, filler: filler, entries: entries)
        if let chat = map["chat"] { schedule.chat = parseChat(chat, at: loc, into: &diagnostics) }
        diagnostics += schedule.overlaps()
        return (schedule, diagnostics)
    }

    static func parseTime(_ s: String?) -> Int? {
        guard let s else { return nil }
        let parts = s.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440 else { return nil }
        return (h * 60 + m) % 1440
    }

    static let dayNames = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    static func parseDays(_ node: Node) -> Set<Int>? {
        if let s = node.string?.lowercased() {
            switch s {
            case "daily", "every day": return Set(1...7)
            case "weekdays": return [2, 3, 4, 5, 6]
            case "weekends": return [1, 7]
            default: return dayNames[String(s.prefix(3))].map { [$0] }
            }
        }
        guard let list = node.sequence else { return nil }
        var out = Set<Int>()
        for item in list {
            guard let s = item.string?.lowercased(), let d = dayNames[String(s.prefix(3))] else { return nil }
            out.insert(d)
        }
        return out.isEmpty ? nil : out
    }

    static func resolve(_ file: String, near schedule: String) -> String {
        if file.hasPrefix("/") { return file }
        let folder = (schedule as NSString).deletingLastPathComponent
        return folder.isEmpty ? file : folder + "/" + file
    }

    // MARK: Checks

    /// Two entries on air at the same minute of the week, with where and when.
    func overlaps() -> [Diagnostic] {
        // Minutes of the week (0 = Sunday 00:00), crossing midnight into the next day.
        func ranges(_ e: Entry) -> [Range<Int>] {
            e.days.sorted().flatMap { day -> [Range<Int>] in
                let s = (day - 1) * 1440 + e.start, end = s + e.minutes
                let week = 7 * 1440
                return end <= week ? [s..<end] : [s..<week, 0..<(end - week)]
            }
        }
        var out: [Diagnostic] = []
        for (i, a) in entries.enumerated() {
            for b in entries[(i + 1)...] {
                for ra in ranges(a) {
                    if let rb = ranges(b).first(where: { $0.overlaps(ra) }) {
                        let at = max(ra.lowerBound, rb.lowerBound)
                        let day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][at / 1440]
                        out.append(.error(at: b.location, "'\(b.name)' overlaps '\(a.name)' on \(day) from \(Self.clock(at % 1440))",
                                          hint: "one show airs at a time; shorten one window or move it"))
                        break
                    }
                }
            }
        }
        return out
    }

    static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    // MARK: Planning

    /// What airs from `from` to `to`: the entries' windows, and the filler (if any) between.
    public func plan(from: Date, to: Date) -> [Slot] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var slots: [Slot] = [], warmups: [Slot] = []
        // Windows that started up to a day before `from` may still be on air.
        var day = calendar.startOfDay(for: from.addingTimeInterval(-86_400))
        while day < to {
            let weekday = calendar.component(.weekday, from: day)
            for e in entries where e.days.contains(weekday) {
                guard let start = calendar.date(byAdding: .minute, value: e.start, to: day),
                      let end = calendar.date(byAdding: .minute, value: e.start + e.minutes, to: day) else { continue }
                if end > from, start < to {
                    slots.append(Slot(start: max(start, from), end: min(end, to), show: e.show, name: e.name, loop: e.loop, isFiller: false))
                }
                let warmupStart = start.addingTimeInterval(-Double(e.warmupSeconds))
                if let file = e.warmup, start > from, warmupStart < to {
                    warmups.append(Slot(start: max(warmupStart, from), end: min(start, to), show: file, name: e.name, loop: true,
                                        isFiller: false, startsAt: start, leadsInto: e.show))
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        slots.sort { $0.start < $1.start }
        warmups.sort { $0.start < $1.start }
        var out: [Slot] = []
        /// Air time between entries: warm-ups where they lead into an entry, the filler elsewhere.
        func gap(_ from: Date, _ to: Date) {
            var cursor = from
            for w in warmups where w.end > cursor && w.start < to {
                let start = max(w.start, cursor)
                if start > cursor, let filler { out.append(Slot(start: cursor, end: start, show: filler, name: "filler", loop: true, isFiller: true)) }
                var slot = w
                slot.start = start
                slot.end = min(w.end, to)
                out.append(slot)
                cursor = slot.end
            }
            if to > cursor, let filler { out.append(Slot(start: cursor, end: to, show: filler, name: "filler", loop: true, isFiller: true)) }
        }
        var cursor = from
        for s in slots {
            if s.start > cursor { gap(cursor, s.start) }
            out.append(s)
            cursor = max(cursor, s.end)
        }
        if cursor < to { gap(cursor, to) }
        return out
    }
}
