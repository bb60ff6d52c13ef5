import AnchorCore
import Foundation
import Synchronization

/// Set from the cancellation handler, read from espeak's callback.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private let polls = Atomic<Int>(0)
    /// Trips by itself after this many checks (tests use it to stop mid-sentence deterministically).
    private let tripAfter: Int

    init(tripAfter: Int = .max) { self.tripAfter = tripAfter }

    var isSet: Bool {
        if polls.add(1, ordering: .relaxed).newValue > tripAfter { set() }
        return flag.load(ordering: .relaxed)
    }

    func set() { flag.store(true, ordering: .relaxed) }
}
