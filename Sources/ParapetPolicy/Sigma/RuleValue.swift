import Yams

/// A scalar value written in a rule, with its YAML type.
enum RuleValue: Sendable, Hashable {
    case string(String)
    case number(Double, text: String)
    case bool(Bool, text: String)
    case null

    init(scalar node: Node) {
        let text = node.scalarText ?? ""
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else {
            self = .string(text)
            return
        }
        switch node.tag.rawValue {
        case Tag.Name.null.rawValue: self = .null
        case Tag.Name.bool.rawValue: self = .bool(node.bool ?? false, text: text)
        case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
            if let n = Double(text) ?? node.float { self = .number(n, text: text) } else { self = .string(text) }
        default: self = .string(text)
        }
    }

    /// The value as text, as string-modifiers see it.
    var text: String? {
        switch self {
        case .string(let s): s
        case .number(_, let t), .bool(_, let t): t
        case .null: nil
        }
    }

    var number: Double? {
        switch self {
        case .number(let n, _): n
        case .string(let s): Double(s.trimmingWhitespace())
        default: nil
        }
    }
}
