import AnchorCore

/// A position in one line of scalars; columns are 1-based.
struct Cursor {
    let line: [Unicode.Scalar]
    private(set) var index: Int

    init(_ line: [Unicode.Scalar], index: Int = 0) {
        self.line = line
        self.index = index
    }

    var atEnd: Bool { index >= line.count }
    var column: Int { index + 1 }
    var peek: Unicode.Scalar? { index < line.count ? line[index] : nil }
    func peek(_ ahead: Int) -> Unicode.Scalar? { index + ahead < line.count ? line[index + ahead] : nil }
    var rest: ArraySlice<Unicode.Scalar> { line[min(index, line.count)...] }

    mutating func advance() { index += 1 }

    mutating func skipSpaces() {
        while let s = peek, s == " " || s == "\t" || s == "\u{3000}" || s == "\u{A0}" { index += 1 }
    }

    func hasPrefix(_ p: String) -> Bool { rest.starts(with: p.unicodeScalars) }

    /// Letters, digits, `_` and `-`.
    mutating func word() -> String {
        var out = String.UnicodeScalarView()
        while let s = peek, s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-" {
            out.append(s); index += 1
        }
        return String(out)
    }
}
