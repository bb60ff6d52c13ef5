import Crypto
import Foundation

/// Platforms that push events (open-platform webhooks) cannot send the control port's token:
/// they sign the body instead. With a shared secret, `POST /events` also accepts a request
/// whose `X-Anchor-Signature: sha256=HEX` is the HMAC-SHA256 of its exact body.
public struct WebhookSignature: Sendable {
    private let key: SymmetricKey
    public static let header = "x-anchor-signature"

    public init(secret: String) { key = SymmetricKey(data: Data(secret.utf8)) }

    /// The header value for a body (what a sender computes).
    public func sign(_ body: Data) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `header` signs `body`, compared in constant time.
    public func verify(_ header: String, body: Data) -> Bool {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("sha256="), let mac = Self.bytes(hex: value.dropFirst(7)) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key)
    }

    static func bytes(hex: Substring) -> Data? {
        guard hex.count == 64 else { return nil }
        var out = Data(capacity: 32)
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            guard let b = UInt8(hex[i..<j], radix: 16) else { return nil }
            out.append(b)
            i = j
        }
        return out
    }
}
