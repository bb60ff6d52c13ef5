import Foundation

/// Where `--push` sends the show.
public enum PushTarget: Sendable, Hashable, CustomStringConvertible {
    case rtmp(StreamURL)
    case whip(WHIPEndpoint)

    /// `rtmp://`, `rtmps://`, `whip+http://` or `whip+https://`; `whipToken` is the Bearer token for WHIP.
    public init(_ text: String, whipToken: String? = nil) throws(StreamURL.ParseError) {
        if WHIPEndpoint.isWHIP(text) {
            self = .whip(try WHIPEndpoint(text, token: whipToken))
        } else {
            self = .rtmp(try StreamURL(text))
        }
    }

    public var description: String {
        switch self {
        case .rtmp(let u): u.redacted
        case .whip(let w): w.redacted
        }
    }
}
