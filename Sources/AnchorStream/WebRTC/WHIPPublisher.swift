import Foundation
import NIOCore

/// Publishes over WebRTC to a WHIP endpoint: a fresh socket, offer and DTLS session for each
/// attempt; media from the queue until it closes (then DELETE) or the session fails.
public struct WHIPPublisher: Publisher {
    public let endpoint: WHIPEndpoint
    let group: EventLoopGroup
    let http: HTTPFetch
    /// SPS and PPS of the constrained-baseline encoder, sent before each keyframe.
    let parameterSets: [Data]
    var peerSettings = WebRTCPeer.Settings()

    public init(endpoint: WHIPEndpoint, parameterSets: [Data], group: EventLoopGroup, trustedCA: String? = nil) throws {
        self.endpoint = endpoint
        self.parameterSets = parameterSets
        self.group = group
        var http = try HTTPFetch(group: group, trustedCA: trustedCA)
        http.timeout = .seconds(10)
        http.maxBody = 256 << 10
        self.http = http
    }

    public var redacted: String { endpoint.redacted }

    public func publish(queue: PacketQueue, events: PublishEvents) async throws(PublishError) {
        let certificate: DTLSCertificate
        do { certificate = try DTLSCertificate() } catch { throw .rejected("WebRTC: \(error)") }
        let (channel, candidates): (Channel, [(host: String, port: Int)])
        do { (channel, candidates) = try await WebRTCPeer.bind(group: group) } catch {
            throw .unreachable("cannot open a UDP socket for WebRTC: \(error)")
        }
        let offer = SessionOffer(iceUfrag: SessionOffer.randomToken(8), icePwd: SessionOffer.randomToken(24), fingerprint: certificate.fingerprint,
                                 candidates: candidates, audioSSRC: .random(in: 1...UInt32.max), videoSSRC: .random(in: 1...UInt32.max))
        let client = WHIPClient(endpoint: endpoint, http: http)
        let session: WHIPClient.Session
        do { session = try await client.publish(offer: offer.sdp) } catch {
            try? await channel.close()
            throw error
        }
        func end() async {
            if let resource = session.resource { _ = await client.delete(resource) }
        }
        let answer: SessionAnswer
        do { answer = try SessionAnswer(session.answer) } catch {
            try? await channel.close()
            await end()
            throw .rejected("the WHIP endpoint \(endpoint.redacted) sent an answer anchor cannot use: \(error)")
        }
        let peer: WebRTCPeer
        do {
            peer = try await WebRTCPeer(channel: channel, offer: offer, answer: answer, certificate: certificate, settings: peerSettings,
                                        parameterSets: parameterSets, onKeyframeRequest: events.onKeyframeRequest)
        } catch {
            try? await channel.close()
            await end()
            throw .lost("WebRTC to \(endpoint.redacted): \(error)")
        }
        events.onWebRTCStats(peer.stats)
        events.onPublishing()
        let failure: Error? = await withTaskGroup(of: Error?.self) { tasks in
            tasks.addTask {
                var last = ContinuousClock.now
                while !Task.isCancelled, let p = await queue.next() {
                    peer.send(p)
                    events.onSent(p)
                    if ContinuousClock.now - last > .milliseconds(500) {
                        last = .now
                        events.onWebRTCStats(peer.stats)
                    }
                }
                return nil
            }
            tasks.addTask {
                do { try await peer.ended(); return nil } catch { return error }
            }
            let first = await tasks.next() ?? nil
            tasks.cancelAll()
            if first == nil {
                // The queue closed: let what was handed to the event loop go out before close_notify.
                try? await Task.sleep(for: .milliseconds(20))
            }
            events.onWebRTCStats(peer.stats)
            await peer.close() // also ends the task waiting on the session
            return first
        }
        await end()
        if let failure { throw .lost("WebRTC to \(endpoint.redacted): \(failure)") }
    }
}
