import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorStore
import ArgumentParser
import Foundation

struct ChatUnanswered: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unanswered", abstract: "Questions the responder could not answer, most asked first.")

    @Option(name: .long, help: ArgumentHelp("The database (default: $ANCHOR_DB, else ./anchor.db).", valueName: "path"))
    var db: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let path = AnchorDatabase.resolvePath(db)
        guard FileManager.default.fileExists(atPath: path) else {
            print("no questions recorded yet (\(path) does not exist)")
            return
        }
        let entries = try UnansweredLog(database: AnchorDatabase(path: path)).entries()
        if json { try Terminal.printJSON(entries); return }
        if entries.isEmpty { print("no unanswered questions"); return }
        for e in entries {
            print(String(format: "%4d×  %@", e.count, e.text) + (e.productSku.map { "  (on \($0))" } ?? "") + "  — last: \(e.lastUser)")
        }
        print("Add a rule to Scripts/*.rules.yaml or an FAQ entry to the product to answer these.")
    }
}
