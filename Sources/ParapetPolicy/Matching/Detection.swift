import ParapetCore

/// A named search identifier: a list of branches joined with OR, each an AND of field tests.
final class Selection: Sendable {
    let name: String
    let branches: [[FieldTest]]

    init(name: String, branches: [[FieldTest]]) {
        self.name = name
        self.branches = branches
        var ends: [Int] = []
        for branch in branches { ends.append((ends.last ?? 0) + branch.count) }
        flat = (branches.flatMap { $0 }.map(Unmanaged.passUnretained), ends)
    }

    func matches(_ root: JSONValue) -> Bool {
        matches(EventFields(document: root))
    }

    func matches(_ root: EventFields) -> Bool {
        // Through the flat copy's buffers: walking the nested arrays retained each inner array
        // and test on the way; the tests are unretained references (`branches` owns them).
        flat.tests.withUnsafeBufferPointer { tests in
            flat.ends.withUnsafeBufferPointer { ends in
                var start = 0
                for end in ends {
                    var all = true
                    for t in start..<end where !tests[t]._withUnsafeGuaranteedRef({ $0.matches(root) }) {
                        all = false
                        break
                    }
                    if all { return true }
                    start = end
                }
                return false
            }
        }
    }

    /// The branches in one array: branch b is `tests[ends[b - 1]..<ends[b]]`. Unretained
    /// references (a strong one loaded from the buffer was a retain and release per test).
    private let flat: (tests: [Unmanaged<FieldTest>], ends: [Int])
}

/// A compiled `detection`: selections and the condition over them.
final class Detection: Sendable {
    let selections: [Selection]
    let condition: ConditionNode

    /// The condition as a flat array of nodes (the root first), walked without taking the
    /// indirect enum apart: switching over `ConditionNode` retained each node's payload.
    private let nodes: [FlatNode]
    /// The children of the `and` and `or` nodes, as node indices.
    private let children: [Int]
    /// `selections` as unretained references, for evaluation.
    private let unretainedSelections: [Unmanaged<Selection>]

    private struct FlatNode {
        enum Kind: UInt8 { case selection, and, or, not }
        var kind: Kind
        /// Selection index; first child in `children` (and, or); child node (not).
        var a: Int
        /// Child count (and, or).
        var b: Int
    }

    init(selections: [Selection], condition: ConditionNode) {
        self.selections = selections
        self.condition = condition
        var nodes: [FlatNode] = []
        var children: [Int] = []
        func add(_ node: ConditionNode) -> Int {
            let index = nodes.count
            nodes.append(FlatNode(kind: .selection, a: 0, b: 0))
            switch node {
            case .selection(let selection):
                nodes[index] = FlatNode(kind: .selection, a: selection, b: 0)
            case .and(let parts), .or(let parts):
                let indices = parts.map(add)
                let kind: FlatNode.Kind = if case .and = node { .and } else { .or }
                nodes[index] = FlatNode(kind: kind, a: children.count, b: indices.count)
                children += indices
            case .not(let inner):
                nodes[index] = FlatNode(kind: .not, a: add(inner), b: 0)
            }
            return index
        }
        _ = add(condition)
        self.nodes = nodes
        self.children = children
        unretainedSelections = selections.map(Unmanaged.passUnretained)
    }

    func matches(_ root: JSONValue) -> Bool {
        matches(EventFields(document: root))
    }

    func matches(_ root: EventFields) -> Bool {
        nodes.withUnsafeBufferPointer { nodes in
            children.withUnsafeBufferPointer { children in
                unretainedSelections.withUnsafeBufferPointer { selections in
                    Detection.evaluate(0, nodes, children, selections, root)
                }
            }
        }
    }

    private static func evaluate(
        _ index: Int, _ nodes: UnsafeBufferPointer<FlatNode>, _ children: UnsafeBufferPointer<Int>,
        _ selections: UnsafeBufferPointer<Unmanaged<Selection>>, _ root: EventFields
    ) -> Bool {
        let node = nodes[index]
        switch node.kind {
        case .selection:
            return selections[node.a]._withUnsafeGuaranteedRef { $0.matches(root) }
        case .and:
            for c in node.a..<node.a + node.b where !evaluate(children[c], nodes, children, selections, root) { return false }
            return true
        case .or:
            for c in node.a..<node.a + node.b where evaluate(children[c], nodes, children, selections, root) { return true }
            return false
        case .not:
            return !evaluate(node.a, nodes, children, selections, root)
        }
    }
}
