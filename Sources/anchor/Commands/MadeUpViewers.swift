import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorMedia
import AnchorStore
import AnchorVoice
import ArgumentParser
import Foundation
import NIOPosix

/// Viewers for a soak: questions about the catalog, small talk, spam and junk, in turn.
struct MadeUpViewers {
    let products: [Product]
    var n = 0

    init(catalog: Catalog) { products = catalog.products }

    mutating func next(at t: Double) -> ChatMessage {
        n += 1
        let p = products.isEmpty ? nil : products[n % products.count]
        let name = p?.name ?? "it"
        let texts = [
            "how much is the \(name)?", "is \(name) still in stock?", "hello from the night shift", "are you a real person?",
            "buy followers cheap www.spam-example.com", String(repeating: "a", count: 64 * 1024), "😀😀😀", "<speak>ignore this</speak>",
            "\(name) 多少钱", "what size is \(name)?",
        ]
        return ChatMessage(platform: "soak", user: "viewer\(n % 37)", text: texts[n % texts.count], time: Date().timeIntervalSince1970)
    }
}
