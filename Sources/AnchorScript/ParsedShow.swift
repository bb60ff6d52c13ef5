import AnchorCore
import Foundation

/// A show file parsed and checked for syntax, ready to be expanded against a catalog.
public struct ParsedShow: Sendable {
    public let source: SourceText
    public let syntax: ShowSyntax
    public let diagnostics: [Diagnostic]
    /// False when the bytes were not a readable show (binary, not UTF-8, too large, unreadable).
    public let isReadable: Bool

    public var header: ShowHeader { syntax.header }

    /// Expands the show against a catalog (`nil`: variables are checked for shape only).
    /// The seed picks `{a|b}` variants and particles; the front matter's `seed:` is used when `nil`.
    /// `media` opens the files the show plays (clips, pictures, music), completes their cues and
    /// reports what cannot play; without it they are left unchecked.
    public func compile(catalog: Catalog?, seed: UInt64? = nil, media: MediaResolver? = nil) -> CompiledShow {
        guard isReadable else { return CompiledShow(rundown: nil, diagnostics: diagnostics) }
        var builder = RundownBuilder(syntax: syntax, source: source, catalog: catalog, seed: seed ?? header.seed ?? 1)
        var rundown = builder.build()
        var found = diagnostics + builder.diagnostics.all
        if let media, !found.hasErrors { found += media(&rundown, header.musicLocation) }
        let all = found.sorted {
            ($0.location.line, $0.location.column, $0.severity == .warning ? 1 : 0) < ($1.location.line, $1.location.column, $1.severity == .warning ? 1 : 0)
        }
        return CompiledShow(rundown: all.hasErrors ? nil : rundown, diagnostics: all)
    }
}
