import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorStore
import ArgumentParser
import Foundation

struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Ask the chat responder, evaluate it, replay a chat log, review what it could not answer.",
        discussion: """
        Answers come from rules (Scripts/*.rules.yaml), then the catalog's facts and FAQ, then a \
        fallback that logs the question (see 'anchor chat unanswered').

        Examples:
          anchor chat ask "how much is the serum?" --catalog Assets/demo-catalog.json
          anchor chat ask "does it work with iphone" --product SKU-2001 --json
          anchor chat replay ../shared/fixtures/chat-sample.jsonl --catalog ../shared/fixtures/catalog.json
          anchor chat eval questions.jsonl --catalog products.json
        """,
        subcommands: [ChatAsk.self, ChatReplay.self, ChatEval.self, ChatUnanswered.self]
    )
}
