import AnchorCore
import Foundation
import Yams

/// A YAML file read for its nodes (their marks give every diagnostic a line and column):
/// the schedule and the station file.
enum YAMLSource {
    /// The root node, or the diagnostic that says why there is none (unreadable, not YAML).
    static func compose(path: String, what: String) -> Result<Node?, Diagnostic> {
        let at = { (line: Int, column: Int) in SourceLocation(file: path, line: line, column: column) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return .failure(.error(at: at(1, 1), "cannot read the \(what)")) }
        do { return .success(try Yams.compose(yaml: text)) } catch let e as YamlError {
            if case .scanner(_, _, let mark, _) = e { return .failure(.error(at: at(mark.line, mark.column), "not valid YAML: \(e)")) }
            if case .parser(_, _, let mark, _) = e { return .failure(.error(at: at(mark.line, mark.column), "not valid YAML: \(e)")) }
            return .failure(.error(at: at(1, 1), "not valid YAML: \(e)"))
        } catch {
            return .failure(.error(at: at(1, 1), "not valid YAML: \(error)"))
        }
    }
}
