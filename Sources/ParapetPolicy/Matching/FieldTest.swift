import ParapetCore

/// One `field|modifiers: values` entry of a selection, compiled.
struct FieldTest: Sendable {
    enum Target: Sendable {
        case field(name: String, sources: [FieldSource])
        /// A value without a field: searched in every value of the event.
        case keywords
    }

    let target: Target
    let tests: [ValueTest]
    /// `all`: every value must match (otherwise any).
    let requireAll: Bool
    /// `neq`: the field has a value that equals none of the values.
    let negated: Bool
    let timePart: TimePart?
    /// Lowercased literals when this entry is a plain equality on strings (for the rule index).
    let literals: Set<String>?

    func matches(_ root: JSONValue) -> Bool {
        switch target {
        case .keywords:
            let check: (ValueTest) -> Bool = { test in FieldTest.anyScalar(in: root) { test.matches($0, in: root) } }
            return requireAll ? tests.allSatisfy(check) : tests.contains(where: check)
        case .field(_, let sources):
            if negated {
                return sources.contains { source in
                    source.first(in: root) { value in
                        guard !value.isNull, let value = transformed(value) else { return false }
                        return !tests.contains { test in
                            if case .null = test { return false }
                            return test.matches(value, in: root)
                        }
                    }
                }
            }
            let check: (ValueTest) -> Bool = { test in self.matches(test, sources, root) }
            return requireAll ? tests.allSatisfy(check) : tests.contains(where: check)
        }
    }

    private func matches(_ test: ValueTest, _ sources: [FieldSource], _ root: JSONValue) -> Bool {
        switch test {
        case .null:
            return !sources.contains { $0.first(in: root) { !$0.isNull } }
        case .exists(let expected):
            return sources.contains { $0.exists(in: root) } == expected
        default:
            return sources.contains { source in
                source.first(in: root) { value in
                    guard let value = transformed(value) else { return false }
                    return test.matches(value, in: root)
                }
            }
        }
    }

    private func transformed(_ value: JSONValue) -> JSONValue? {
        guard let timePart else { return value }
        return timePart.extract(from: value).map { .number($0) }
    }

    /// Calls `body` on every scalar (string, number, bool) anywhere in `value`.
    static func anyScalar(in value: JSONValue, _ body: (JSONValue) -> Bool) -> Bool {
        switch value {
        case .object(let members): return members.values.contains { anyScalar(in: $0, body) }
        case .array(let elements): return elements.contains { anyScalar(in: $0, body) }
        case .null: return false
        default: return body(value)
        }
    }
}
