import AnchorCore
import Foundation

/// Output helpers: standard error, colour only on a terminal that wants it.
public enum Terminal {
    public static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    public static func wantsColor(_ fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        return isTTY(fd) && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    /// Prints a value as pretty JSON on standard output (keys sorted, dates in ISO 8601).
    public static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    public static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints diagnostics to standard error, with the source line and caret when known.
    public static func print(_ diagnostics: [Diagnostic], lines: (SourceLocation) -> String?) {
        let formatter = DiagnosticFormatter(useColor: wantsColor(STDERR_FILENO))
        for d in diagnostics { error(formatter.format(d, sourceLine: lines)) }
    }
}
