import Synchronization
import UnixSignals

/// Ctrl-C (SIGINT) and SIGTERM for the one-shot commands (live, preview, soak, connect),
/// through swift-service-lifecycle's signal sequence — `anchor run` gets them from its
/// ServiceGroup instead. A frame loop reads the flag between frames, so the word being spoken
/// finishes and the file or stream ends cleanly.
public enum Interrupt {
    public final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        public var isSet: Bool { value.load(ordering: .relaxed) }
        fileprivate func set() { value.store(true, ordering: .relaxed) }
    }

    /// Starts watching the signals; the flag is set by the first.
    public static func install() async -> Flag {
        let flag = Flag()
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        Task {
            for await _ in signals {
                flag.set()
                return
            }
        }
        return flag
    }

    /// Returns at the first signal, or when the calling task is cancelled.
    public static func signalled() async {
        for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return }
    }
}
