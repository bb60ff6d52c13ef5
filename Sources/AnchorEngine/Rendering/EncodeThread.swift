import AnchorCore
import Foundation
import Synchronization

/// An unpaced run's encoding on a thread of its own: the frame loop directs, draws and converts
/// frame n+1 while x264 encodes frame n, so on two cores the drawing hides behind the encoder.
/// Jobs run one at a time in the order they were handed over, so the packets (and a preview's
/// file, byte for byte) are those of the same run on one thread.
///
/// Unchecked Sendable: the jobs, and what they capture (the renditions, their encoders, the
/// packet hooks), are run by this thread only; the loop hands each job over under `queue`'s lock
/// and touches the encoders again only after `finish()` has joined the thread. The pictures the
/// jobs read are lent through `pictures`: the loop converts into one only after waiting for it,
/// and the thread gives it back once the frame is encoded.
final class EncodeThread: @unchecked Sendable {
    enum Kind { case picture, sound }
    typealias Job = () throws -> Void

    /// A job on its way to the thread (unchecked: see the type's comment).
    private struct Handed: @unchecked Sendable {
        let kind: Kind
        let run: Job
    }

    private struct Queue {
        var jobs: [Handed] = []
        var closed = false
        /// The first job's error; later jobs are dropped (their pictures still given back).
        var failure: (any Error)?
        var cpu = (picture: 0.0, sound: 0.0)
    }

    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)
    private let ended = DispatchSemaphore(value: 0)
    /// Pictures the encoder is not reading.
    private let pictures = DispatchSemaphore(value: 0)
    private let joined = Atomic<Bool>(false)

    /// `pictures`: how many I420 pictures the loop converts into in turn.
    init(pictures count: Int) {
        for _ in 0..<count { pictures.signal() }
        let thread = Thread { [self] in
            ThreadName.set("anchor.encode")
            loop()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits until the encoder is done with the oldest picture lent to it.
    func waitForPicture() { pictures.wait() }

    /// Runs `job` after the ones before it; a `.picture` job gives its picture back when done.
    /// Throws the error a job before it threw (a full disk ends the run).
    func submit(_ kind: Kind, _ job: @escaping Job) throws {
        let handed = Handed(kind: kind, run: job)
        let failure = queue.withLock { q -> (any Error)? in
            if q.failure == nil { q.jobs.append(handed) }
            return q.failure
        }
        if let failure { throw failure }
        wake.signal()
    }

    /// Thread CPU seconds spent encoding pictures and sound so far.
    var cpuSeconds: (picture: Double, sound: Double) { queue.withLock { $0.cpu } }

    /// Waits for the jobs handed over, ends the thread and throws the first job's error.
    func finish() throws {
        join()
        if let failure = queue.withLock({ $0.failure }) { throw failure }
    }

    /// Ends the thread without running what is still queued (the run failed or was cancelled).
    func abandon() {
        queue.withLock { q in
            if q.failure == nil { q.failure = CancellationError() }
            q.jobs.removeAll()
        }
        join()
    }

    private func join() {
        guard !joined.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.withLock { $0.closed = true }
        wake.signal()
        ended.wait()
    }

    private func loop() {
        while true {
            wake.wait()
            let next = queue.withLock { q -> (job: Handed?, skip: Bool, closed: Bool) in
                (q.jobs.isEmpty ? nil : q.jobs.removeFirst(), q.failure != nil, q.closed)
            }
            guard let job = next.job else {
                if next.closed { break } else { continue }
            }
            let start = CPUTime.thread()
            var failure: (any Error)?
            if !next.skip {
                do { try job.run() } catch { failure = error }
            }
            let spent = CPUTime.thread() - start
            queue.withLock { q in
                if job.kind == .picture { q.cpu.picture += spent } else { q.cpu.sound += spent }
                if q.failure == nil, let failure { q.failure = failure }
            }
            if job.kind == .picture { pictures.signal() }
        }
        ended.signal()
    }
}
