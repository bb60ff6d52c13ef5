import AnchorChat
import AnchorCommandLine
import AnchorCore
import AnchorEngine
import AnchorScript
import ArgumentParser
import Foundation

struct CheckReport: Encodable {
    var files: [String]
    var diagnostics: [Diagnostic]
    var errors: Int { diagnostics.errorCount }
    var warnings: Int { diagnostics.warningCount }

    enum CodingKeys: String, CodingKey { case files, diagnostics, errors, warnings }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(files, forKey: .files)
        try c.encode(diagnostics, forKey: .diagnostics)
        try c.encode(errors, forKey: .errors)
        try c.encode(warnings, forKey: .warnings)
    }
}
