import Foundation
import Synchronization

/// A thread of its own as an executor, for work that blocks or burns CPU for long stretches
/// and must not sit on Swift's cooperative pool (two threads on a 2-core machine):
/// - as a **task executor**, a channel's frame loop (`withTaskExecutorPreference`): its awaits
///   resume here, so sixteen channels' renders never starve each other or the control port;
/// - as a **serial executor**, an actor's (espeak-ng's `SpeechEngine`): synthesis runs here,
///   one job at a time.
public final class ThreadExecutor: SerialExecutor, TaskExecutor {
    private let jobs = Mutex<(queue: [UnownedJob], closed: Bool)>(([], false))
    private let wake = DispatchSemaphore(value: 0)

    public init(name: String) {
        let thread = Thread { [self] in
            ThreadName.set(name)
            loop()
        }
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
            for job in batch { job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor()) }
            if closed, jobs.withLock({ $0.queue.isEmpty }) { return }
        }
    }
}
