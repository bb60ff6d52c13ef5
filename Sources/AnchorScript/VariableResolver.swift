import AnchorCore

/// What `{product}` refers to while a segment is expanded.
enum ProductBinding {
    case product(Product, index: Int)
    /// No catalog was given: variables are checked for shape and rendered as written.
    case placeholder
}

/// Resolves `{path}` variables against the catalog, formatting per language.
struct VariableResolver {
    enum Result {
        case value(String)
        /// The catalog lacks this field for this product (a warning; renders as nothing).
        case missing(String)
        /// The path can never resolve (an error).
        case invalid(String, hint: String?)
    }

    let language: Language
    let showTitle: String
    let productCount: Int
    let hasCatalog: Bool

    static let roots = ["product", "products", "show"]
    static let productFields = ["name", "brand", "category", "sku", "price", "list_price", "discount", "savings",
                                "stock", "slot", "highlight", "highlights", "specs"]

    func resolve(_ path: VariablePath, product: ProductBinding?, pick: (Int) -> Int) -> Result {
        let parts = path.parts
        switch parts[0] {
        case "show":
            guard parts.count == 2, parts[1] == "title" else { return .invalid("unknown variable '{\(path)}'", hint: "did you mean '{show.title}'?") }
            return .value(showTitle)
        case "products":
            guard parts.count == 2, parts[1] == "count" else { return .invalid("unknown variable '{\(path)}'", hint: "did you mean '{products.count}'?") }
            guard hasCatalog else { return .value("{products.count}") }
            return .value(String(productCount))
        case "product":
            guard parts.count >= 2 else { return .invalid("'{product}' needs a field, e.g. {product.name}", hint: fieldsHint) }
            let field = parts[1]
            guard Self.productFields.contains(field) else {
                let s = Spelling.suggestion(for: field, among: Self.productFields)
                return .invalid("unknown product field '\(field)'", hint: s.map { "did you mean '{product.\($0)}'?" } ?? fieldsHint)
            }
            if field == "specs" && parts.count != 3 {
                return .invalid("'{product.specs}' needs a key, e.g. {product.specs.volume}", hint: nil)
            }
            if field == "highlights" && parts.count == 3 && (Int(parts[2]).map { $0 < 1 } ?? true) {
                return .invalid("'{product.highlights.N}' needs a number from 1, e.g. {product.highlights.1}", hint: nil)
            }
            if field != "specs" && field != "highlights" && parts.count > 2 {
                return .invalid("'{product.\(field)}' has no fields", hint: nil)
            }
            guard let product else {
                return .invalid("'{\(path)}' needs a product: use it in a segment with '@each product'", hint: nil)
            }
            guard case .product(let p, _) = product else { return .value("{\(path)}") }
            return productField(p, parts: parts, pick: pick)
        default:
            let s = Spelling.suggestion(for: path.description, among: ["products.count", "show.title"] + Self.productFields.map { "product.\($0)" })
            return .invalid("unknown variable '{\(path)}'", hint: s.map { "did you mean '{\($0)}'?" } ?? "variables start with product., products. or show.")
        }
    }

    private var fieldsHint: String { "product fields: " + Self.productFields.joined(separator: ", ") }

    private func productField(_ p: Product, parts: [String], pick: (Int) -> Int) -> Result {
        func missing(_ what: String) -> Result { .missing("product \(p.sku) has no \(what)") }
        switch parts[1] {
        case "name": return .value(p.name)
        case "sku": return .value(p.sku)
        case "brand": return p.brand.map(Result.value) ?? missing("brand")
        case "category": return p.category.map(Result.value) ?? missing("category")
        case "price": return .value(p.price.formatted(for: language))
        case "list_price": return p.listPrice.map { .value($0.formatted(for: language)) } ?? missing("list_price")
        case "savings":
            guard let list = p.listPrice, list.minorUnits > p.price.minorUnits else { return missing("saving (list_price above price)") }
            return .value(Money(minorUnits: list.minorUnits - p.price.minorUnits, currency: p.price.currency).formatted(for: language))
        case "discount":
            guard let list = p.listPrice, list.minorUnits > p.price.minorUnits else { return missing("discount (list_price above price)") }
            let percent = Int((Double(list.minorUnits - p.price.minorUnits) * 100 / Double(list.minorUnits)).rounded())
            return .value("\(percent)%")
        case "stock": return p.stock.map { .value(String($0)) } ?? missing("stock")
        case "slot": return p.slot.map { .value(String($0)) } ?? missing("slot")
        case "highlight":
            guard !p.highlights.isEmpty else { return missing("highlights") }
            return .value(p.highlights[pick(p.highlights.count)])
        case "highlights":
            guard !p.highlights.isEmpty else { return missing("highlights") }
            if parts.count == 3, let n = Int(parts[2]) {
                return n <= p.highlights.count ? .value(p.highlights[n - 1]) : missing("highlight number \(n)")
            }
            return .value(Self.list(p.highlights, language: language))
        case "specs":
            return p.spec(parts[2]).map(Result.value) ?? missing("spec '\(parts[2])'")
        default:
            return .invalid("unknown product field '\(parts[1])'", hint: nil)
        }
    }

    /// `a, b and c` / `a、b和c`.
    static func list(_ items: [String], language: Language) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        let head = items.dropLast()
        switch language {
        case .en: return head.joined(separator: ", ") + " and " + items[items.count - 1]
        case .zh: return head.joined(separator: "、") + "和" + items[items.count - 1]
        }
    }
}
