import Foundation
import ParapetCore
import Yams

/// Reads `parapet.tests`: inline events or fixture files relative to the policy file.
struct PolicyTestCompiler {
    static let keys = ["name", "event", "expect", "context"]
    static let contextKeys = ["account", "team", "ou", "region"]
    let policyFile: String

    func compile(_ node: Node, log: inout DiagnosticLog) -> [PolicyTest] {
        guard let items = node.items else {
            log.error("'parapet.tests' must be a list", at: node)
            return []
        }
        return items.enumerated().compactMap { index, item in compileTest(item, index: index, log: &log) }
    }

    private func compileTest(_ node: Node, index: Int, log: inout DiagnosticLog) -> PolicyTest? {
        guard let pairs = node.pairs else {
            log.error("a test must be a map with name, event and expect", at: node)
            return nil
        }
        var name = "test \(index + 1)"
        var event: JSONValue?
        var expect: PolicyTest.Expectation?
        var context: PolicyTest.Context?
        var failed = false
        for (key, value) in pairs {
            let keyName = key.scalarText ?? ""
            switch keyName {
            case "name": name = value.text("name", log: &log) ?? name
            case "event":
                event = loadEvent(value, log: &log)
                if event == nil { failed = true }
            case "expect":
                guard let text = value.scalarText, let parsed = PolicyTest.Expectation(rawValue: text) else {
                    log.error("'expect' must be one of \(PolicyTest.Expectation.allCases.map(\.rawValue).joined(separator: ", "))",
                              at: value, hint: Suggestion.hint(for: value.scalarText ?? "", in: PolicyTest.Expectation.allCases.map(\.rawValue)))
                    failed = true
                    continue
                }
                expect = parsed
            case "context":
                context = compileContext(value, log: &log)
                if context == nil { failed = true }
            default:
                log.error("unknown key '\(keyName)' in a test", at: key,
                          hint: Suggestion.hint(for: keyName, in: PolicyTestCompiler.keys)
                            ?? "known keys: \(PolicyTestCompiler.keys.joined(separator: ", "))")
                failed = true
            }
        }
        if event == nil, !failed { log.error("test '\(name)' has no 'event'", at: node); failed = true }
        if expect == nil, !failed {
            log.error("test '\(name)' has no 'expect'", at: node, hint: "add `expect: violation` or `expect: none`")
            failed = true
        }
        guard !failed, let event, let expect else { return nil }
        return PolicyTest(name: name, event: event, expect: expect, context: context,
                          location: PolicyLocation(file: log.file, node: node))
    }

    private func loadEvent(_ node: Node, log: inout DiagnosticLog) -> JSONValue? {
        if case .mapping = node { return node.jsonValue }
        guard case .scalar = node, let relative = node.scalarText, !node.isNullScalar else {
            log.error("'event' must be a map (the record) or the path of a JSON fixture", at: node)
            return nil
        }
        let base = URL(fileURLWithPath: policyFile).deletingLastPathComponent()
        let url = relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : base.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            log.error("cannot read the fixture '\(relative)' (looked at \(url.path))", at: node,
                      hint: "fixture paths are relative to the policy file")
            return nil
        }
        do {
            let value = try JSONValue(parsing: data)
            guard case .object = value else {
                log.error("the fixture '\(relative)' must hold one JSON object (one record)", at: node)
                return nil
            }
            return value
        } catch {
            log.error("the fixture '\(relative)' is not valid JSON: \(error)", at: node)
            return nil
        }
    }

    private func compileContext(_ node: Node, log: inout DiagnosticLog) -> PolicyTest.Context? {
        guard let pairs = node.pairs else {
            log.error("'context' must be a map with account, team, ou and region", at: node)
            return nil
        }
        var context = PolicyTest.Context()
        for (key, value) in pairs {
            let name = key.scalarText ?? ""
            let text = value.text("context.\(name)", log: &log)
            switch name {
            case "account": context.account = text
            case "team": context.team = text
            case "ou": context.ou = text
            case "region": context.region = text
            default:
                log.error("unknown key '\(name)' in a test context", at: key,
                          hint: Suggestion.hint(for: name, in: PolicyTestCompiler.contextKeys)
                            ?? "known keys: \(PolicyTestCompiler.contextKeys.joined(separator: ", "))")
                return nil
            }
        }
        return context
    }
}
