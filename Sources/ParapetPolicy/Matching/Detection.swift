import ParapetCore

/// A named search identifier: a list of branches joined with OR, each an AND of field tests.
struct Selection: Sendable {
    let name: String
    let branches: [[FieldTest]]

    func matches(_ root: JSONValue) -> Bool {
        branches.contains { branch in branch.allSatisfy { $0.matches(root) } }
    }
}

/// A compiled `detection`: selections and the condition over them.
struct Detection: Sendable {
    let selections: [Selection]
    let condition: ConditionNode

    func matches(_ root: JSONValue) -> Bool {
        evaluate(condition, root)
    }

    private func evaluate(_ node: ConditionNode, _ root: JSONValue) -> Bool {
        switch node {
        case .selection(let index): selections[index].matches(root)
        case .and(let nodes): nodes.allSatisfy { evaluate($0, root) }
        case .or(let nodes): nodes.contains { evaluate($0, root) }
        case .not(let inner): !evaluate(inner, root)
        }
    }
}
