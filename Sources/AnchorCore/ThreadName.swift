import Foundation

/// Names the calling thread as top, perf and gdb show it. On Linux, Foundation's
/// `Thread.name` is unreliable: set before `start()` it never reaches the thread, and set from
/// the new thread it is lost when the thread runs before its creator has recorded it. So
/// the kernel's name is written directly (proc(5): a thread may set its own `comm`).
public enum ThreadName {
    /// At most 15 bytes are kept.
    public static func set(_ name: String) {
        #if os(Linux)
        try? Data(name.utf8.prefix(15)).write(to: URL(fileURLWithPath: "/proc/thread-self/comm"))
        #else
        Thread.current.name = name
        #endif
    }
}
