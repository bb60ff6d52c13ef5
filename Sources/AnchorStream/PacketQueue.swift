import Foundation
import Synchronization

/// A destination's own bounded queue. The producer never waits: when the queue holds more
/// than `capacity` milliseconds of media (a slow or dead link), everything queued is dropped
/// and video restarts at the next keyframe, so one bad destination never stalls the others
/// and a recovered one never plays stale media. Drops are counted.
public final class PacketQueue: Sendable {
    public struct Counts: Sendable {
        public var droppedVideo = 0
        public var droppedAudio = 0
        public var overflows = 0
    }

    private struct State {
        var packets: [StreamPacket] = []
        var head = 0
        var waitingForKeyframe = true
        var countWaitDrops = false
        /// Off while the destination is not publishing: nothing is queued, nothing counted.
        var accepting = false
        var counts = Counts()
        var waiter: CheckedContinuation<StreamPacket?, Never>?
        var closed = false
        /// Set by a destination that never blocks (WebRTC over UDP): packets go straight to it.
        var direct: (@Sendable (StreamPacket) -> Void)?
    }

    public let capacityMs: UInt32
    private let state = Mutex(State())

    public init(capacityMs: UInt32 = 3_000) { self.capacityMs = capacityMs }

    public var counts: Counts { state.withLock { $0.counts } }

    /// Media queued, in milliseconds (oldest to newest).
    public var depthMs: UInt32 {
        state.withLock { s in
            guard s.head < s.packets.count else { return 0 }
            return UInt32(max(0, Self.span(from: s.packets[s.head].timestamp, to: s.packets[s.packets.count - 1].timestamp)))
        }
    }

    /// Milliseconds from `a` to `b` on the 32-bit stream clock: across its wrap, and negative
    /// when `b` is older (audio and video interleave a few milliseconds out of order).
    private static func span(from a: UInt32, to b: UInt32) -> Int32 { Int32(bitPattern: b &- a) }

    /// Adds a packet without ever blocking; returns false when it was dropped.
    @discardableResult
    public func push(_ p: StreamPacket) -> Bool {
        var direct: (@Sendable (StreamPacket) -> Void)?
        let resume: (CheckedContinuation<StreamPacket?, Never>, StreamPacket)? = state.withLock { s in
            if s.closed || !s.accepting { return nil }
            if s.waitingForKeyframe {
                // Nothing before a keyframe: a viewer cannot decode it. Counted as dropped only
                // after an overflow; at the start of a connection it is simply not sent yet.
                guard p.kind == .video, p.isKeyframe else {
                    if s.countWaitDrops { if p.kind == .video { s.counts.droppedVideo += 1 } else { s.counts.droppedAudio += 1 } }
                    return nil
                }
                s.waitingForKeyframe = false
            }
            if let sink = s.direct {
                direct = sink
                return nil
            }
            if let w = s.waiter {
                s.waiter = nil
                return (w, p)
            }
            s.packets.append(p)
            if s.head < s.packets.count, Self.span(from: s.packets[s.head].timestamp, to: p.timestamp) > Int32(clamping: capacityMs) {
                // Overflow: drop the backlog and restart video at a keyframe.
                for q in s.packets[s.head...] {
                    if q.kind == .video { s.counts.droppedVideo += 1 } else { s.counts.droppedAudio += 1 }
                }
                s.packets.removeAll(keepingCapacity: true)
                s.head = 0
                s.counts.overflows += 1
                s.waitingForKeyframe = true
                s.countWaitDrops = true
            } else if s.head > 256, s.head * 2 > s.packets.count {
                s.packets.removeFirst(s.head)
                s.head = 0
            }
            return nil
        }
        if let direct { direct(p); return true }
        if let (w, p) = resume { w.resume(returning: p); return true }
        return true
    }

    /// From the next keyframe on, hands packets to `sink` on the producer's thread instead of
    /// queueing them (nil: queue again). For a destination whose send never blocks: the packet
    /// then never waits for a reader task, which a busy cooperative pool can hold up for a
    /// second or more.
    public func deliverDirectly(to sink: (@Sendable (StreamPacket) -> Void)?) {
        state.withLock { $0.direct = sink }
    }

    /// Starts accepting packets from the next keyframe (a connection began publishing).
    public func start() {
        state.withLock { s in
            s.packets.removeAll(keepingCapacity: true)
            s.head = 0
            s.waitingForKeyframe = true
            s.countWaitDrops = false
            s.accepting = true
        }
    }

    /// Stops accepting and drops what is queued (the connection ended).
    public func pause() {
        state.withLock { s in
            s.packets.removeAll(keepingCapacity: true)
            s.head = 0
            s.accepting = false
            s.direct = nil
        }
    }

    /// The next packet, waiting for one; nil once closed and empty, or when interrupted or
    /// the task is cancelled.
    public func next() async -> StreamPacket? {
        if let p = state.withLock({ s -> StreamPacket? in
            guard s.head < s.packets.count else { return nil }
            defer { s.head += 1 }
            return s.packets[s.head]
        }) { return p }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<StreamPacket?, Never>) in
                // Checked under the lock that `interrupt` takes, so a cancel is never missed.
                let immediate: StreamPacket?? = state.withLock { s in
                    if s.head < s.packets.count { defer { s.head += 1 }; return .some(s.packets[s.head]) }
                    if s.closed || Task.isCancelled { return .some(nil) }
                    s.waiter = c
                    return .none
                }
                if let immediate { c.resume(returning: immediate) }
            }
        } onCancel: {
            interrupt()
        }
    }

    /// Wakes a waiting reader with nil (the destination is stopping or reconnecting).
    public func interrupt() {
        let w = state.withLock { s -> CheckedContinuation<StreamPacket?, Never>? in
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume(returning: nil)
    }

    /// No more packets: readers get what is left, then nil.
    public func close() {
        state.withLock { $0.closed = true }
        interrupt()
    }
}
