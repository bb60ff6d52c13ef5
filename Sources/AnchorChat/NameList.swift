/// How a group of viewers is named aloud: "Ann, Bo and 3 more", "Ann、Bo等5位".
enum NameList {
    /// Up to `limit` of the names that may be spoken, and how many others; `total` counts
    /// everyone (names that may not be spoken are only counted).
    static func spoken(_ names: [String], total: Int, zh: Bool, limit: Int = 3) -> String {
        let shown = Array(names.prefix(limit))
        let more = total - shown.count
        if zh {
            return shown.isEmpty ? "\(total)位朋友" : shown.joined(separator: "、") + (more > 0 ? "等\(total)位" : "")
        }
        if shown.isEmpty { return "\(total) of you" }
        let parts = shown + (more > 0 ? ["\(more) more"] : [])
        return parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }
}
