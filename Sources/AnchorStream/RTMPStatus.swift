/// The `code` of an RTMP `onStatus` or `_error` reply (`NetConnection.*`, `NetStream.*`), as
/// the publisher acts on it. Servers send many more; those are kept as text.
public enum RTMPStatus: Equatable, Sendable {
    /// `NetStream.Publish.Start`: media may flow.
    case publishStart
    /// `NetStream.Publish.BadName`: the stream key is publishing already (nginx-rtmp, SRS, YouTube).
    case publishBadName
    /// `…Rejected` (`NetConnection.Connect.Rejected`, …): the server refused this step.
    case rejected(String)
    /// `…Failed` (`NetStream.Publish.Failed`, …).
    case failed(String)
    case other(String)

    public init(code: String) {
        switch code {
        case "NetStream.Publish.Start": self = .publishStart
        case "NetStream.Publish.BadName": self = .publishBadName
        case _ where code.hasSuffix("Rejected"): self = .rejected(code)
        case _ where code.hasSuffix("Failed"): self = .failed(code)
        default: self = .other(code)
        }
    }

    public var code: String {
        switch self {
        case .publishStart: "NetStream.Publish.Start"
        case .publishBadName: "NetStream.Publish.BadName"
        case .rejected(let c), .failed(let c), .other(let c): c
        }
    }

    /// The server said no: the step will not succeed by waiting.
    public var refuses: Bool {
        switch self {
        case .rejected, .failed, .publishBadName: true
        case .publishStart, .other: false
        }
    }
}
