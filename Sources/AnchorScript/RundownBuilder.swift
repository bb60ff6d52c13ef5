import AnchorCore

/// Expands parsed segments against the catalog into a `Rundown`: one segment per product for
/// `@each product`, variables filled in, variants picked by seed, intents tagged, particles added.
struct RundownBuilder {
    let syntax: ShowSyntax
    let source: SourceText
    let catalog: Catalog?
    let seed: UInt64
    private(set) var diagnostics = DiagnosticList()

    /// A show that expands to more lines than this is refused.
    static let maxUtterances = 100_000

    private var warnedMissing: Set<String> = []
    private var reportedInvalid: Set<SourceLocation> = []

    init(syntax: ShowSyntax, source: SourceText, catalog: Catalog?, seed: UInt64) {
        self.syntax = syntax
        self.source = source
        self.catalog = catalog
        self.seed = seed
    }

    var title: String {
        if let t = syntax.header.title, !t.isEmpty { return t }
        let name = source.path.split(separator: "/").last.map(String.init) ?? source.path
        return name.replacingOccurrences(of: ".show.md", with: "").replacingOccurrences(of: ".md", with: "")
    }

    mutating func build() -> Rundown {
        let header = syntax.header
        let products = showProducts()
        let resolver = VariableResolver(language: header.language, showTitle: title, productCount: products.count, hasCatalog: catalog != nil)
        var segments: [Rundown.Segment] = []
        let usesEach = syntax.segments.contains { $0.eachProduct }
        if usesEach, catalog == nil {
            diagnostics.append(.warning(at: syntax.segments.first { $0.eachProduct }!.location,
                                        "no catalog given, so product variables were checked for shape only",
                                        hint: "pass --catalog FILE or --db FILE, or set 'catalog:' in the front matter"))
        } else if usesEach, products.isEmpty, case .none = header.products {
            diagnostics.append(.warning(at: syntax.segments.first { $0.eachProduct }!.location,
                                        "'@each product' repeats for no product: the show lists none",
                                        hint: "add 'products: [SKU-1001, …]', 'products: tag:NAME' or 'products: all' to the front matter"))
        }

        // Refuse a runaway expansion before doing any of it.
        let expected = syntax.segments.reduce(0) { sum, segment in
            sum + segment.lines.count * (segment.eachProduct ? max(1, products.count) : 1)
        }
        if expected > Self.maxUtterances {
            diagnostics.append(.error(at: source.location(line: 1, column: 1),
                                      "the show expands to more than \(Self.maxUtterances) lines (\(expected)); split it into several shows"))
            return Rundown(title: title, language: header.language, voice: header.voice ?? header.language.defaultVoice,
                           avatar: header.avatar, loop: header.loop, seed: seed, products: products.map(\.sku), segments: [])
        }

        for segment in syntax.segments {
            if segment.lines.isEmpty {
                diagnostics.append(.warning(at: segment.location, "empty segment '\(segment.titleText)'; it says and shows nothing",
                                            length: segment.titleText.unicodeScalars.count + 2))
            }
            let bindings: [ProductBinding?]
            if segment.eachProduct {
                bindings = catalog == nil ? [.placeholder] : products.enumerated().map { .product($1, index: $0) }
            } else {
                bindings = [nil]
            }
            for binding in bindings where !diagnostics.isFull {
                segments.append(expand(segment, binding: binding, resolver: resolver))
            }
        }
        var rundown = Rundown(title: title, language: header.language, voice: header.voice ?? header.language.defaultVoice,
                              avatar: header.avatar, loop: header.loop, seed: seed, products: products.map(\.sku), segments: segments)
        rundown.music = header.music.map(source.resolve)
        return rundown
    }

    private mutating func showProducts() -> [Product] {
        guard let catalog else { return [] }
        switch syntax.header.products {
        case .none: return []
        case .all: return catalog.products.sorted { ($0.slot ?? .max, $0.sku) < ($1.slot ?? .max, $1.sku) }
        case .tag(let tag, let at):
            let found = catalog.products(tagged: tag)
            if found.isEmpty {
                diagnostics.append(.warning(at: at, "no product in the catalog has the tag '\(tag)'", length: tag.unicodeScalars.count + 4))
            }
            return found
        case .skus(let list):
            var seen: Set<String> = []
            return list.compactMap { sku, at in
                guard seen.insert(sku).inserted else {
                    diagnostics.append(.warning(at: at, "product '\(sku)' is listed twice", length: sku.unicodeScalars.count))
                    return nil
                }
                guard let p = catalog.product(sku: sku) else {
                    let s = Spelling.suggestion(for: sku, among: catalog.products.map(\.sku))
                    diagnostics.append(.warning(at: at, "SKU '\(sku)' is not in the catalog; it is left out", length: sku.unicodeScalars.count,
                                                hint: s.map { "did you mean '\($0)'?" }))
                    return nil
                }
                return p
            }
        }
    }

    private mutating func expand(_ segment: SegmentSyntax, binding: ProductBinding?, resolver: VariableResolver) -> Rundown.Segment {
        let product: Product? = if case .product(let p, _)? = binding { p } else { nil }
        let productIndex: Int = if case .product(_, let i)? = binding { i } else { -1 }
        var titleBuilder = TextBuilder()
        var ignored: Set<String> = []
        render(segment.title, into: &titleBuilder, binding: binding, resolver: resolver, productIndex: productIndex, variables: &ignored)
        var events: [Rundown.Event] = []
        for line in segment.lines {
            switch line {
            case .show(let mode, let at): events.append(.cue(.show(mode), source: at))
            case .link(let at):
                if binding == nil {
                    diagnostics.append(.warning(at: at, "'@link' outside an '@each product' segment pins no product", length: 5))
                }
                events.append(.cue(.link(sku: product?.sku), source: at))
            case .draw(let keyword, let seconds, let at): events.append(.cue(.draw(keyword: keyword, seconds: seconds), source: at))
            case .play(let cue, let at): events.append(.cue(.play(cue), source: at))
            case .music(let file, let at): events.append(.cue(.music(file), source: at))
            case .speech(let speech):
                events.append(contentsOf: say(speech, binding: binding, product: product, productIndex: productIndex, resolver: resolver))
            }
        }
        return Rundown.Segment(title: titleBuilder.finish(), productSKU: product?.sku, source: segment.location, events: events)
    }

    private mutating func say(_ line: SpeechLine, binding: ProductBinding?, product: Product?, productIndex: Int, resolver: VariableResolver) -> [Rundown.Event] {
        var builder = TextBuilder()
        var variables: Set<String> = []
        render(line.inlines, into: &builder, binding: binding, resolver: resolver, productIndex: productIndex, variables: &variables)
        let text = builder.finish()
        guard !text.isEmpty else {
            return builder.cues.map { .cue($0.cue, source: line.location) }
        }
        let language = syntax.header.language
        let (intent, reason): (Intent, IntentReason)
        if let tagged = line.intent {
            (intent, reason) = (tagged, IntentReason(.tagged, "[\(tagged.rawValue)] in the script"))
        } else {
            let hasCountdown = builder.cues.contains { if case .countdown = $0.cue { return true } else { return false } }
            let context = IntentTagger.Context(variables: variables, hasCountdown: hasCountdown, inProductSegment: binding != nil)
            (intent, reason) = IntentTagger().tag(text, language: language, context: context)
        }
        var u = Utterance(text: text, language: language, intent: intent, reason: reason, stress: builder.stress,
                          cues: builder.cues, productSKU: product?.sku, source: line.location)
        if language == .zh {
            var random = SeededRandom(seed: seed, text: source.line(line.location.line) ?? "", productIndex, 0x9A)
            ModalParticles.insert(into: &u, slots: builder.particleSlots,
                                  rate: syntax.header.particleRate ?? ShowHeader.defaultParticleRate, random: &random)
        }
        return [.say(u)]
    }

    private mutating func render(_ nodes: [Inline], into b: inout TextBuilder, binding: ProductBinding?, resolver: VariableResolver,
                                 productIndex: Int, variables: inout Set<String>) {
        for node in nodes {
            switch node {
            case .text(let s): b.appendLiteral(s)
            case .stress(let inner, _):
                let start = b.stressStart
                render(inner, into: &b, binding: binding, resolver: resolver, productIndex: productIndex, variables: &variables)
                b.endStress(from: start)
            case .directive(let cue, _): b.cue(cue)
            case .variants(let options, let at):
                var random = SeededRandom(seed: seed, text: source.line(at.line) ?? "", at.column, productIndex)
                let chosen = options[random.index(below: options.count)]
                render(chosen, into: &b, binding: binding, resolver: resolver, productIndex: productIndex, variables: &variables)
            case .variable(let path, let at):
                variables.insert(path.parts.prefix(2).joined(separator: "."))
                var random = SeededRandom(seed: seed, text: source.line(at.line) ?? "", at.column, productIndex, 0x7A)
                switch resolver.resolve(path, product: binding, pick: { random.index(below: $0) }) {
                case .value(let v): b.appendValue(v)
                case .missing(let why):
                    if warnedMissing.insert("\(at)|\(why)").inserted {
                        diagnostics.append(.warning(at: at, "unknown variable '{\(path)}' for this product: \(why); it is left out",
                                                    length: path.description.unicodeScalars.count + 2))
                    }
                case .invalid(let message, let hint):
                    if reportedInvalid.insert(at).inserted {
                        diagnostics.append(.error(at: at, message, length: path.description.unicodeScalars.count + 2, hint: hint))
                    }
                }
            }
        }
    }
}
