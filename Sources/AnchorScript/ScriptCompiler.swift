import AnchorCore
import Foundation

/// Opens the media files a rundown names, fills in what only the files tell (a clip's length)
/// and returns what cannot play; `musicAt` is where the header names its music.
public typealias MediaResolver = @Sendable (_ rundown: inout Rundown, _ musicAt: SourceLocation?) -> [Diagnostic]

/// The outcome of compiling: a rundown when there are no errors, and every diagnostic.
public struct CompiledShow: Sendable {
    public let rundown: Rundown?
    public let diagnostics: [Diagnostic]
}

/// The entry point of the script language.
public enum ScriptCompiler {
    /// Parses a show; never throws: problems, including unreadable bytes, are diagnostics.
    public static func parse(_ data: Data, path: String) -> ParsedShow {
        do {
            let source = try SourceText.decode(data, path: path)
            var parser = ShowParser(source: source)
            let syntax = parser.parse()
            return ParsedShow(source: source, syntax: syntax, diagnostics: parser.diagnostics.all, isReadable: true)
        } catch {
            return unreadable(path: path, error.diagnostics)
        }
    }

    public static func parse(_ text: String, path: String) -> ParsedShow {
        parse(Data(text.utf8), path: path)
    }

    /// Parses a file; a file that cannot be read is one diagnostic at its first line.
    public static func parse(fileAt path: String) -> ParsedShow {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var isDir: ObjCBool = false
            let why = !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) ? "no such file"
                : isDir.boolValue ? "is a directory, not a show file" : "cannot be read (permission denied?)"
            return unreadable(path: path, [.error(at: SourceLocation(file: path, line: 1, column: 1), why)])
        }
        return parse(data, path: path)
    }

    private static func unreadable(path: String, _ diagnostics: [Diagnostic]) -> ParsedShow {
        ParsedShow(source: SourceText(path: path, lines: [[]]), syntax: ShowSyntax(header: ShowHeader(), segments: []),
                   diagnostics: diagnostics, isReadable: false)
    }
}
