import AnchorChat
import AnchorCore
import Yams

extension Schedule {
    /// The `chat:` list: each item `platform: channel` (with optional `server:` and, for
    /// YouTube, `every:`), or the same as one string (`twitch:yourchannel`, a room's address).
    static func parseChat(_ node: Node, at loc: (Node) -> SourceLocation, into diagnostics: inout [Diagnostic]) -> [ConnectorSpec] {
        guard let list = node.sequence else {
            diagnostics.append(.error(at: loc(node), "'chat' is a list of sources, e.g. '- twitch: yourchannel'"))
            return []
        }
        var specs: [ConnectorSpec] = []
        for item in list {
            do throws(ConnectorSpec.ParseError) {
                if let text = item.string {
                    specs.append(try ConnectorSpec(text))
                    continue
                }
                guard let map = item.mapping else {
                    diagnostics.append(.error(at: loc(item), "a chat source is 'platform: channel' or a string like twitch:yourchannel"))
                    continue
                }
                var platform: (ConnectorSpec.Platform, Node)?
                var server: String?, every: Double?
                for (k, v) in map {
                    let key = k.string ?? ""
                    if let p = ConnectorSpec.Platform(rawValue: key) {
                        guard platform == nil else {
                            diagnostics.append(.error(at: loc(k), "one platform per chat source; start another item with '-'"))
                            continue
                        }
                        platform = (p, v)
                    } else if key == "server" {
                        server = v.string
                    } else if key == "every" {
                        guard let ms = Parse.milliseconds(v.string ?? ""), ms >= 1_000 else {
                            diagnostics.append(.error(at: loc(v), "'every' is a duration like 10s"))
                            continue
                        }
                        every = Double(ms) / 1000
                    } else {
                        diagnostics.append(.warning(at: loc(k), "unknown key '\(key)' in a chat source is ignored",
                                                    hint: "platforms: " + ConnectorSpec.Platform.allCases.map(\.rawValue).joined(separator: ", ") + "; options: server, every"))
                    }
                }
                guard let (p, channel) = platform else {
                    diagnostics.append(.error(at: loc(item), "no platform in this chat source (twitch, youtube, bilibili or irc)"))
                    continue
                }
                do { specs.append(try ConnectorSpec(platform: p, channel: channel.string ?? "", server: server, every: every)) } catch {
                    diagnostics.append(.error(at: loc(channel), "chat: \(error.description)"))
                }
            } catch {
                diagnostics.append(.error(at: loc(item), "chat: \(error.description)"))
            }
        }
        return specs
    }
}
