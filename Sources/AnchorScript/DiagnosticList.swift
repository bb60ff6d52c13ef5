import AnchorCore

/// Diagnostics with a cap, like a compiler's error limit: garbage input cannot flood the output.
struct DiagnosticList: Sendable {
    static let maxErrors = 50
    /// Past this many warnings the rest are counted, not kept: one pathological line must not
    /// make a report of hundreds of megabytes.
    static let maxWarnings = 200
    private(set) var items: [Diagnostic] = []
    private(set) var isFull = false
    private var errors = 0, warnings = 0, warningsLeftOut = 0

    mutating func append(_ d: Diagnostic) {
        guard !isFull else { return }
        switch d.severity {
        case .warning:
            warnings += 1
            guard warnings <= Self.maxWarnings else { warningsLeftOut += 1; return }
        case .error:
            errors += 1
        }
        items.append(d)
        if errors >= Self.maxErrors {
            isFull = true
            items.append(.error(at: d.location, "too many errors; stopping here"))
        }
    }

    mutating func append(contentsOf ds: [Diagnostic]) { ds.forEach { append($0) } }

    /// The diagnostics, with one closing warning saying how many were left out.
    var all: [Diagnostic] {
        guard warningsLeftOut > 0, let last = items.last else { return items }
        return items + [.warning(at: last.location, "\(warningsLeftOut) more warnings not shown")]
    }
}
