import AnchorMedia
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Shared, lock-free progress of one session: the watchdog reads what the writer and reader record.
final class SessionMonitor: Sendable {
    private let start = ContinuousClock.now
    let bytesSent = Atomic<Int64>(0)
    let bytesAcked = Atomic<Int64>(-1)
    let lastAckNanos = Atomic<Int64>(0)
    /// When the current write began (0: no write in progress).
    let writeStartedNanos = Atomic<Int64>(0)
    /// When the current setup step must be answered by (0: none pending).
    let deadlineNanos = Atomic<Int64>(0)
    /// Set once the server accepted `publish`.
    let publishing = Atomic<Bool>(false)

    func now() -> Int64 {
        let d = ContinuousClock.now - start
        return d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }

    static func nanos(_ d: Duration) -> Int64 { d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000 }
}
