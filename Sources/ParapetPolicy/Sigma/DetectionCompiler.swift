import Yams

/// Compiles a `detection` map: its search identifiers and its condition(s).
struct DetectionCompiler {
    let fields: FieldTestCompiler

    func compile(_ node: Node, log: inout DiagnosticLog) -> Detection? {
        guard let pairs = node.pairs else {
            log.error("'detection' must be a map of search identifiers and a condition", at: node)
            return nil
        }
        var selections: [Selection] = []
        var selectionNodes: [Node] = []
        var conditionPair: (key: Node, value: Node)?
        var allNames: [String] = []
        var failed = false
        for (key, value) in pairs {
            guard let name = key.scalarText else {
                log.error("a search identifier must be a name", at: key)
                failed = true
                continue
            }
            switch name {
            case "condition": conditionPair = (key, value)
            case "timeframe":
                log.warning("'timeframe' is ignored: Parapet evaluates single-event rules", at: key)
            default:
                allNames.append(name)
                guard let selection = compileSelection(name: name, node: value, log: &log) else {
                    failed = true
                    continue
                }
                selections.append(selection)
                selectionNodes.append(key)
            }
        }
        guard let conditionPair else {
            log.error("'detection' has no 'condition'", at: node, hint: "add e.g. `condition: selection`")
            return nil
        }
        var conditionTexts: [(String, Node)] = []
        if let items = conditionPair.value.items {
            for item in items {
                guard let text = item.scalarText else {
                    log.error("each condition in the list must be text", at: item)
                    return nil
                }
                conditionTexts.append((text, item))
            }
            if conditionTexts.isEmpty {
                log.error("the condition list is empty", at: conditionPair.value)
                return nil
            }
        } else if let text = conditionPair.value.scalarText, !conditionPair.value.isNullScalar {
            conditionTexts = [(text, conditionPair.value)]
        } else {
            log.error("'condition' must be text or a list of texts", at: conditionPair.value)
            return nil
        }
        // Selections that failed to compile are still names the condition may use (already reported).
        var resolver = ConditionResolver(names: selections.map(\.name), broken: Set(allNames).subtracting(selections.map(\.name)),
                                         file: log.file)
        var nodes: [ConditionNode] = []
        for (text, textNode) in conditionTexts {
            let base = PolicyLocation(file: log.file, node: textNode).shifted(by: FieldTestCompiler.quoteShift(textNode))
            do {
                let syntax = try ConditionParser.parse(text)
                if let resolved = resolver.resolve(syntax, base: base, log: &log) { nodes.append(resolved) }
                else { failed = true }
            } catch {
                log.add(.error, "cannot parse condition: \(error.message)", at: base.shifted(by: error.offset),
                        hint: "conditions combine search identifiers with and, or, not, parentheses, '1 of x*' and 'all of them'")
                failed = true
            }
        }
        if !failed {
            for (index, name) in selections.map(\.name).enumerated() where !resolver.used.contains(index) {
                log.warning("search identifier '\(name)' is never used in the condition", at: selectionNodes[index],
                            hint: "use it in the condition or remove it")
            }
        }
        if failed { return nil }
        return Detection(selections: selections, condition: nodes.count == 1 ? nodes[0] : .or(nodes))
    }

    /// A map (AND of fields), a list of maps (OR) or a list of keywords (OR).
    func compileSelection(name: String, node: Node, log: inout DiagnosticLog) -> Selection? {
        var branches: [[FieldTest]] = []
        var failed = false
        func compileMap(_ pairs: [(key: Node, value: Node)], at node: Node) {
            if pairs.isEmpty {
                log.error("search identifier '\(name)' is an empty map", at: node)
                failed = true
                return
            }
            var tests: [FieldTest] = []
            for (key, value) in pairs {
                guard key.scalarText != nil else {
                    log.error("a field name must be text", at: key)
                    failed = true
                    continue
                }
                if let test = fields.compile(keyNode: key, valueNode: value, log: &log) { tests.append(test) } else { failed = true }
            }
            branches.append(tests)
        }
        switch node {
        case .mapping:
            compileMap(node.pairs ?? [], at: node)
        case .sequence(let sequence):
            var keywords: [Node] = []
            for item in sequence {
                switch item {
                case .mapping: compileMap(item.pairs ?? [], at: item)
                case .scalar where !item.isNullScalar: keywords.append(item)
                default:
                    log.error("search identifier '\(name)' lists \(item.kindName); list items must be maps or keywords", at: item)
                    failed = true
                }
            }
            if !keywords.isEmpty {
                if let test = fields.compile(keyNode: nil, valueNode: .sequence(.init(keywords)), log: &log) {
                    branches.append([test])
                } else { failed = true }
            }
            if Array(sequence).isEmpty {
                log.error("search identifier '\(name)' is an empty list", at: node)
                failed = true
            }
        default:
            log.error("search identifier '\(name)' is \(node.kindName); it must be a map or a list", at: node)
            failed = true
        }
        return failed ? nil : Selection(name: name, branches: branches)
    }
}
