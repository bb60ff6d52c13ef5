/// Whether a database writer's writes go through, for its status and its log: quiet while
/// they do, one report when they start failing and one when they recover — a database that
/// fails all night must not write a line per attempt.
struct WriteHealth: Sendable {
    /// Why writes fail, while they do.
    private(set) var error: String?
    private(set) var failures = 0

    /// Notes a failed write; true when it is the first since the last success (report it).
    mutating func failed(_ e: any Error) -> Bool {
        defer { error = "\(e)"; failures += 1 }
        return error == nil
    }

    /// Notes a write that went through; the failures so far when it ends a run of them (report
    /// the recovery), else nil.
    mutating func succeeded() -> Int? {
        guard error != nil else { return nil }
        error = nil
        return failures
    }
}
