/// One IRC line (RFC 1459 with IRCv3 message tags): `@tags :prefix COMMAND params :trailing`.
public struct IRCMessage: Sendable, Equatable {
    public var tags: [String: String]
    /// `nick!user@host` or a server name.
    public var prefix: String?
    public var command: String
    public var params: [String]

    public init(tags: [String: String] = [:], prefix: String? = nil, command: String, params: [String] = []) {
        self.tags = tags; self.prefix = prefix; self.command = command; self.params = params
    }

    /// The nick of `prefix` (`nick!user@host`).
    public var nick: String? { prefix.map { String($0.prefix { $0 != "!" && $0 != "@" }) } }

    /// Parses a line (without its CR LF); nil when it has no command.
    public init?(line: Substring) {
        var rest = line
        func word() -> Substring {
            let w = rest.prefix { $0 != " " }
            rest = rest[w.endIndex...].drop { $0 == " " }
            return w
        }
        var tags: [String: String] = [:]
        if rest.first == "@" {
            for pair in word().dropFirst().split(separator: ";") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                tags[String(kv[0])] = kv.count > 1 ? Self.unescape(kv[1]) : ""
            }
        }
        var prefix: String?
        if rest.first == ":" { prefix = String(word().dropFirst()) }
        let command = word()
        guard !command.isEmpty else { return nil }
        var params: [String] = []
        while !rest.isEmpty {
            if rest.first == ":" { params.append(String(rest.dropFirst())); break }
            params.append(String(word()))
        }
        self.init(tags: tags, prefix: prefix, command: command.uppercased(), params: params)
    }

    /// The wire form, with the last parameter as trailing when it needs to be.
    public var line: String {
        var out = prefix.map { ":\($0) " } ?? ""
        out += command
        for (i, p) in params.enumerated() {
            let last = i == params.count - 1
            out += last && (p.isEmpty || p.contains(" ") || p.hasPrefix(":")) ? " :" + p : " " + p
        }
        return out
    }

    /// IRCv3 tag values escape `;`, space, `\`, CR and LF.
    static func unescape(_ s: Substring) -> String {
        guard s.contains("\\") else { return String(s) }
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                switch c {
                case ":": out.append(";")
                case "s": out.append(" ")
                case "r": out.append("\r")
                case "n": out.append("\n")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
