import AnchorCore
import Foundation

/// Reads `{"currency": "USD", "products": [ … ]}` or a bare `[ … ]` of products.
struct JSONCatalogReader {
    let path: String

    func read(_ data: Data) -> CatalogFile.Result {
        let top: Any
        do {
            top = try JSONSerialization.jsonObject(with: data)
        } catch {
            let (line, detail) = Self.errorLine(error, data: data)
            return CatalogFile.Result(products: [], diagnostics: [
                .error(at: SourceLocation(file: path, line: line, column: 1), "the file is not valid JSON\(detail)"),
            ])
        }
        let rows: [Any], currency: String
        switch top {
        case let a as [Any]: rows = a; currency = "USD"
        case let d as [String: Any]:
            guard let products = d["products"] as? [Any] else {
                return fail("expected a \"products\" list: {\"currency\": \"USD\", \"products\": [ … ]}")
            }
            rows = products
            currency = (d["currency"] as? String) ?? "USD"
        default:
            return fail("expected an object with a \"products\" list, or a list of products")
        }
        let lines = Self.elementLines(data)
        let decoder = ProductDecoder(path: path, defaultCurrency: currency, textual: false)
        var products: [Product] = [], diagnostics: [Diagnostic] = [], seen: Set<String> = []
        for (i, row) in rows.enumerated() {
            let line = i < lines.count ? lines[i] : 1
            guard let object = row as? [String: Any] else {
                diagnostics.append(.error(at: SourceLocation(file: path, line: line, column: 1), "row \(i + 1): a product must be a JSON object"))
                continue
            }
            let (product, problems) = decoder.decode(object, row: i + 1, line: line, seen: &seen)
            diagnostics += problems
            if let product { products.append(product) }
        }
        return CatalogFile.Result(products: products, diagnostics: diagnostics)
    }

    private func fail(_ message: String) -> CatalogFile.Result {
        CatalogFile.Result(products: [], diagnostics: [.error(at: SourceLocation(file: path, line: 1, column: 1), message)])
    }

    /// The line on which each product of the products list starts. A small scanner that
    /// follows strings and nesting; JSONSerialization itself keeps no positions.
    static func elementLines(_ data: Data) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0, inString = false, escaped = false
        var productsDepth: Int?, pendingKey: [UInt8] = [], lastString: [UInt8] = [], collecting = false
        var expectValueInList = true
        for byte in data {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if collecting { lastString = pendingKey; collecting = false }
                } else if collecting { pendingKey.append(byte) }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                if depth == productsDepth, expectValueInList { lines.append(line); expectValueInList = false }
                inString = true
                if depth == 1 { collecting = true; pendingKey = [] }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == productsDepth, expectValueInList { lines.append(line); expectValueInList = false }
                depth += 1
                if byte == UInt8(ascii: "[") {
                    if depth == 1 || (depth == 2 && lastString == Array("products".utf8)) { productsDepth = depth; expectValueInList = true }
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == productsDepth { productsDepth = nil }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == productsDepth { expectValueInList = true }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ":"):
                break
            default:
                if depth == productsDepth, expectValueInList { lines.append(line); expectValueInList = false }
            }
        }
        return lines
    }

    /// Foundation's JSON errors carry a character index (in userInfo on Darwin, in the
    /// message "… around character 28." on Linux); turn it into a line.
    static func errorLine(_ error: Error, data: Data) -> (Int, String) {
        let ns = error as NSError
        let debug = ns.userInfo[NSDebugDescriptionErrorKey] as? String
        let detail = debug.map { ": " + $0 } ?? ""
        var index = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int
        if index == nil, let debug, let r = debug.range(of: "character ") {
            index = Int(debug[r.upperBound...].prefix { $0.isNumber })
        }
        guard let index else { return (1, detail) }
        let text = String(decoding: data, as: UTF8.self)
        let line = text.prefix(index).reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }
        return (line, detail)
    }
}
