/// How a group of viewers is named aloud: "Ann, Bo and 3 more", "Ann、Bo等5位", and on screen.
enum NameList {
    /// For the bubble: the names as written, "Ann, viewer4979, Bo +12".
    static func shown(_ names: [String], total: Int, limit: Int = 3) -> String {
        let first = Array(names.prefix(limit))
        let more = total - first.count
        return first.joined(separator: ", ") + (more > 0 ? " +" + SpokenNumber.grouped(more) : "")
    }

    /// Up to `limit` of the names that may be spoken, and how many others; `total` counts
    /// everyone (names that may not be spoken are only counted).
    static func spoken(_ names: [String], total: Int, zh: Bool, limit: Int = 3) -> String {
        // Names as said (`Moderator.sayableName`), each once: "viewer4979" and "viewer1958" are one "viewer".
        var said: [String] = []
        for n in names where !said.contains(n) {
            said.append(n)
            if said.count == limit { break }
        }
        let shown = said
        let more = total - shown.count
        if zh {
            return shown.isEmpty ? "\(SpokenNumber.grouped(total))位朋友" : shown.joined(separator: "、") + (more > 0 ? "等\(SpokenNumber.grouped(total))位" : "")
        }
        if shown.isEmpty { return "\(SpokenNumber.grouped(total)) of you" }
        let parts = shown + (more > 0 ? ["\(SpokenNumber.grouped(more)) more"] : [])
        return parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }
}
