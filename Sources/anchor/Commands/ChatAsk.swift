import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorStore
import ArgumentParser
import Foundation

struct ChatAsk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ask", abstract: "Answer one question, and say where the answer came from.")

    @Argument(help: "The question, as a viewer would type it.")
    var question: String

    @Option(help: "The product on screen (SKU), the default referent of \"how much?\".")
    var product: String?

    @Option(help: "The asker's name.")
    var user = "viewer"

    @Flag(help: "Print the decision as JSON.")
    var json = false

    @OptionGroup var options: ChatOptions

    func run() async throws {
        var responder = try options.responder()
        if let product, responder.index.catalog.product(sku: product) == nil {
            throw ValidationError("no product \(product) in the catalog")
        }
        let d = responder.decide(ChatMessage(user: user, text: question, time: 0), onScreen: product)
        options.log(d)
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(d), as: UTF8.self))
        } else {
            print(d.reply ?? "(no answer)")
            print(String(format: "  intent %@, from %@ (%@)%@, decided in %.2f ms", d.intent.rawValue, d.source.rawValue, d.detail,
                         d.productSKU.map { ", product \($0)" } ?? "", d.seconds * 1000))
        }
    }
}
