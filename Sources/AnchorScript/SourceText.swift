import AnchorCore
import Foundation

/// A show file decoded into lines of Unicode scalars, with encoding problems reported by location.
/// A UTF-8 BOM is skipped; `\r\n`, `\r` and `\n` all end a line.
public struct SourceText: Sendable {
    public let path: String
    public let lines: [[Unicode.Scalar]]

    /// Shows larger than this are refused before parsing (the demo show is 2 KB; a night's
    /// script of 300 products with 20 lines each is ~300 KB).
    public static let maxBytes = 1024 * 1024

    public init(path: String, lines: [[Unicode.Scalar]]) {
        self.path = path
        self.lines = lines
    }

    public init(path: String, string: String) {
        self = (try? Self.decode(Data(string.utf8), path: path)) ?? SourceText(path: path, lines: [[]])
    }

    public func line(_ n: Int) -> String? {
        guard n >= 1, n <= lines.count else { return nil }
        return String(String.UnicodeScalarView(lines[n - 1]))
    }

    public func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: path, line: line, column: column)
    }

    /// Decodes bytes, or throws one diagnostic naming where the text stops being a show.
    public static func decode(_ data: Data, path: String) throws(DiagnosticsError) -> SourceText {
        func fail(_ line: Int, _ col: Int, _ message: String, hint: String? = nil) -> DiagnosticsError {
            DiagnosticsError([.error(at: SourceLocation(file: path, line: line, column: col), message, hint: hint)])
        }
        if data.count > maxBytes {
            let mb = String(format: "%.1f", Double(data.count) / 1_048_576)
            throw fail(1, 1, "file is \(mb) MB; a show may be at most \(maxBytes / 1_048_576) MB",
                       hint: "split it into several shows and schedule them one after another")
        }
        var lines: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var afterCR = false
        var decoder = UTF8()
        var bytes = data.makeIterator()
        var first = true
        while true {
            let line = lines.count + 1, col = current.count + 1
            switch decoder.decode(&bytes) {
            case .scalarValue(let s):
                defer { first = false }
                if first && s == "\u{FEFF}" { continue }
                if s == "\n" {
                    if afterCR { afterCR = false; continue }
                    lines.append(current); current.removeAll(keepingCapacity: true)
                } else if s == "\r" {
                    lines.append(current); current.removeAll(keepingCapacity: true)
                    afterCR = true
                    continue
                } else if s == "\0" {
                    throw fail(line, col, "this looks like a binary file (NUL byte), not a show script",
                               hint: "show scripts are UTF-8 Markdown text (*.show.md)")
                } else {
                    current.append(s)
                }
                afterCR = false
            case .emptyInput:
                lines.append(current)
                return SourceText(path: path, lines: lines)
            case .error:
                throw fail(line, col, "invalid UTF-8 here; a show script must be UTF-8 text",
                           hint: "re-save the file as UTF-8 (e.g. iconv -f GB18030 -t UTF-8)")
            }
        }
    }
}

extension SourceText {
    /// A file named in the source, relative to the source file's folder.
    public func resolve(_ file: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return file.hasPrefix("/") || directory.isEmpty ? file : (directory as NSString).appendingPathComponent(file)
    }
}
