import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A server child channel whose connections first pass a `ConnectionLimit`.
struct LimitedChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base
    let limit: ConnectionLimit
    let idleTimeout: TimeAmount

    struct Refused: Error {}

    func setup(channel: any NIOCore.Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        // The peer's IP without its port: one machine, however many source ports. One over the
        // limit is closed before any HTTP handling (and without a log line per connection).
        let peer = channel.remoteAddress?.ipAddress ?? "unknown"
        guard limit.admit(peer) else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(Refused())
        }
        channel.closeFuture.whenComplete { [limit] _ in limit.release(peer) }
        do {
            try channel.pipeline.syncOperations.addHandler(ConnectionLimit.Handler(limit: limit, idleTimeout: idleTimeout), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
