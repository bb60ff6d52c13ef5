import AnchorCore

/// The parsed form of a `.show.md` file, before it is expanded against a catalog.
public struct ShowSyntax: Sendable {
    public var header: ShowHeader
    public var segments: [SegmentSyntax]
}

/// A `#` heading and the lines under it.
public struct SegmentSyntax: Sendable {
    public var title: [Inline]
    public var titleText: String
    public var location: SourceLocation
    /// `@each product` was given.
    public var eachProduct: Bool
    public var lines: [LineSyntax]
}

public enum LineSyntax: Sendable {
    case speech(SpeechLine)
    case show(CardMode, SourceLocation)
    case link(SourceLocation)
    /// `@draw "keyword" 60s`
    case draw(keyword: String, seconds: Int, SourceLocation)
    /// `@play FILE …`
    case play(PlayCue, SourceLocation)
    /// `@music FILE` or `@music off`
    case music(String?, SourceLocation)
}

public struct SpeechLine: Sendable {
    /// `[intent]`, when given and known.
    public var intent: Intent?
    public var inlines: [Inline]
    public var location: SourceLocation
}

/// The inline grammar of a spoken line.
public indirect enum Inline: Sendable {
    case text(String)
    /// `*stressed words*`
    case stress([Inline], SourceLocation)
    /// `{product.name}`
    case variable(VariablePath, SourceLocation)
    /// `{a|b|c}`, one option picked per seed.
    case variants([[Inline]], SourceLocation)
    /// `{pause 400ms}`, `{countdown 3}`, `{gesture wave}`
    case directive(Cue, SourceLocation)
}

extension Inline {
    /// A normalized source form, for comparing pieces of script.
    var canonical: String {
        switch self {
        case .text(let t): return t
        case .stress(let inner, _): return "*" + inner.map(\.canonical).joined() + "*"
        case .variable(let path, _): return "{\(path)}"
        case .variants(let options, _): return "{" + options.map { $0.map(\.canonical).joined() }.joined(separator: "|") + "}"
        case .directive(let cue, _): return "{\(cue)}"
        }
    }
}

/// A dotted catalog path such as `product.specs.volume`.
public struct VariablePath: Sendable, Hashable, CustomStringConvertible {
    public var parts: [String]
    public var description: String { parts.joined(separator: ".") }
}
