import AnchorCore
import Foundation

/// Reads a CSV catalog with a header row (RFC 4180 quoting; fields may span lines).
/// Lists are JSON or `a; b; c`; specs JSON or `key: value; key: value`; faq JSON.
struct CSVCatalogReader {
    let path: String

    func read(_ data: Data) -> CatalogFile.Result {
        let text = String(decoding: data, as: UTF8.self)
        let (records, unterminatedAt) = Self.records(text)
        var diagnostics: [Diagnostic] = []
        if let line = unterminatedAt {
            diagnostics.append(.error(at: SourceLocation(file: path, line: line, column: 1), "a quoted field that starts on this line is never closed"))
            return CatalogFile.Result(products: [], diagnostics: diagnostics)
        }
        guard let header = records.first else {
            return CatalogFile.Result(products: [], diagnostics: [.error(at: SourceLocation(file: path, line: 1, column: 1), "the file is empty; expected a header row such as sku,name,price")])
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["sku", "name", "price"] where !columns.contains(required) {
            diagnostics.append(.error(at: SourceLocation(file: path, line: header.line, column: 1), "the header has no '\(required)' column"))
        }
        for (i, name) in columns.enumerated() where !ProductDecoder.knownFields.contains(name) {
            let hint = Spelling.suggestion(for: name, among: ProductDecoder.knownFields).map { "did you mean '\($0)'?" }
            diagnostics.append(.warning(at: SourceLocation(file: path, line: header.line, column: 1), "column \(i + 1) '\(name)' is not a product field and is ignored", hint: hint))
        }
        guard !diagnostics.hasErrors else { return CatalogFile.Result(products: [], diagnostics: diagnostics) }

        let decoder = ProductDecoder(path: path, defaultCurrency: "USD", textual: true)
        var products: [Product] = [], seen: Set<String> = []
        for (n, record) in records.dropFirst().enumerated() {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if record.fields.count != columns.count {
                diagnostics.append(.error(at: SourceLocation(file: path, line: record.line, column: 1),
                                          "row \(n + 1): has \(record.fields.count) fields, the header has \(columns.count)"))
                continue
            }
            var row: [String: Any] = [:]
            for (name, value) in zip(columns, record.fields) where ProductDecoder.knownFields.contains(name) { row[name] = value }
            let (product, problems) = decoder.decode(row, row: n + 1, line: record.line, seen: &seen)
            diagnostics += problems
            if let product { products.append(product) }
        }
        return CatalogFile.Result(products: products, diagnostics: diagnostics)
    }

    struct Record { var line: Int; var fields: [String] }

    /// Splits CSV text into records, each with the line it starts on.
    static func records(_ text: String) -> ([Record], unterminatedAt: Int?) {
        var records: [Record] = []
        var fields: [String] = [], field = String.UnicodeScalarView()
        var line = 1, recordLine = 1, inQuotes = false, quoteLine = 1, fieldStarted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(String(field)); field.removeAll()
            records.append(Record(line: recordLine, fields: fields)); fields.removeAll()
            fieldStarted = false
        }
        while let s = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if s == "\"" {
                    let next = scalars.next()
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if s == "\n" { line += 1 }
                    field.append(s)
                }
                continue
            }
            switch s {
            case "\"" where field.isEmpty: inQuotes = true; quoteLine = line; fieldStarted = true
            case ",": fields.append(String(field)); field.removeAll(); fieldStarted = true
            case "\r": break
            case "\n":
                if fieldStarted || !field.isEmpty || !fields.isEmpty { endRecord() }
                line += 1; recordLine = line
            default: field.append(s); fieldStarted = true
            }
        }
        if inQuotes { return (records, quoteLine) }
        if fieldStarted || !field.isEmpty || !fields.isEmpty { endRecord() }
        return (records, nil)
    }
}
