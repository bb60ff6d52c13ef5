#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// CPU time spent so far, in seconds: what the benchmarks and stage timings count.
public enum CPUTime {
    /// All threads of this process.
    public static func process() -> Double { read(CLOCK_PROCESS_CPUTIME_ID) }

    /// The calling thread only.
    public static func thread() -> Double { read(CLOCK_THREAD_CPUTIME_ID) }

    private static func read(_ clock: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
