import ParapetCore

/// A named search identifier: a list of branches joined with OR, each an AND of field tests.
final class Selection: Sendable {
    let name: String
    let branches: [[FieldTest]]

    init(name: String, branches: [[FieldTest]]) {
        self.name = name
        self.branches = branches
    }

    func matches(_ root: JSONValue) -> Bool {
        matches(EventFields(document: root))
    }

    func matches(_ root: EventFields) -> Bool {
        // Index loops read the elements in place (a `for … in` copy retains each one).
        for b in branches.indices {
            var all = true
            for t in branches[b].indices where !branches[b][t].matches(root) {
                all = false
                break
            }
            if all { return true }
        }
        return false
    }
}

/// A compiled `detection`: selections and the condition over them.
final class Detection: Sendable {
    let selections: [Selection]
    let condition: ConditionNode

    init(selections: [Selection], condition: ConditionNode) {
        self.selections = selections
        self.condition = condition
    }

    func matches(_ root: JSONValue) -> Bool {
        evaluate(condition, EventFields(document: root))
    }

    func matches(_ root: EventFields) -> Bool {
        evaluate(condition, root)
    }

    private func evaluate(_ node: ConditionNode, _ root: EventFields) -> Bool {
        switch node {
        case .selection(let index):
            return selections[index].matches(root)
        case .and(let nodes):
            for i in nodes.indices where !evaluate(nodes[i], root) { return false }
            return true
        case .or(let nodes):
            for i in nodes.indices where evaluate(nodes[i], root) { return true }
            return false
        case .not(let inner):
            return !evaluate(inner, root)
        }
    }
}
