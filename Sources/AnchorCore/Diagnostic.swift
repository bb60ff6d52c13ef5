/// A compiler-style message about an input file: what is wrong, where, and what was expected.
public struct Diagnostic: Sendable, Hashable, Codable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case warning, error

        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    /// How many columns the offending text spans (for the `^~~~` underline).
    public var length: Int
    /// A short suggestion shown after the source line (`did you mean 'price'?`).
    public var hint: String?

    public init(_ severity: Severity, at location: SourceLocation, _ message: String, length: Int = 1, hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.length = max(1, length)
        self.hint = hint
    }

    public static func error(at location: SourceLocation, _ message: String, length: Int = 1, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, at: location, message, length: length, hint: hint)
    }

    public static func warning(at location: SourceLocation, _ message: String, length: Int = 1, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, at: location, message, length: length, hint: hint)
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { count { $0.severity == .error } }
    public var warningCount: Int { count { $0.severity == .warning } }
}

/// An error that carries diagnostics, thrown where a whole input is refused.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
