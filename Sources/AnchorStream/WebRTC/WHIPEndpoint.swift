import Foundation

/// A WHIP endpoint (RFC 9725): `whip+https://host/path` or, for tests on one machine,
/// `whip+http://…`. The path and the Bearer token can be secrets: `redacted` is what is logged.
public struct WHIPEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP(S) address the offer is POSTed to.
    public let url: URL
    public let token: String?

    public init(_ text: String, token: String? = nil) throws(StreamURL.ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("whip+http://") || lower.hasPrefix("whip+https://") else {
            throw StreamURL.ParseError(message: "'\(StreamURL.redact(trimmed))' is not a WHIP address; expected whip+https://HOST/PATH")
        }
        guard let url = URL(string: String(trimmed.dropFirst(5))), let host = url.host, !host.isEmpty else {
            throw StreamURL.ParseError(message: "'\(StreamURL.redact(trimmed))' is not a valid URL")
        }
        if let port = url.port, !(1...65_535).contains(port) {
            throw StreamURL.ParseError(message: "bad port in \(StreamURL.redact(trimmed)); ports are 1–65535")
        }
        self.url = url
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    public static func isWHIP(_ text: String) -> Bool { text.lowercased().hasPrefix("whip+") }

    /// Scheme, host and port; the path's first segment only, the rest and any query hidden.
    public var redacted: String { Self.redacted(url) }

    public var description: String { redacted }

    /// An ICE server URL without its query (TURN credentials can ride there).
    static func redactedICEServer(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }

    static func redacted(_ url: URL) -> String {
        let host = url.host.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "?"
        let port = url.port.map { ":\($0)" } ?? ""
        let segments = url.path.split(separator: "/")
        let shown = segments.first.map { "/" + $0 } ?? ""
        let hidden = segments.count > 1 || url.query != nil ? "/****" : ""
        return "whip+\(url.scheme ?? "https")://\(host)\(port)\(shown)\(hidden)"
    }
}
