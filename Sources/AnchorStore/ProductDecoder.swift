import AnchorCore
import Foundation

/// Turns one row (a JSON object, or a CSV row as strings) into a `Product`, collecting every
/// problem of the row rather than the first.
struct ProductDecoder {
    let path: String
    let defaultCurrency: String
    /// CSV rows hold text: numbers are parsed, lists are JSON or `a; b; c`.
    let textual: Bool

    static let knownFields: Set<String> = ["sku", "name", "brand", "category", "tags", "aliases", "price", "list_price",
                                           "currency", "stock", "slot", "highlights", "specs", "faq", "image", "images", "clips"]

    func decode(_ row: [String: Any], row rowNumber: Int, line: Int, seen: inout Set<String>) -> (Product?, [Diagnostic]) {
        var problems: [String] = []
        let skuText = (row["sku"] as? String)?.trimmingCharacters(in: .whitespaces) ?? (row["sku"] as? NSNumber)?.stringValue
        let label = skuText.map { "row \(rowNumber) (\($0))" } ?? "row \(rowNumber)"

        func string(_ key: String, required: Bool = false) -> String? {
            switch row[key] {
            case let s as String:
                let t = s.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { if required { problems.append("'\(key)' is empty") }; return nil }
                return t
            case let n as NSNumber: return n.stringValue
            case nil, is NSNull: if required { problems.append("'\(key)' is missing") }; return nil
            default: problems.append("'\(key)' must be text"); return nil
            }
        }
        func number(_ key: String, required: Bool = false) -> Double? {
            switch row[key] {
            case let n as NSNumber where !Self.isBoolean(n): return n.doubleValue
            case let s as String where textual || Double(s.trimmingCharacters(in: .whitespaces)) != nil:
                let t = s.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { if required { problems.append("'\(key)' is missing") }; return nil }
                if let v = Double(t) { return v }
                problems.append("'\(key)' must be a number, found \"\(t)\""); return nil
            case nil, is NSNull: if required { problems.append("'\(key)' is missing") }; return nil
            default: problems.append("'\(key)' must be a number"); return nil
            }
        }
        func whole(_ key: String, min: Int) -> Int? {
            guard let v = number(key) else { return nil }
            guard v == v.rounded(), v >= Double(min), v < 1e12 else {
                problems.append("'\(key)' must be a whole number ≥ \(min), found \(v)"); return nil
            }
            return Int(v)
        }
        /// A price in minor units: a finite amount from 0 up to `maxPrice`, never silently $0.
        func money(_ key: String, required: Bool = false) -> Int64? {
            guard let v = number(key, required: required) else { return nil }
            guard v.isFinite, v >= 0, v <= Self.maxPrice else {
                problems.append("'\(key)' must be an amount from 0 to \(Int(Self.maxPrice)), found \(v)"); return nil
            }
            return Int64((v * 100).rounded())
        }
        func list(_ key: String) -> [String] {
            switch row[key] {
            case let a as [Any]:
                let items = a.compactMap { $0 as? String }
                if items.count != a.count { problems.append("'\(key)' must be a list of text") }
                return items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case let s as String:
                if let parsed = Self.json(s) { return list(key, parsed) }
                return s.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case nil, is NSNull: return []
            default: problems.append("'\(key)' must be a list of text"); return []
            }
        }
        func list(_ key: String, _ value: Any) -> [String] {
            guard let a = value as? [Any] else { problems.append("'\(key)' must be a list of text"); return [] }
            return a.compactMap { $0 as? String }
        }

        let sku = string("sku", required: true)
        if let sku, let bad = sku.unicodeScalars.first(where: Self.isControl) {
            // SQLite would keep the text only up to a NUL: "A-1\u{0}x" would overwrite A-1.
            problems.append("'sku' contains the control character U+\(String(format: "%04X", bad.value)); a SKU is printable text")
        }
        let name = string("name", required: true)
        let currency = (string("currency") ?? defaultCurrency).uppercased()
        if currency.count != 3 || !currency.allSatisfy(\.isLetter) { problems.append("'currency' must be a 3-letter code like USD or CNY, found \"\(currency)\"") }
        let price = money("price", required: true)
        let listPrice = money("list_price")
        let stock = whole("stock", min: 0)
        let slot = whole("slot", min: 1)
        let specs = self.specs(row["specs"], &problems)
        let faq = self.faq(row["faq"], &problems)
        var product = Product(
            sku: sku ?? "", name: name ?? "", brand: string("brand"), category: string("category"), tags: list("tags"),
            price: Money(minorUnits: price ?? 0, currency: currency),
            listPrice: listPrice.map { Money(minorUnits: $0, currency: currency) }, stock: stock, slot: slot,
            highlights: list("highlights"), specs: specs, faq: faq, aliases: list("aliases"), image: string("image").map(resolveImage))
        product.images = list("images").map(resolveImage)
        product.clips = list("clips").map(resolveImage)
        if let sku, !seen.insert(sku).inserted { problems.append("SKU '\(sku)' appears more than once in the file") }

        let at = SourceLocation(file: path, line: line, column: 1)
        let diagnostics = problems.map { Diagnostic.error(at: at, "\(label): \($0)") }
        return (diagnostics.isEmpty ? product : nil, diagnostics)
    }

    /// An image path relative to the catalog file is made relative to where anchor runs;
    /// URLs and absolute paths are kept.
    private func resolveImage(_ path: String) -> String {
        if path.hasPrefix("/") || path.contains("://") { return path }
        let folder = (self.path as NSString).deletingLastPathComponent
        return folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }

    private func specs(_ value: Any?, _ problems: inout [String]) -> [Product.Spec] {
        switch value {
        case let d as [String: Any]:
            return d.keys.sorted().compactMap { k in Self.scalarText(d[k]).map { Product.Spec(key: k, value: $0) } }
        case let pairs as [[String: Any]]:
            return pairs.compactMap { p in
                guard let k = p["key"] as? String, let v = Self.scalarText(p["value"]) else { return nil }
                return Product.Spec(key: k, value: v)
            }
        case let s as String:
            if s.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
            if let parsed = Self.json(s) { return specs(parsed, &problems) }
            var out: [Product.Spec] = []
            for part in s.split(separator: ";") {
                let kv = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, !kv[0].isEmpty else {
                    problems.append("'specs' must be JSON or 'key: value; key: value', found \"\(part.trimmingCharacters(in: .whitespaces))\"")
                    return out
                }
                out.append(Product.Spec(key: kv[0], value: kv[1]))
            }
            return out
        case nil, is NSNull: return []
        default:
            problems.append("'specs' must be an object of names to values"); return []
        }
    }

    private func faq(_ value: Any?, _ problems: inout [String]) -> [Product.FAQ] {
        switch value {
        case let items as [Any]:
            var out: [Product.FAQ] = []
            for (i, item) in items.enumerated() {
                guard let d = item as? [String: Any], let q = d["q"] as? String, let a = d["a"] as? String,
                      !q.trimmingCharacters(in: .whitespaces).isEmpty, !a.trimmingCharacters(in: .whitespaces).isEmpty else {
                    problems.append("'faq' entry \(i + 1) must be {\"q\": question, \"a\": answer}"); continue
                }
                out.append(Product.FAQ(question: q, answer: a))
            }
            return out
        case let s as String:
            if s.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
            if let parsed = Self.json(s) { return faq(parsed, &problems) }
            problems.append("'faq' must be JSON: [{\"q\": …, \"a\": …}]"); return []
        case nil, is NSNull: return []
        default: problems.append("'faq' must be a list of {\"q\", \"a\"}"); return []
        }
    }

    /// The largest price accepted (in major units): beyond it the amount is surely a mistake,
    /// and at 1e13 it would no longer fit in minor units.
    static let maxPrice = 1_000_000_000.0

    /// C0/C1 controls, and format characters (zero-width, bidi) that make two keys look alike.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.properties.generalCategory == .control || s.properties.generalCategory == .format
    }

    /// JSON `true`/`false` arrive as NSNumber too; they are not numbers here.
    static func isBoolean(_ n: NSNumber) -> Bool {
        String(cString: n.objCType) == "c"
    }

    static func scalarText(_ v: Any?) -> String? {
        switch v {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    /// A cell that holds JSON (`[…]` or `{…}`).
    static func json(_ s: String) -> Any? {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("[") || t.hasPrefix("{") else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(t.utf8))
    }
}
