/// The media side of a WHIP session behind one boundary: it makes the SDP offer, connects with
/// the endpoint's answer, then takes media until it fails or is closed. `WebRTCPeer` is ours
/// (STUN/ICE, DTLS-SRTP through OpenSSL and libsrtp2, RTP/RTCP on NIO); a library such as
/// libdatachannel, once Debian packages it, could stand here instead, and `WHIPPublisher`
/// (the HTTP side, the reconnects) would not change.
public protocol WebRTCTransport: AnyObject, Sendable {
    /// The SDP offer to POST: Opus and H.264 constrained baseline, send-only.
    var offer: String { get }
    /// Connects with the answer; an unusable answer throws `.sdp`, a failed handshake `.ice`/`.dtls`.
    /// `iceServers` (the endpoint's `Link: rel="ice-server"` URLs) may reveal candidates after the
    /// offer; each is handed to `trickle` as an `application/trickle-ice-sdpfrag` body.
    func connect(answer: String, iceServers: [String], trickle: @escaping @Sendable (String) -> Void) async throws(WebRTCError)
    /// Sends one encoded frame; never blocks (dropped before connecting).
    func send(_ packet: StreamPacket)
    /// Returns when the session fails on its own (consent lost, DTLS closed); throws why.
    func ended() async throws
    /// Ends the session (DTLS close_notify) and releases the socket.
    func close() async
    var stats: WebRTCStats { get }
}
