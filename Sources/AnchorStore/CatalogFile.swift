import AnchorCore
import Foundation

/// Reads a catalog file (JSON or CSV). Every bad row is reported with its file, line and row
/// number; the caller imports nothing unless the whole file is clean.
public enum CatalogFile {
    public struct Result: Sendable {
        public var products: [Product]
        /// Problems, each at `file:line` with the row (product) number in the message.
        public var diagnostics: [Diagnostic]
        public var catalog: Catalog { Catalog(products: products) }
    }

    public enum Format: String, Sendable { case json, csv }

    /// The format from the extension (`.csv`, otherwise JSON).
    public static func format(of path: String) -> Format {
        path.lowercased().hasSuffix(".csv") ? .csv : .json
    }

    public static func read(path: String) -> Result {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let why = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            return Result(products: [], diagnostics: [.error(at: SourceLocation(file: path, line: 1, column: 1), why)])
        }
        return read(data, path: path, format: format(of: path))
    }

    public static func read(_ data: Data, path: String, format: Format) -> Result {
        var data = data
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        guard String(data: data, encoding: .utf8) != nil else {
            return Result(products: [], diagnostics: [.error(at: SourceLocation(file: path, line: 1, column: 1), "the file is not UTF-8 text")])
        }
        switch format {
        case .json: return JSONCatalogReader(path: path).read(data)
        case .csv: return CSVCatalogReader(path: path).read(data)
        }
    }

    /// Loads a catalog file for a show, throwing its diagnostics when it has errors.
    public static func load(path: String) throws(DiagnosticsError) -> Catalog {
        let result = read(path: path)
        if result.diagnostics.hasErrors { throw DiagnosticsError(result.diagnostics) }
        return result.catalog
    }
}
