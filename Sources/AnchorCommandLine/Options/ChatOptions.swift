import AnchorChat
import AnchorCore
import AnchorEngine
import AnchorStore
import ArgumentParser
import Foundation

/// Options every chat command shares: where the catalog, rules and block list come from.
public struct ChatOptions: ParsableArguments, Sendable {
    public init() {}

    @OptionGroup public var catalogOptions: CatalogOptions

    @Option(help: "Rules: a *.rules.yaml file or a folder of them (default: ./Scripts/ if it has any, else anchor's own).")
    public var rules: String?

    @Option(help: "A block list: one word or phrase per line.")
    public var blocklist: String?

    @Flag(help: "Do not record unanswered questions in the database.")
    public var noLog = false

    public func responder() throws -> Responder {
        let catalog: Catalog
        do {
            guard let c = try catalogOptions.resolveStandalone() else {
                Terminal.error("error: no catalog: pass --catalog FILE or --db FILE, or import one with 'anchor catalog import'")
                throw ExitCode(1)
            }
            catalog = c
        } catch let e as DiagnosticsError {
            Terminal.print(e.diagnostics) { _ in nil }
            throw ExitCode(1)
        }
        return try Self.responder(catalog: catalog, rules: rules, blocklist: blocklist)
    }

    /// A responder over `catalog` with the rules (default: Scripts/) and block list given.
    public static func responder(catalog: Catalog, rules: String?, blocklist: String?) throws -> Responder {
        let book: RuleBook
        do { book = try ruleBook(rules) } catch {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        return Responder(index: try FactIndex(catalog: catalog), rules: book, moderator: try moderator(blocklist: blocklist))
    }

    /// The chat rules: `--rules`, else the project's own (./Scripts/*.rules.yaml), else anchor's
    /// built-in ones; wordings the seller's rules leave out come from anchor's own rules file.
    public static func ruleBook(_ rules: String?) throws(RuleBook.LoadError) -> RuleBook {
        let local = ((try? FileManager.default.contentsOfDirectory(atPath: "Scripts")) ?? []).contains { $0.hasSuffix(".rules.yaml") }
        let rulesPath = rules ?? (local ? "Scripts" : Assets.folder("Scripts", containing: "default.rules.yaml", nearShow: nil) ?? "Scripts")
        var book = try RuleBook.load(rulesPath)
        if let folder = Assets.folder("Scripts", containing: "default.rules.yaml", nearShow: nil),
           let base = try? RuleBook.load((folder as NSString).appendingPathComponent("default.rules.yaml")) {
            book = (try? book.filling(templatesFrom: base)) ?? book
        }
        return book
    }

    /// The moderator with anchor's starter block lists (English, Chinese, pinyin), which are
    /// always on, and the seller's own list added.
    public static func moderator(blocklist: String?) throws -> Moderator {
        var policy = Moderator.Policy()
        if let folder = Assets.folder("Assets/blocklists", containing: "en.txt", nearShow: nil) {
            for file in ["en.txt", "zh.txt", "pinyin.txt"] {
                policy.blockList += (try? BlockList.read(file: (folder as NSString).appendingPathComponent(file))) ?? []
            }
        } else {
            Terminal.error("warning: anchor's starter block lists (Assets/blocklists) were not found; set ANCHOR_HOME")
        }
        if let blocklist {
            do { policy.blockList += try Moderator.blockList(file: blocklist) } catch {
                Terminal.error("error: cannot read the block list \(blocklist)")
                throw ExitCode(1)
            }
        }
        return Moderator(policy: policy)
    }

    /// Records the fallback's questions in the database (when there is one to write to).
    public func log(_ d: Decision) {
        guard !noLog, d.source == .fallback, d.detail == "no rule or fact matched" else { return }
        let path = AnchorDatabase.resolvePath(catalogOptions.db)
        guard let db = try? AnchorDatabase(path: path) else { return }
        try? UnansweredLog(database: db).record(user: d.user, text: d.question, language: d.language, productSku: d.productSKU)
    }
}
