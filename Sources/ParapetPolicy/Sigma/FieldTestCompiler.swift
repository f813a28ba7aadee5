import Foundation
import Yams

/// Compiles one `field|modifiers: value(s)` entry (or a keyword list) into a `FieldTest`,
/// reporting every problem with its place.
struct FieldTestCompiler {
    let mapping: FieldMapping
    let expansions: [String: [String]]
    /// Placeholders used without configured values (the policy is then left out, with a warning).
    var missingPlaceholders = MissingPlaceholders()

    /// `keyNode` is nil for keyword lists (values without a field).
    func compile(keyNode: Node?, valueNode: Node, log: inout DiagnosticLog) -> FieldTest? {
        let keyText = keyNode?.scalarText ?? ""
        let parts = keyText.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let fieldName = parts[0]
        var modifiers: [Modifier] = []
        var failed = false
        var offset = fieldName.unicodeScalars.count + 1
        let quoteShift = keyNode.map(FieldTestCompiler.quoteShift) ?? 0
        for name in parts.dropFirst() {
            if let modifier = Modifier(rawValue: name) {
                modifiers.append(modifier)
            } else {
                let location = PolicyLocation(file: log.file, node: keyNode).shifted(by: offset + quoteShift)
                log.add(.error, "unknown modifier '\(name)'", at: location,
                        hint: Suggestion.hint(for: name, in: Modifier.allCases.map(\.rawValue))
                            ?? "see the Sigma modifiers appendix for the supported modifiers")
                failed = true
            }
            offset += name.unicodeScalars.count + 1
        }
        let valueNodes: [Node]
        switch valueNode {
        case .sequence(let sequence):
            valueNodes = Array(sequence)
            if valueNodes.isEmpty {
                log.error("'\(keyText)' has an empty list of values", at: valueNode, hint: "give at least one value")
                return nil
            }
        case .mapping:
            log.error("the value of '\(keyText)' is a map; a field takes a value or a list of values", at: valueNode,
                      hint: "for a nested field, write its dotted path as the key (e.g. `requestParameters.bucketName`)")
            return nil
        default:
            valueNodes = [valueNode]
        }
        for node in valueNodes where node.scalarText == nil {
            log.error("a value of '\(keyText)' is \(node.kindName); values must be scalars", at: node)
            failed = true
        }
        if failed { return nil }
        let values = valueNodes.map { (RuleValue(scalar: $0), $0) }
        let context = Context(fieldName: fieldName, keyText: keyText, keyNode: keyNode, modifiers: modifiers)
        guard context.validate(values: values, log: &log) else { return nil }
        var tests: [ValueTest] = []
        var literals: Set<String>? = context.indexable ? [] : nil
        for (value, node) in values {
            guard let compiled = compileValue(value, node: node, context: context, log: &log) else { failed = true; continue }
            tests += compiled
            if literals != nil, case .string(let s) = value, !SigmaString(parsing: s).hasWildcards {
                literals?.insert(SigmaString(parsing: s).plainText!.lowercased())
            } else {
                literals = nil
            }
        }
        if failed { return nil }
        let target: FieldTest.Target = fieldName.isEmpty
            ? .keywords : .field(name: fieldName, sources: mapping.sources(for: fieldName))
        return FieldTest(target: target, tests: tests, requireAll: modifiers.contains(.all),
                         negated: modifiers.contains(.neq), timePart: modifiers.lazy.compactMap { TimePart(rawValue: $0.rawValue) }.first,
                         literals: fieldName.isEmpty ? nil : literals)
    }

    static func quoteShift(_ node: Node) -> Int {
        guard case .scalar(let scalar) = node else { return 0 }
        return scalar.style == .singleQuoted || scalar.style == .doubleQuoted ? 1 : 0
    }

    /// The modifiers of one entry, checked for combinations that make no sense.
    struct Context {
        let fieldName: String
        let keyText: String
        let keyNode: Node?
        let modifiers: [Modifier]

        func has(_ m: Modifier) -> Bool { modifiers.contains(m) }
        var isKeyword: Bool { fieldName.isEmpty }
        var isRegex: Bool { has(.re) }
        var cased: Bool { has(.cased) }
        var position: Modifier? { modifiers.first { $0.isPosition } }
        var comparison: Modifier? { modifiers.first { $0.isComparison } }
        var timePart: Modifier? { modifiers.first { $0.isTimePart } }
        var indexable: Bool { modifiers.allSatisfy { $0 == .cased } }

        func validate(values: [(RuleValue, Node)], log: inout DiagnosticLog) -> Bool {
            var ok = true
            func fail(_ message: String, hint: String? = nil) {
                log.error(message, at: keyNode, hint: hint)
                ok = false
            }
            let positions = modifiers.filter(\.isPosition)
            if Set(positions).count > 1 {
                fail("'\(keyText)' combines \(positions.map { "'\($0.rawValue)'" }.joined(separator: " and ")), which exclude each other")
            }
            if modifiers.contains(where: \.isRegexFlag), !isRegex {
                fail("the regular-expression flags i, m and s need the 're' modifier", hint: "write '|re|i'")
            }
            let typeModifiers = modifiers.filter { [.re, .cidr, .exists, .fieldref].contains($0) || $0.isComparison }
            if Set(typeModifiers).count > 1 {
                fail("'\(keyText)' combines \(typeModifiers.map { "'\($0.rawValue)'" }.joined(separator: " and ")), which exclude each other")
            }
            if !positions.isEmpty, let type = typeModifiers.first, type != .fieldref {
                fail("'\(positions[0].rawValue)' cannot be combined with '\(type.rawValue)'")
            }
            if has(.exists), values.count != 1 || { if case .bool = values[0].0 { return false } else { return true } }() {
                fail("'exists' takes a single true or false", hint: "write `\(fieldName)|exists: true`")
            }
            if has(.all), values.count == 1 {
                log.warning("'all' with a single value has no effect", at: keyNode,
                            hint: "remove '|all', or give a list of values")
            }
            if isKeyword, has(.exists) || has(.fieldref) || has(.neq) || timePart != nil {
                fail("a keyword search (no field name) cannot use '\(modifiers.first { [.exists, .fieldref, .neq].contains($0) || $0.isTimePart }!.rawValue)'")
            }
            if modifiers.contains(where: \.isEncoding) || has(.windash) {
                if isRegex || has(.cidr) || comparison != nil || has(.fieldref) || timePart != nil {
                    fail("encoding modifiers only apply to string values")
                }
            }
            let encodings = modifiers.filter(\.isEncoding)
            if let last = encodings.last, [.utf16le, .utf16be, .utf16, .wide].contains(last) {
                fail("'\(last.rawValue)' must be followed by 'base64' or 'base64offset'",
                     hint: "write '|\(last.rawValue)|base64offset|contains'")
            }
            return ok
        }
    }

    private func compileValue(_ value: RuleValue, node: Node, context: Context, log: inout DiagnosticLog) -> [ValueTest]? {
        let m = context.modifiers
        if context.has(.exists) {
            if case .bool(let b, _) = value { return [.exists(b)] }
            return nil
        }
        if case .null = value {
            if m.contains(where: { $0 != .neq && $0 != .all }) {
                log.error("null cannot be used with modifiers", at: node, hint: "write `\(context.fieldName): null`")
                return nil
            }
            return [.null]
        }
        if let comparison = context.comparison {
            guard let number = value.number else {
                log.error("'\(comparison.rawValue)' compares numbers, but '\(value.text ?? "")' is not a number", at: node)
                return nil
            }
            return [.compare(ValueTest.Comparison(rawValue: comparison.rawValue)!, number)]
        }
        if context.timePart != nil {
            guard let number = value.number else {
                log.error("'\(context.timePart!.rawValue)' yields a number, but '\(value.text ?? "")' is not a number", at: node)
                return nil
            }
            return [.number(number, text: JSONValueText.format(number))]
        }
        guard let text = value.text else { return nil }
        if context.has(.cidr) {
            guard let cidr = CIDR(text) else {
                log.error("'\(text)' is not a CIDR network", at: node, hint: "write e.g. 10.0.0.0/8 or 2001:db8::/32")
                return nil
            }
            return [.cidr(cidr)]
        }
        if context.isRegex {
            var options: NSRegularExpression.Options = []
            if m.contains(.i) || m.contains(.ignorecase) { options.insert(.caseInsensitive) }
            if m.contains(.m) || m.contains(.multiline) { options.insert(.anchorsMatchLines) }
            if m.contains(.s) || m.contains(.dotall) { options.insert(.dotMatchesLineSeparators) }
            do {
                return [.regex(try CompiledRegex(pattern: text, options: options))]
            } catch {
                log.error("invalid regular expression '\(text)'", at: node,
                          hint: "Sigma regexes are PCRE-style; escape special characters with a backslash")
                return nil
            }
        }
        if context.has(.fieldref) {
            let position: ValueTest.Position = switch context.position {
            case .contains?: .contains
            case .startswith?: .startswith
            case .endswith?: .endswith
            default: .equals
            }
            return [.fieldRef(mapping.sources(for: text), position: position, cased: context.cased)]
        }
        if case .string = value {} else if m.isEmpty || m == [.all] || m == [.neq] {
            // Plain numbers and booleans compare by type (and by text against strings).
            switch value {
            case .number(let n, let t): return [.number(n, text: t.lowercased())]
            case .bool(let b, let t): return [.bool(b, text: t.lowercased())]
            default: break
            }
        }
        guard let strings = transformedStrings(text, node: node, context: context, log: &log) else { return nil }
        return strings.map { s in
            let wrapped = s.wrapped(leading: context.position == .contains || context.position == .endswith || context.isKeyword && context.position == nil,
                                    trailing: context.position == .contains || context.position == .startswith || context.isKeyword && context.position == nil)
            return .pattern(StringPattern(wrapped, cased: context.cased))
        }
    }

    /// Applies `expand`, `windash` and the encodings in the order the rule gives them.
    private func transformedStrings(_ raw: String, node: Node, context: Context, log: inout DiagnosticLog) -> [SigmaString]? {
        var raws = [raw]
        if context.has(.expand) {
            let (values, missing) = ValueEncodings.expand(raw, with: expansions)
            if let missing {
                missingPlaceholders.add(missing, at: node)
                return nil
            }
            raws = values
        }
        var strings = raws.map(SigmaString.init(parsing:))
        var bytes: [[UInt8]]? = nil
        for modifier in context.modifiers {
            switch modifier {
            case .windash:
                var out: [SigmaString] = []
                for s in strings {
                    guard let variants = ValueEncodings.windash(s) else {
                        log.error("'windash' would produce more than \(ValueEncodings.maximumVariants) variants", at: node)
                        return nil
                    }
                    out += variants
                }
                strings = out
            case .utf16le, .wide, .utf16be, .utf16:
                guard let plain = plainTexts(strings, modifier, node, &log) else { return nil }
                bytes = plain.map { text in
                    switch modifier {
                    case .utf16be: ValueEncodings.utf16BE(text)
                    case .utf16: [0xFF, 0xFE] + ValueEncodings.utf16LE(text)
                    default: ValueEncodings.utf16LE(text)
                    }
                }
            case .base64, .base64offset:
                let input: [[UInt8]]
                if let bytes { input = bytes } else {
                    guard let plain = plainTexts(strings, modifier, node, &log) else { return nil }
                    input = plain.map { Array($0.utf8) }
                }
                bytes = nil
                let encoded = modifier == .base64 ? input.map { [ValueEncodings.base64($0)] } : input.map(ValueEncodings.base64Offsets)
                strings = encoded.flatMap { $0 }.map(SigmaString.init(literal:))
            default:
                continue
            }
        }
        return strings
    }

    private func plainTexts(_ strings: [SigmaString], _ modifier: Modifier, _ node: Node, _ log: inout DiagnosticLog) -> [String]? {
        var out: [String] = []
        for s in strings {
            guard let plain = s.plainText else {
                log.error("'\(modifier.rawValue)' cannot encode a value with wildcards", at: node,
                          hint: "escape the wildcard (\\* or \\?) or move it to a 'contains' modifier")
                return nil
            }
            out.append(plain)
        }
        return out
    }
}

/// Number formatting shared with `JSONValue.scalarText`.
enum JSONValueText {
    static func format(_ n: Double) -> String {
        if n.rounded() == n, abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }
}

/// Placeholders a document uses that have no configured values, in the order met.
final class MissingPlaceholders {
    private(set) var entries: [(name: String, node: Node)] = []

    func add(_ name: String, at node: Node) {
        if !entries.contains(where: { $0.name == name }) { entries.append((name, node)) }
    }
}
