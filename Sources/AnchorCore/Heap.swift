import CMalloc

/// glibc's allocator, tuned for a process that runs for days. By default it keeps up to eight
/// arenas per core, each holding on to memory its threads freed, and returns little of it:
/// resident memory then drifts up with fragmentation although nothing leaks.
public enum Heap {
    /// Few arenas: the live loop, the drawing thread and NIO's threads share them.
    public static func limitArenas(to count: Int32 = 2) {
        _ = mallopt(M_ARENA_MAX, count)
    }

    /// Hands freed pages back to the system (all arenas, not only the top of the heap).
    public static func trim() {
        _ = malloc_trim(0)
    }
}
