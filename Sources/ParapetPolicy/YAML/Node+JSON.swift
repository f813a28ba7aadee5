import ParapetCore
import Yams

extension Node {
    /// The node as JSON: plain scalars typed by their YAML tag, quoted scalars as strings.
    var jsonValue: JSONValue {
        switch self {
        case .scalar:
            switch RuleValue(scalar: self) {
            case .string(let s): return .string(s)
            case .number(let n, _): return .number(n)
            case .bool(let b, _): return .bool(b)
            case .null: return .null
            }
        case .sequence(let sequence):
            return .array(sequence.map(\.jsonValue))
        case .mapping(let mapping):
            var object: JSONObject = [:]
            for (key, value) in mapping { object[key.scalarText ?? ""] = value.jsonValue }
            return .object(object)
        case .alias:
            return .null
        }
    }

    /// A scalar, or a list of scalars, as strings; nil (with an error) otherwise.
    func stringList(_ what: String, log: inout DiagnosticLog) -> [String]? {
        if case .scalar = self, !isNullScalar { return [scalarText ?? ""] }
        guard let items else {
            log.error("'\(what)' must be a list of text values", at: self)
            return nil
        }
        var out: [String] = []
        for item in items {
            guard case .scalar = item, let text = item.scalarText else {
                log.error("'\(what)' must be a list of text values, but an item is \(item.kindName)", at: item)
                return nil
            }
            out.append(text)
        }
        return out
    }

    /// A non-empty scalar's text; nil (with an error) otherwise.
    func text(_ what: String, log: inout DiagnosticLog) -> String? {
        guard case .scalar = self, !isNullScalar, let text = scalarText else {
            log.error("'\(what)' must be text, not \(kindName)", at: self)
            return nil
        }
        return text
    }
}
