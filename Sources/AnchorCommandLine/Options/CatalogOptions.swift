import AnchorCore
import AnchorScript
import AnchorStore
import ArgumentParser
import Foundation

/// Where a show's products come from: `--catalog FILE`, `--db FILE`, the show's own
/// `catalog:` key (relative to the show), or `ANCHOR_DB` / `./anchor.db` when it exists.
public struct CatalogOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .long, help: ArgumentHelp("Read products from this database (default: $ANCHOR_DB, else ./anchor.db).", valueName: "path"))
    public var db: String?

    @Option(name: .long, help: ArgumentHelp("Read products from a JSON or CSV catalog file instead of a database.", valueName: "file"))
    public var catalog: String?

    /// The catalog for a show, or nil when none is configured anywhere.
    public func resolve(for show: ParsedShow, cache: inout [String: Catalog]) throws(DiagnosticsError) -> (Catalog, String)? {
        if let catalog { return (try load(file: catalog, cache: &cache), catalog) }
        if let db { return (try load(database: db, required: true, cache: &cache), db) }
        if let relative = show.header.catalog {
            let folder = (show.source.path as NSString).deletingLastPathComponent
            let path = relative.hasPrefix("/") || folder.isEmpty ? relative : Paths.normalize(folder + "/" + relative)
            return (try load(file: path, cache: &cache), path)
        }
        let fallback = AnchorDatabase.resolvePath(nil)
        if FileManager.default.fileExists(atPath: fallback) {
            return (try load(database: fallback, required: false, cache: &cache), fallback)
        }
        return nil
    }

    private func load(file: String, cache: inout [String: Catalog]) throws(DiagnosticsError) -> Catalog {
        if let hit = cache[file] { return hit }
        let c = try CatalogFile.load(path: file)
        cache[file] = c
        return c
    }

    private func load(database path: String, required: Bool, cache: inout [String: Catalog]) throws(DiagnosticsError) -> Catalog {
        if let hit = cache[path] { return hit }
        let at = SourceLocation(file: path, line: 1, column: 1)
        guard FileManager.default.fileExists(atPath: path) else {
            throw DiagnosticsError([.error(at: at, "no database here", hint: "import a catalog first: anchor catalog import FILE --db \(path)")])
        }
        do {
            let c = try CatalogStore(database: AnchorDatabase(path: path, readOnly: true)).catalog()
            cache[path] = c
            return c
        } catch {
            throw DiagnosticsError([.error(at: at, "\(error)")])
        }
    }
}

public enum Paths {
    /// Removes `.` and folds `dir/..` without touching the file system.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

extension CatalogOptions {
    /// A catalog without a show: --catalog, --db, or ./anchor.db.
    public func resolveStandalone() throws -> Catalog? {
        if let catalog { return try CatalogFile.load(path: catalog) }
        let path = AnchorDatabase.resolvePath(db)
        guard FileManager.default.fileExists(atPath: path) else {
            if db != nil { throw ValidationError("no database at \(path)") }
            return nil
        }
        return try CatalogStore(database: AnchorDatabase(path: path, readOnly: true)).catalog()
    }
}
