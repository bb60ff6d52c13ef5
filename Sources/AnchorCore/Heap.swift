#if canImport(Glibc)
import CMalloc
#endif
import Synchronization

/// glibc's allocator, tuned for a process that runs for days. By default it keeps up to eight
/// arenas per core, each holding on to memory its threads freed, and returns little of it:
/// resident memory then drifts up with fragmentation although nothing leaks. Elsewhere (the
/// package declares macOS for development builds) both calls do nothing.
public enum Heap {
    /// Few arenas: the live loop, the drawing thread and NIO's threads share them.
    public static func limitArenas(to count: Int32 = 2) {
        #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, count)
        #endif
    }

    /// Hands freed pages back to the system (all arenas, not only the top of the heap).
    public static func trim() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }

    /// `trim()`, at most once a `interval` for the whole process: it locks each arena while it
    /// walks it, stalling every thread that allocates meanwhile, and sixteen channels each
    /// trimming once a minute made sixteen such stalls a minute.
    public static func trimIfDue(every interval: Duration = .seconds(60)) {
        let now = ContinuousClock.now - epoch
        let due = Int64(now.components.seconds)
        let last = lastTrim.load(ordering: .relaxed)
        guard due - last >= interval.components.seconds || last == 0,
              lastTrim.compareExchange(expected: last, desired: max(1, due), ordering: .relaxed).exchanged else { return }
        trim()
    }

    private static let epoch = ContinuousClock.now
    private static let lastTrim = Atomic<Int64>(0)
}
