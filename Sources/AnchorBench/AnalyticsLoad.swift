import AnchorEngine
import AnchorStore
import Foundation
import Synchronization

/// Records air events at a steady rate on its own thread (for `anchor bench live --analytics-rate`).
final class AnalyticsLoad: Sendable {
    let writer: AnalyticsWriter
    let perSecond: Int
    private let state = Mutex<(running: Bool, offered: Int, thread: Thread?)>((false, 0, nil))
    private let done = DispatchSemaphore(value: 0)

    init(writer: AnalyticsWriter, perSecond: Int) {
        self.writer = writer
        self.perSecond = perSecond
    }

    func start() {
        let thread = Thread { [self] in
            let start = ContinuousClock.now
            var n = 0
            while state.withLock({ $0.running }) {
                // Events due by now, in 10 ms steps.
                let due = Int((ContinuousClock.now - start).inSeconds * Double(perSecond))
                while n < due {
                    writer.record(n % 3 == 0 ? .answer : .question, source: "facts", detail: "price", topic: "price", language: "en",
                                  user: "viewer\(n % 997)", text: "how much is it? #\(n)", value: 1.5)
                    n += 1
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            state.withLock { $0.offered = n }
            done.signal()
        }
        state.withLock { $0 = (true, 0, thread) }
        thread.start()
    }

    /// Stops; the events offered.
    func stop() -> Int {
        state.withLock { $0.running = false }
        done.wait()
        return state.withLock { $0.offered }
    }
}
