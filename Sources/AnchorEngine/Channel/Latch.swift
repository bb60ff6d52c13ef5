import Synchronization

/// Opens once; everyone waiting (and everyone who waits later) goes on. A cancelled waiter
/// goes on too, without it being open.
final class Latch: Sendable {
    private let state = Mutex<(open: Bool, next: Int, waiting: [Int: CheckedContinuation<Void, Never>])>((false, 0, [:]))

    func open() {
        let waiting = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard !s.open else { return [] }
            s.open = true
            defer { s.waiting = [:] }
            return Array(s.waiting.values)
        }
        for w in waiting { w.resume() }
    }

    func wait() async {
        let id = state.withLock { s in s.next += 1; return s.next }
        await withTaskCancellationHandler {
            await withCheckedContinuation { c in
                let now = state.withLock { s in
                    if s.open || Task.isCancelled { return true }
                    s.waiting[id] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiting.removeValue(forKey: id) }?.resume()
        }
    }
}
