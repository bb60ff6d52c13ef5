import Foundation

/// This process's resident memory, from /proc (Linux).
public enum ResidentMemory {
    /// Resident set size in KB (0 where /proc is not there).
    public static func kilobytes() -> Int {
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        return (Int(statm.split(separator: " ").dropFirst().first ?? "") ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }
}
