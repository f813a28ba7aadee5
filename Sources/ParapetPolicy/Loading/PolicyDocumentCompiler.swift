import Foundation
import ParapetCore
import Yams

/// Compiles one YAML document (a Sigma rule with an optional `parapet:` block) into a `Policy`.
/// Returns nil when the document has errors; every problem is in the log.
struct PolicyDocumentCompiler {
    let file: String
    let expansions: [String: [String]]
    let now: Date

    func compile(_ root: Node, log: inout DiagnosticLog) -> Policy? {
        let errorsBefore = log.errorCount
        guard let pairs = root.pairs else {
            if !root.isNullScalar { log.error("a policy document must be a map (a Sigma rule)", at: root) }
            return nil
        }
        func member(_ key: String) -> (key: Node, value: Node)? { pairs.first { $0.key.scalarText == key } }
        if member("detection") == nil, let kind = ["correlation", "filter"].first(where: { member($0) != nil }) {
            log.warning("Sigma \(kind) rules are not supported; this document is skipped", at: member(kind)!.key)
            return nil
        }
        let title = member("title").flatMap { $0.value.text("title", log: &log) }
        if member("title") == nil { log.error("the rule has no 'title'", at: root) }
        let id = member("id").flatMap { $0.value.text("id", log: &log) }
        if member("id") == nil {
            log.error("the rule has no 'id'", at: root, hint: "add `id:` with a UUID or any unique string; violations are keyed by it")
        }
        var severity = Severity.medium
        if let level = member("level") {
            if let text = level.value.scalarText, let parsed = Severity(rawValue: text.lowercased()) {
                severity = parsed
            } else {
                log.error("unknown level '\(level.value.scalarText ?? level.value.kindName)'", at: level.value,
                          hint: Suggestion.hint(for: level.value.scalarText ?? "", in: Severity.allCases.map(\.rawValue))
                            ?? "use informational, low, medium, high or critical")
            }
        } else {
            log.warning("the rule has no 'level'; it is treated as medium", at: root, hint: "add `level: medium` (or another level)")
        }
        let (logSource, feed) = compileLogSource(member("logsource"), root: root, log: &log)
        let mapping = FieldMapping.forFeed(feed ?? nil)
        let fields = FieldTestCompiler(mapping: mapping, expansions: expansions)
        let detections = DetectionCompiler(fields: fields)
        var detection: Detection?
        if let node = member("detection") {
            detection = detections.compile(node.value, log: &log)
        } else {
            log.error("the rule has no 'detection'", at: root)
        }
        var governance = GovernanceCompiler.Result()
        if let node = member("parapet") {
            governance = GovernanceCompiler(selections: detections, policyFile: file, now: now).compile(node.value, log: &log)
        }
        var resourceSources: [FieldSource]?
        if let resource = governance.resource { resourceSources = mapping.sources(for: resource) }
        guard log.errorCount == errorsBefore else { return nil }
        for (name, node) in fields.missingPlaceholders.entries {
            log.warning("placeholder '%\(name)%' has no values; policy \(id ?? "(no id)") is disabled until "
                        + "`placeholders.\(name)` is set in the configuration", at: node,
                        hint: "set `placeholders: { \(name): [...] }` in the configuration (PolicyLoader expansions)")
        }
        guard fields.missingPlaceholders.entries.isEmpty, let id, let title, let detection, let feed else { return nil }
        func strings(_ key: String) -> [String] {
            guard let node = member(key)?.value else { return [] }
            if case .scalar = node { return node.scalarText.map { [$0] } ?? [] }
            return node.items?.compactMap(\.scalarText) ?? []
        }
        return Policy(
            id: id, title: title, description: member("description")?.value.scalarText,
            status: member("status")?.value.scalarText, author: member("author")?.value.scalarText,
            tags: strings("tags"), references: strings("references"), falsePositives: strings("falsepositives"),
            severity: severity, logSource: logSource, feed: feed, controls: governance.controls,
            remediation: governance.remediation, scope: governance.scope, exceptions: governance.exceptions,
            resourceField: governance.resource, tests: governance.tests, file: file, line: root.mark?.line ?? 1,
            detection: detection, resolvesOn: governance.resolvesOn, resourceSources: resourceSources)
    }

    /// The log source and its feed (`.some(nil)` for `product: any`; nil when unknown).
    private func compileLogSource(_ pair: (key: Node, value: Node)?, root: Node, log: inout DiagnosticLog) -> (LogSource, Feed??) {
        guard let pair else {
            log.error("the rule has no 'logsource'", at: root, hint: "use \(LogSource.supported)")
            return (LogSource(), nil)
        }
        guard let pairs = pair.value.pairs else {
            log.error("'logsource' must be a map", at: pair.value)
            return (LogSource(), nil)
        }
        var source = LogSource()
        for (key, value) in pairs {
            switch key.scalarText {
            case "product": source.product = value.scalarText
            case "service": source.service = value.scalarText
            case "category": source.category = value.scalarText
            default: continue
            }
        }
        switch source.resolution {
        case .feed(let feed): return (source, .some(feed))
        case .any: return (source, .some(nil))
        case .unknown:
            let described = [source.product.map { "product: \($0)" }, source.service.map { "service: \($0)" },
                             source.category.map { "category: \($0)" }].compactMap { $0 }.joined(separator: ", ")
            log.error("unsupported logsource (\(described.isEmpty ? "empty" : described))", at: pair.value,
                      hint: "use \(LogSource.supported)")
            return (source, nil)
        }
    }
}
