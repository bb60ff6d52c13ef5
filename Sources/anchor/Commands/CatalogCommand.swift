import AnchorCommandLine
import AnchorCore
import AnchorStore
import ArgumentParser
import Foundation

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Import and inspect the product catalog (SQLite, ./anchor.db by default).",
        subcommands: [Import.self, List.self, Show.self]
    )

    struct DatabaseOption: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The database (default: $ANCHOR_DB, else ./anchor.db).", valueName: "path"))
        var db: String?

        var path: String { AnchorDatabase.resolvePath(db) }

        func open(mustExist: Bool) throws -> CatalogStore {
            if mustExist, !FileManager.default.fileExists(atPath: path) {
                Terminal.error("error: no database at \(path)")
                Terminal.error("hint: import a catalog first: anchor catalog import FILE\(db.map { " --db \($0)" } ?? "")")
                throw ExitCode(1)
            }
            do {
                return CatalogStore(database: try AnchorDatabase(path: path))
            } catch {
                Terminal.error("error: \(error)")
                throw ExitCode(1)
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import products from JSON or CSV; new SKUs are added, known ones updated.",
            discussion: """
            JSON: {"currency": "USD", "products": [{"sku", "name", "price", …}]} or a bare list.
            CSV: a header row naming the fields (sku, name, price, list_price, currency, brand,
            category, stock, slot, tags, aliases, highlights, specs, faq, image); lists as JSON or
            'a; b; c', specs as JSON or 'key: value; key: value', faq as JSON.
            A file with any bad row imports nothing; every bad row is reported as file:line.
            """
        )

        @Argument(help: ArgumentHelp("A .json or .csv catalog file.", valueName: "file"))
        var file: String

        @OptionGroup var database: DatabaseOption

        func run() throws {
            let result = CatalogFile.read(path: file)
            Terminal.print(result.diagnostics) { _ in nil }
            if result.diagnostics.hasErrors {
                Terminal.error("nothing imported: \(DiagnosticFormatter.summary(result.diagnostics)) in \(file)")
                throw ExitCode(1)
            }
            let store = try database.open(mustExist: false)
            let counts = try store.upsert(result.products)
            print("imported \(file) into \(database.path): \(counts.inserted) new, \(counts.updated) updated, \(counts.unchanged) unchanged (\(counts.total) products)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the products, by cart slot.")

        @OptionGroup var database: DatabaseOption

        @Flag(name: .long, help: "Print every field as JSON.")
        var json = false

        func run() throws {
            let products = try database.open(mustExist: true).all()
            if json { print(try JSONOutput.string(products)); return }
            guard !products.isEmpty else { print("the catalog in \(database.path) is empty"); return }
            let rows = products.map { p in
                [p.slot.map(String.init) ?? "-", p.sku, p.name, p.price.formatted(for: .en, style: .display),
                 p.listPrice.map { $0.formatted(for: .en, style: .display) } ?? "", p.stock.map(String.init) ?? ""]
            }
            print(Table.render(header: ["SLOT", "SKU", "NAME", "PRICE", "LIST", "STOCK"], rows: rows, rightAligned: [0, 3, 4, 5]))
            print("\(products.count) product\(products.count == 1 ? "" : "s") in \(database.path)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show everything known about one product.")

        @Argument(help: "The product's SKU.")
        var sku: String

        @OptionGroup var database: DatabaseOption

        @Flag(name: .long, help: "Print as JSON.")
        var json = false

        func run() throws {
            let store = try database.open(mustExist: true)
            guard let p = try store.product(sku: sku) else {
                let near = Spelling.suggestion(for: sku, among: try store.all().map(\.sku))
                Terminal.error("error: no product with SKU '\(sku)' in \(database.path)" + (near.map { "; did you mean '\($0)'?" } ?? ""))
                throw ExitCode(1)
            }
            if json { print(try JSONOutput.string(p)); return }
            var lines = ["\(p.name)  [\(p.sku)]"]
            func add(_ k: String, _ v: String?) { if let v, !v.isEmpty { lines.append("  " + k.padding(toLength: 12, withPad: " ", startingAt: 0) + v) } }
            add("brand", p.brand)
            add("category", p.category)
            add("price", p.price.formatted(for: .en, style: .display) + (p.listPrice.map { " (list \($0.formatted(for: .en, style: .display)))" } ?? ""))
            add("stock", p.stock.map(String.init))
            add("slot", p.slot.map(String.init))
            add("tags", p.tags.joined(separator: ", "))
            add("aliases", p.aliases.joined(separator: ", "))
            add("image", p.image)
            if !p.highlights.isEmpty { lines.append("  highlights"); lines += p.highlights.map { "    – \($0)" } }
            if !p.specs.isEmpty { lines.append("  specs"); lines += p.specs.map { "    \($0.key): \($0.value)" } }
            if !p.faq.isEmpty { lines.append("  faq"); lines += p.faq.flatMap { ["    Q: \($0.question)", "    A: \($0.answer)"] } }
            print(lines.joined(separator: "\n"))
        }
    }
}

/// A plain text table aligned by display width (CJK characters take two columns).
enum Table {
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { TextWidth.columns($0[i]) }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - TextWidth.columns(cell))
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
