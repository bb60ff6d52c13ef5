import Foundation

/// An ingest address: `rtmp://host[:port]/app[/instance]/streamKey[?query]` or `rtmps://…`.
/// The stream key and query (tokens) are secrets: `redacted` is the only form that is logged.
public struct StreamURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable {
        case rtmp, rtmps
        var defaultPort: Int { self == .rtmp ? 1935 : 443 }
    }

    public let scheme: Scheme
    public let host: String
    public let port: Int
    /// The application, e.g. `live` or `live2/instance` (what `connect` names).
    public let app: String
    /// The stream name published, with its query (tokens) if any.
    public let streamName: String
    public let original: String

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    public init(_ text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let sep = trimmed.range(of: "://") else {
            throw ParseError(message: "'\(Self.redact(trimmed))' is not a stream URL; expected rtmp://HOST[:PORT]/APP/KEY or rtmps://…")
        }
        let schemeText = trimmed[..<sep.lowerBound].lowercased()
        guard let scheme = Scheme(rawValue: schemeText) else {
            throw ParseError(message: "unsupported scheme '\(schemeText)://' in \(Self.redact(trimmed)); anchor pushes rtmp:// and rtmps://")
        }
        let rest = trimmed[sep.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var host = String(authority), port = scheme.defaultPort
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            let h = String(host[host.index(after: host.startIndex)..<close])
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65_535).contains(p) else { throw ParseError(message: "bad port in \(Self.redact(trimmed))") }
                port = p
            }
            host = h
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65_535).contains(p) else {
                throw ParseError(message: "bad port in \(Self.redact(trimmed)); ports are 1–65535")
            }
            port = p
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw ParseError(message: "no host in \(Self.redact(trimmed))") }
        let path = rest[authorityEnd...].drop { $0 == "/" }
        // The last path component is the stream key; everything before it is the app.
        let pathOnly = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard let slash = pathOnly.lastIndex(of: "/") else {
            throw ParseError(message: "\(Self.redact(trimmed)) has no stream key; expected \(scheme.rawValue)://\(host)/APP/KEY")
        }
        let app = String(pathOnly[..<slash])
        let keyStart = path.index(path.startIndex, offsetBy: pathOnly.distance(from: pathOnly.startIndex, to: slash) + 1)
        let name = String(path[keyStart...])
        guard !app.isEmpty else { throw ParseError(message: "\(Self.redact(trimmed)) has no application name before the key") }
        guard !name.isEmpty, !name.hasPrefix("?") else {
            throw ParseError(message: "\(Self.redact(trimmed)) has no stream key; expected \(scheme.rawValue)://\(host)/\(app)/KEY")
        }
        self.scheme = scheme
        self.host = host
        self.port = port
        self.app = app
        self.streamName = name
        self.original = trimmed
    }

    /// `tcUrl` for `connect`: the URL up to the app, no key.
    public var tcURL: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(h):\(port)/\(app)"
    }

    /// The URL with its key and tokens hidden: safe for every log line and status output.
    public var redacted: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(h):\(port)/\(app)/\(Self.mask(streamName))"
    }

    public var description: String { redacted }

    /// Hides a stream key (keeps 2 characters to tell keys apart) and every query value.
    static func mask(_ name: String) -> String {
        let parts = name.split(separator: "?", maxSplits: 1)
        let key = String(parts.first ?? "")
        let shown = key.count > 8 ? String(key.prefix(2)) + "…" : ""
        var out = shown + "****"
        if parts.count > 1 {
            out += "?" + parts[1].split(separator: "&").map { pair in
                let k = pair.split(separator: "=", maxSplits: 1).first ?? ""
                return "\(k)=****"
            }.joined(separator: "&")
        }
        return out
    }

    /// Best-effort redaction of text that failed to parse: everything after the third slash.
    public static func redact(_ text: String) -> String {
        var slashes = 0
        for (i, c) in text.enumerated() where c == "/" {
            slashes += 1
            if slashes == 4 { return String(text.prefix(i + 1)) + "****" }
        }
        if let q = text.firstIndex(of: "?") { return String(text[..<q]) + "?****" }
        return text
    }
}
