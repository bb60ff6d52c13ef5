import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorScript
import ArgumentParser
import Foundation

/// Expands command-line paths: folders give their `*.show.md` files, in name order.
enum ShowFiles {
    /// Replies that still hold text for the seller to fill in ("(SELLER: …)", "TODO", "<…>"): it
    /// is never spoken, but the reply says less than it should.
    static func placeholderWarnings(_ book: RuleBook, path: String) -> [Diagnostic] {
        let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [Diagnostic] = []
        for rule in book.rules {
            for reply in rule.replies.values.flatMap({ $0 }) {
                for placeholder in RuleBook.placeholders(in: reply) {
                    let text = placeholder.trimmingCharacters(in: .whitespaces)
                    let line = lines.firstIndex { $0.contains(text) }
                    var column = 1
                    if let line, let range = lines[line].range(of: text) {
                        column = lines[line].unicodeScalars.distance(from: lines[line].startIndex, to: range.lowerBound) + 1
                    }
                    out.append(.warning(at: SourceLocation(file: path, line: (line ?? 0) + 1, column: column),
                                        "rule '\(rule.id)' still has placeholder text \(text); it is left out when spoken",
                                        hint: "write your real terms in its place"))
                }
            }
        }
        return out
    }

    static func expand(_ paths: [String]) -> (files: [String], rules: [String], schedules: [String], stations: [String], skipped: [String]) {
        var files: [String] = [], rules: [String] = [], schedules: [String] = [], stations: [String] = [], skipped: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                let all = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
                    .map { (path.hasSuffix("/") ? path : path + "/") + $0 }
                files += all.filter { $0.hasSuffix(".show.md") }
                rules += all.filter { $0.hasSuffix(".rules.yaml") }
                schedules += all.filter { $0.hasSuffix(".schedule.yaml") }
                stations += all.filter { $0.hasSuffix(".station.yaml") }
            } else if path.hasSuffix(".rules.yaml") {
                rules.append(path)
            } else if path.hasSuffix(".schedule.yaml") {
                schedules.append(path)
            } else if path.hasSuffix(".station.yaml") {
                stations.append(path)
            } else if path.hasSuffix(".md") || !fm.fileExists(atPath: path) {
                files.append(path)
            } else {
                skipped.append("\(path): 'anchor check' reads show scripts (*.show.md)")
            }
        }
        return (files, rules, schedules, stations, skipped)
    }
}
