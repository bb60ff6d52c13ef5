/// Why a WebRTC (WHIP) session could not start or ended.
public enum WebRTCError: Error, Sendable, Equatable, CustomStringConvertible {
    case dtls(String)
    case srtp(String)
    case sdp(String)
    case ice(String)

    public var description: String {
        switch self {
        case .dtls(let m), .srtp(let m), .sdp(let m), .ice(let m): m
        }
    }
}
