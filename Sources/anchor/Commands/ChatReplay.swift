import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorStore
import ArgumentParser
import Foundation

struct ChatReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a chat log (JSON lines: {\"t\", \"user\", \"text\"}) through moderation, the responder and flood merging."
    )

    @Argument(help: "The chat log.")
    var file: String

    @Option(help: "The product on screen (SKU).")
    var product: String?

    @OptionGroup var options: ChatOptions

    func run() async throws {
        var responder = try options.responder()
        let messages: [ChatMessage]
        do { messages = try ChatLogFile(path: file).readAll() } catch {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        // As on air: answers wait in the live queue (merged, and shed past four waiting) while
        // the one before them is spoken; how long a line takes to say is estimated.
        var queue = AnswerQueue()
        var busyUntil = 0.0, lastArrival = 0.0, spoken = 0
        func speak(until t: Double) {
            while busyUntil <= t, let (a, _) = queue.pop() {
                let start = max(busyUntil, lastArrival)
                print(String(format: "%7.1fs  ▶ [%@] %@", start, a.intent.rawValue, a.reply ?? ""))
                busyUntil = start + Self.secondsToSay(a)
                spoken += 1
            }
        }
        for m in messages {
            speak(until: m.time)
            let d = responder.decide(m, onScreen: product)
            options.log(d)
            let what = d.source == .blocked ? "blocked: \(d.detail)" : d.source == .silence ? "silent: \(d.detail)" : "\(d.source.rawValue) (\(d.detail))"
            print(String(format: "%7.1fs  %@: %@  → %@, %.2f ms", m.time, m.user, String(m.text.prefix(80)), what, d.seconds * 1000))
            lastArrival = m.time
            queue.add(d, arrivedAt: 0)
            speak(until: m.time)
        }
        speak(until: .infinity)
        print("\(messages.count) messages: \(spoken) answers spoken, \(queue.merged) questions merged into one, \(queue.shed) answers shed")
    }

    /// About how long espeak-ng takes to say a reply (English ~3 words/s, Chinese ~5 characters/s).
    static func secondsToSay(_ d: Decision) -> Double {
        let text = d.reply ?? ""
        let han = text.unicodeScalars.filter(ChatText.isHan).count
        return 0.4 + Double(han) / 5 + Double(text.split(separator: " ").count) / 3
    }
}
