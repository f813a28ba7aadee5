import Foundation
import Yams

/// Splits a YAML file into its documents, keeping node marks. A syntax error ends the file
/// but keeps the documents before it.
enum YAMLDocuments {
    static func parse(_ text: String, file: String, log: inout DiagnosticLog) -> [Node] {
        var documents: [Node] = []
        do {
            let parser = try Parser(yaml: text)
            while let root = try parser.nextRoot() {
                documents.append(root)
            }
        } catch let error as YamlError {
            let (message, mark) = describe(error)
            log.add(.error, "YAML syntax error: \(message)",
                    at: PolicyLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                    hint: "check indentation, quoting and the `key: value` layout around this place")
        } catch {
            log.add(.error, "YAML syntax error: \(error)", at: PolicyLocation(file: file, line: 1, column: 1))
        }
        return documents
    }

    static func describe(_ error: YamlError) -> (String, Mark?) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if let context { return ("\(problem) (\(context.text) at line \(context.mark.line))", mark) }
            return (problem, mark)
        case .reader(let problem, _, _, _):
            return (problem, nil)
        default:
            return ("\(error)", nil)
        }
    }
}
