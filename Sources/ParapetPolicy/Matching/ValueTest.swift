import ParapetCore

/// One compiled rule value, tested against one value from the event.
enum ValueTest: Sendable, Hashable {
    case pattern(StringPattern)
    case regex(CompiledRegex)
    case number(Double, text: String)
    case bool(Bool, text: String)
    /// `null`: field absent or null (decided at the field level).
    case null
    /// `exists: true/false` (decided at the field level).
    case exists(Bool)
    case compare(Comparison, Double)
    case cidr(CIDR)
    /// `fieldref`: the value equals (or contains, …) the value of another field of the event.
    case fieldRef([FieldSource], position: Position, cased: Bool)

    enum Comparison: String, Sendable, Hashable {
        case lt, lte, gt, gte

        func holds(_ left: Double, _ right: Double) -> Bool {
            switch self {
            case .lt: left < right
            case .lte: left <= right
            case .gt: left > right
            case .gte: left >= right
            }
        }
    }

    enum Position: Sendable, Hashable {
        case equals, contains, startswith, endswith
    }

    /// Does `value` (a field's value, or one element of a list-valued field) satisfy this test?
    /// Objects and nested lists match when any scalar inside them does.
    func matches(_ value: JSONValue, in root: EventFields) -> Bool {
        switch value {
        case .null:
            return false
        case .object(let members):
            return members.values.contains { matches($0, in: root) }
        case .array(let elements):
            return elements.contains { matches($0, in: root) }
        case .string(let text):
            return matches(text: text, number: nil, in: root)
        case .number(let n):
            return matches(text: nil, number: n, in: root)
        case .bool(let b):
            switch self {
            case .bool(let expected, _): return b == expected
            case .number, .compare, .cidr: return false
            default: return matches(text: b ? "true" : "false", number: nil, in: root)
            }
        }
    }

    private func matches(text: String?, number: Double?, in root: EventFields) -> Bool {
        switch self {
        case .pattern(let pattern):
            return pattern.matches(text ?? JSONValue.number(number ?? 0).scalarText ?? "")
        case .regex(let regex):
            return regex.matches(text ?? JSONValue.number(number ?? 0).scalarText ?? "")
        case .number(let expected, let expectedText):
            if let number { return number == expected }
            guard let text else { return false }
            if let parsed = Double(text.trimmingWhitespace()) { return parsed == expected }
            return text.lowercased() == expectedText
        case .bool(_, let expectedText):
            guard let text else { return false }
            return text.lowercased() == expectedText
        case .compare(let comparison, let bound):
            guard let value = number ?? text.flatMap({ Double($0.trimmingWhitespace()) }) else { return false }
            return comparison.holds(value, bound)
        case .cidr(let cidr):
            guard let text else { return false }
            return cidr.contains(text)
        case .fieldRef(let sources, let position, let cased):
            let mine = text ?? JSONValue.number(number ?? 0).scalarText ?? ""
            return sources.contains { source in
                source.first(in: root) { other in
                    guard let otherText = other.scalarText else { return false }
                    let literal = SigmaString(literal: otherText)
                    let wrapped: SigmaString
                    switch position {
                    case .equals: wrapped = literal
                    case .contains: wrapped = literal.wrapped(leading: true, trailing: true)
                    case .startswith: wrapped = literal.wrapped(leading: false, trailing: true)
                    case .endswith: wrapped = literal.wrapped(leading: true, trailing: false)
                    }
                    return StringPattern(wrapped, cased: cased).matches(mine)
                }
            }
        case .null, .exists:
            return false
        }
    }
}
