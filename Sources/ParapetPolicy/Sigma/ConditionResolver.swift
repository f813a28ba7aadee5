/// Resolves the identifiers and `x of pattern` forms of a parsed condition to selection indices.
struct ConditionResolver {
    let names: [String]
    /// Identifiers whose selection did not compile: known, but resolving to nothing.
    let broken: Set<String>
    let file: String
    private(set) var used = Set<Int>()

    init(names: [String], broken: Set<String> = [], file: String) {
        self.names = names
        self.broken = broken
        self.file = file
    }

    mutating func resolve(_ syntax: ConditionSyntax, base: PolicyLocation, log: inout DiagnosticLog) -> ConditionNode? {
        switch syntax {
        case .identifier(let name, let offset):
            guard let index = names.firstIndex(of: name) else {
                if broken.contains(name) { return nil }
                log.add(.error, "the condition names '\(name)', which is not a search identifier of this detection",
                        at: base.shifted(by: offset),
                        hint: Suggestion.hint(for: name, in: names + broken) ?? "defined: \((names + broken).joined(separator: ", "))")
                return nil
            }
            used.insert(index)
            return .selection(index)
        case .oneOf(let pattern, let offset), .allOf(let pattern, let offset):
            let matching = indices(matching: pattern)
            guard !matching.isEmpty else {
                if !broken.isEmpty { return nil }
                log.add(.error, "'\(pattern)' matches no search identifier", at: base.shifted(by: offset),
                        hint: Suggestion.hint(for: pattern, in: names) ?? "defined: \(names.joined(separator: ", "))")
                return nil
            }
            used.formUnion(matching)
            let nodes = matching.map(ConditionNode.selection)
            if case .oneOf = syntax { return nodes.count == 1 ? nodes[0] : .or(nodes) }
            return nodes.count == 1 ? nodes[0] : .and(nodes)
        case .and(let left, let right), .or(let left, let right):
            let l = resolve(left, base: base, log: &log)
            let r = resolve(right, base: base, log: &log)
            guard let l, let r else { return nil }
            if case .and = syntax {
                func parts(_ n: ConditionNode) -> [ConditionNode] { if case .and(let c) = n { c } else { [n] } }
                return .and(parts(l) + parts(r))
            }
            func parts(_ n: ConditionNode) -> [ConditionNode] { if case .or(let c) = n { c } else { [n] } }
            return .or(parts(l) + parts(r))
        case .not(let inner):
            return resolve(inner, base: base, log: &log).map(ConditionNode.not)
        }
    }

    /// `them` is every identifier not starting with `_`; `*` matches any run of characters.
    private func indices(matching pattern: String) -> [Int] {
        if pattern == "them" {
            return names.indices.filter { !names[$0].hasPrefix("_") }
        }
        let glob = StringPattern(SigmaString(tokens: pattern.split(separator: "*", omittingEmptySubsequences: false)
            .enumerated().flatMap { i, part -> [SigmaString.Token] in
                (i > 0 ? [.star] : []) + (part.isEmpty ? [] : [.text(String(part))])
            }), cased: true)
        return names.indices.filter { glob.matches(names[$0]) }
    }
}
