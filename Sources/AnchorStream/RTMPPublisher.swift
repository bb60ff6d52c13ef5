import Foundation
import NIOCore
import NIOSSL

/// Classic and Enhanced RTMP (TCP or TLS).
public struct RTMPPublisher: Publisher {
    public let url: StreamURL
    let group: EventLoopGroup
    let tls: NIOSSLContext?
    let settings: PublishSettings

    /// `trustedCA`: a PEM file of certificates to trust for rtmps:// besides the system's.
    public init(url: StreamURL, settings: PublishSettings, group: EventLoopGroup, trustedCA: String? = nil) throws {
        self.url = url
        self.settings = settings
        self.group = group
        tls = url.scheme == .rtmps ? try NIOSSLContext.client(trusting: trustedCA) : nil
    }

    public var redacted: String { url.redacted }

    public func publish(queue: PacketQueue, events: PublishEvents) async throws(PublishError) {
        try await RTMPSession.run(url: url, group: group, tls: tls, settings: settings, queue: queue,
                                  onPublishing: events.onPublishing, onSent: events.onSent)
    }
}
