import Foundation
import Synchronization

/// A thread of its own for one channel's frame loop, as a task executor: the loop's awaits
/// resume here, not on the cooperative pool, so sixteen channels' renders and encodes never
/// starve each other's (or the control port's) tasks of the pool's few threads.
public final class FrameThread: TaskExecutor {
    private let jobs = Mutex<(queue: [UnownedJob], closed: Bool)>(([], false))
    private let wake = DispatchSemaphore(value: 0)

    public init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.queue.append(job) }
        wake.signal()
    }

    /// Lets the thread end once the jobs queued so far have run.
    public func close() {
        jobs.withLock { $0.closed = true }
        wake.signal()
    }

    private func loop() {
        while true {
            wake.wait()
            let (batch, closed) = jobs.withLock { j -> ([UnownedJob], Bool) in
                defer { j.queue.removeAll(keepingCapacity: true) }
                return (j.queue, j.closed)
            }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            if closed, jobs.withLock({ $0.queue.isEmpty }) { return }
        }
    }
}
