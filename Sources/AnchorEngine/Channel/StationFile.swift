import AnchorCore
import Foundation
import Yams

/// A station file (`*.station.yaml`): the channels one `anchor run --station` airs side by side.
///
///     channels:
///       - name: skincare                      # a-z 0-9 - _: in URLs, metrics and the database
///         schedule: skincare.schedule.yaml    # paths are relative to this file
///         push_env: PUSH_SKINCARE             # ingest URLs from an environment variable (a Secret)
///         record: recordings/skincare
///         size: 1280x720
///       - name: kitchen
///         schedule: kitchen.schedule.yaml
///         push_file: keys/kitchen.txt
///
/// Every problem is a diagnostic at its line and column.
public struct StationFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var schedule: String
        public var push: [String] = []
        public var pushFile: String?
        public var pushEnv: String?
        public var record: String?
        public var segment: String?
        public var size: String?
        public var fps: Int?
        public var preset: String?
        public var avatar: String?
        public var rules: String?
        public var blocklist: String?
        public var chat: String?
        public var events: String?
        public var connect: [String] = []
        public var location: SourceLocation
    }

    public var path: String
    public var channels: [Entry]

    static let keys = ["name", "schedule", "push", "push_file", "push_env", "record", "segment", "size", "fps", "preset", "avatar", "rules",
                       "blocklist", "chat", "events", "connect"]

    public static func load(path: String) -> (StationFile?, [Diagnostic]) {
        let at = { (line: Int, column: Int) in SourceLocation(file: path, line: line, column: column) }
        let root: Node?
        switch YAMLSource.compose(path: path, what: "station file") {
        case .success(let node): root = node
        case .failure(let d): return (nil, [d])
        }
        func loc(_ n: Node) -> SourceLocation { at(n.mark?.line ?? 1, n.mark?.column ?? 1) }
        guard let list = root?.mapping?["channels"]?.sequence, !list.isEmpty else {
            return (nil, [.error(at: root.map(loc) ?? at(1, 1), "expected a 'channels' list", hint: "each channel has at least a name and a schedule")])
        }
        var diagnostics: [Diagnostic] = []
        for (k, _) in root?.mapping ?? [:] where k.string != "channels" {
            diagnostics.append(.warning(at: loc(k), "unknown key '\(k.string ?? "")' is ignored"))
        }
        let folder = (path as NSString).deletingLastPathComponent
        func file(_ p: String) -> String { p.hasPrefix("/") || folder.isEmpty ? p : (folder as NSString).appendingPathComponent(p) }
        var channels: [Entry] = []
        var seen: Set<String> = []
        for node in list {
            guard let m = node.mapping else { diagnostics.append(.error(at: loc(node), "a channel is a mapping with name and schedule")); continue }
            for (k, _) in m where !keys.contains(k.string ?? "") {
                diagnostics.append(.error(at: loc(k), "unknown key '\(k.string ?? "")'", hint: "a channel takes " + keys.joined(separator: ", ")))
            }
            guard let nameNode = m["name"], let name = nameNode.string, ChannelConfiguration.isValidName(name) else {
                diagnostics.append(.error(at: m["name"].map(loc) ?? loc(node), "a channel needs a name of a-z, 0-9, - and _ (at most 63)"))
                continue
            }
            guard seen.insert(name).inserted else { diagnostics.append(.error(at: loc(nameNode), "channel '\(name)' is named twice")); continue }
            guard let schedule = m["schedule"]?.string, !schedule.isEmpty else {
                diagnostics.append(.error(at: loc(node), "channel '\(name)' has no schedule")); continue
            }
            var e = Entry(name: name, schedule: file(schedule), location: loc(node))
            func text(_ key: String) -> String? {
                guard let v = m[key] else { return nil }
                guard let s = v.string, !s.isEmpty else { diagnostics.append(.error(at: loc(v), "channel '\(name)': '\(key)' takes a value")); return nil }
                return s
            }
            func list(_ key: String) -> [String] {
                guard let v = m[key] else { return [] }
                if let s = v.string { return [s] }
                guard let items = v.sequence?.compactMap(\.string), items.count == v.sequence?.count else {
                    diagnostics.append(.error(at: loc(v), "channel '\(name)': '\(key)' takes a value or a list of them")); return []
                }
                return items
            }
            e.push = list("push")
            e.pushFile = text("push_file").map(file)
            e.pushEnv = text("push_env")
            e.record = text("record").map(file)
            e.segment = text("segment")
            e.size = text("size")
            if let v = m["fps"] {
                if let n = v.int, (1...60).contains(n) { e.fps = n } else { diagnostics.append(.error(at: loc(v), "channel '\(name)': fps is 1 to 60")) }
            }
            e.preset = text("preset")
            e.avatar = text("avatar")
            e.rules = text("rules").map(file)
            e.blocklist = text("blocklist").map(file)
            e.chat = text("chat").map { $0 == "-" ? $0 : file($0) }
            e.events = text("events").map { $0 == "-" ? $0 : file($0) }
            e.connect = list("connect")
            if e.push.isEmpty, e.pushFile == nil, e.pushEnv == nil, e.record == nil {
                diagnostics.append(.error(at: loc(node), "channel '\(name)' goes nowhere", hint: "give push, push_file, push_env or record"))
            }
            channels.append(e)
        }
        let records = channels.compactMap(\.record)
        if Set(records).count != records.count { diagnostics.append(.error(at: at(1, 1), "two channels record into one folder")) }
        return (StationFile(path: path, channels: channels), diagnostics)
    }
}
