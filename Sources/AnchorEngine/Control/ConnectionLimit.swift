import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// Caps how many connections one peer may hold open on the control port. A flood of idle or
/// half-sent requests from one address used to take every file descriptor of the process (and
/// with them espeak-ng's data files and the recorder's next file); the total is capped by
/// Hummingbird's `MaximumAvailableConnections`, idle ones are closed by its idle timeout.
final class ConnectionLimit: Sendable {
    let perPeer: Int
    private let open = Mutex<[String: Int]>([:])

    init(perPeer: Int) { self.perPeer = perPeer }

    /// Counts a new connection from `peer`; false when that peer already holds `perPeer`.
    func admit(_ peer: String) -> Bool {
        open.withLock { counts in
            let n = counts[peer, default: 0]
            guard n < perPeer else { return false }
            counts[peer] = n + 1
            return true
        }
    }

    func release(_ peer: String) {
        open.withLock { counts in
            let n = counts[peer, default: 1] - 1
            counts[peer] = n > 0 ? n : nil
        }
    }

    /// Connections open now, for tests.
    var count: Int { open.withLock { $0.values.reduce(0, +) } }

    /// The handler put first in each admitted connection's pipeline (see `LimitedChildChannel`).
    final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let limit: ConnectionLimit
        let idleTimeout: TimeAmount
        /// Nanoseconds (uptime) of the last bytes read; touched on the channel's event loop only.
        private let lastRead = Atomic<UInt64>(0)

        init(limit: ConnectionLimit, idleTimeout: TimeAmount) {
            self.limit = limit
            self.idleTimeout = idleTimeout
        }

        func handlerAdded(context: ChannelHandlerContext) {
            lastRead.store(NIODeadline.now().uptimeNanoseconds, ordering: .relaxed)
            scheduleCheck(context: context)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            lastRead.store(NIODeadline.now().uptimeNanoseconds, ordering: .relaxed)
            context.fireChannelRead(data)
        }

        /// Closes the connection once nothing has been read for `idleTimeout`: a request sent
        /// half-way (which Hummingbird's own timeout does not see before the upgrade check) or a
        /// WebSocket whose peer stopped answering pings.
        private func scheduleCheck(context: ChannelHandlerContext) {
            let channel = context.channel, timeout = idleTimeout
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds / 2)) { [self] in
                guard channel.isActive else { return }
                let silent = Int64(NIODeadline.now().uptimeNanoseconds - lastRead.load(ordering: .relaxed))
                if silent >= timeout.nanoseconds {
                    channel.close(promise: nil)
                } else {
                    scheduleCheck(context: context)
                }
            }
        }
    }
}
