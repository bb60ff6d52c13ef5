import Foundation
import NIOCore
import Synchronization

/// Publishes over WebRTC to a WHIP endpoint: a fresh socket, offer and DTLS session for each
/// attempt; media from the queue until it closes (then DELETE) or the session fails.
public struct WHIPPublisher: Publisher {
    public let endpoint: WHIPEndpoint
    let group: EventLoopGroup
    let http: HTTPFetch
    /// SPS and PPS of the constrained-baseline encoder, sent before each keyframe.
    let parameterSets: [Data]

    /// Makes the media side of one session, given the SPS/PPS and what to do on a keyframe request.
    public typealias TransportFactory = @Sendable (EventLoopGroup, [Data], @escaping @Sendable () -> Void) async throws -> WebRTCTransport
    let makeTransport: TransportFactory

    /// `makeTransport`: anchor's own WebRTC stack unless another is given.
    public init(endpoint: WHIPEndpoint, parameterSets: [Data], group: EventLoopGroup, trustedCA: String? = nil,
                makeTransport: TransportFactory? = nil) throws {
        self.endpoint = endpoint
        self.parameterSets = parameterSets
        self.group = group
        self.makeTransport = makeTransport ?? { try await WebRTCPeer(group: $0, parameterSets: $1, onKeyframeRequest: $2) }
        var http = try HTTPFetch(group: group, trustedCA: trustedCA)
        http.timeout = .seconds(10)
        http.maxBody = 256 << 10
        self.http = http
    }

    public var redacted: String { endpoint.redacted }

    public func publish(queue: PacketQueue, events: PublishEvents) async throws(PublishError) {
        let peer: WebRTCTransport
        do {
            peer = try await makeTransport(group, parameterSets, events.onKeyframeRequest)
        } catch {
            throw .unreachable("cannot set up WebRTC (certificate, UDP socket): \(error)")
        }
        let client = WHIPClient(endpoint: endpoint, http: http)
        let session: WHIPClient.Session
        do { session = try await client.publish(offer: peer.offer) } catch {
            await peer.close()
            throw error
        }
        func end() async {
            if let resource = session.resource { _ = await client.delete(resource) }
        }
        do {
            try await peer.connect(answer: session.answer, iceServers: session.iceServers) { fragment in
                guard let resource = session.resource else { return }
                Task { _ = await client.trickle(fragment, to: resource) }
            }
        } catch {
            await peer.close()
            await end()
            if case .sdp = error { throw .rejected("the WHIP endpoint \(endpoint.redacted) sent an answer anchor cannot use: \(error)") }
            throw .lost("WebRTC to \(endpoint.redacted): \(error)")
        }
        events.onWebRTCStats(peer.stats)
        let statsEvery = Mutex(ContinuousClock.now)
        let deliver: @Sendable (StreamPacket) -> Void = { p in
            peer.send(p)
            events.onSent(p)
            let due = statsEvery.withLock { last -> Bool in
                guard ContinuousClock.now - last > .milliseconds(500) else { return false }
                last = .now
                return true
            }
            if due { events.onWebRTCStats(peer.stats) }
        }
        // Sending is a hand-off to the session's event loop: packets go from the encoder straight
        // to it, never through a reader task.
        queue.deliverDirectly(to: deliver)
        events.onPublishing()
        let failure: Error? = await withTaskGroup(of: Error?.self) { tasks in
            tasks.addTask {
                // Nothing is queued in direct delivery: this waits for the queue to close (the end).
                while !Task.isCancelled, let p = await queue.next() { deliver(p) }
                return nil
            }
            tasks.addTask {
                do { try await peer.ended(); return nil } catch { return error }
            }
            let first = await tasks.next() ?? nil
            queue.deliverDirectly(to: nil)
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
