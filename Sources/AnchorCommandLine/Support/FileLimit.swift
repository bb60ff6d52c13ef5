#if canImport(Glibc)
import Glibc
#endif

/// The process's limit on open files. A daemon that serves a control port, pushes to several
/// ingests, records and reads espeak-ng's data must not run out at Debian's default soft limit
/// of 1 024; the hard limit is usually far higher and may be taken without privileges.
public enum FileLimit {
    /// Raises the soft limit to the hard one (at most `ceiling`); returns the limit now in force.
    @discardableResult
    public static func raise(ceiling: UInt64 = 65_536) -> UInt64 {
        #if canImport(Glibc)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        let wanted = min(UInt64(limit.rlim_max), ceiling)
        if UInt64(limit.rlim_cur) < wanted {
            limit.rlim_cur = rlim_t(wanted)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 { return UInt64(limit.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
        #else
        return 0
        #endif
    }
}
