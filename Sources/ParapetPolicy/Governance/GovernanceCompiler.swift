import Foundation
import ParapetCore
import Yams

/// Reads the `parapet:` block: controls, scope, remediation, exceptions, resolves_on, resource, tests.
struct GovernanceCompiler {
    static let keys = ["controls", "scope", "remediation", "exceptions", "resolves_on", "resource", "tests"]
    static let scopeKeys = ["accounts", "exclude_accounts", "ous", "exclude_ous", "teams", "exclude_teams",
                            "regions", "exclude_regions", "providers", "exclude_providers"]
    static let exceptionKeys = ["match", "reason", "owner", "ticket", "expires"]
    static let expiryWarningDays = 14.0

    struct Result {
        var controls: [String] = []
        var scope = PolicyScope()
        var remediation: String?
        var exceptions: [PolicyException] = []
        var resolvesOn: Selection?
        var resource: String?
        var tests: [PolicyTest] = []
    }

    let selections: DetectionCompiler
    let policyFile: String
    let now: Date

    func compile(_ node: Node, log: inout DiagnosticLog) -> Result {
        var result = Result()
        guard let pairs = node.pairs else {
            log.error("'parapet' must be a map", at: node)
            return result
        }
        for (key, value) in pairs {
            let name = key.scalarText ?? ""
            switch name {
            case "controls": result.controls = value.stringList("parapet.controls", log: &log) ?? []
            case "scope": result.scope = compileScope(value, log: &log)
            case "remediation": result.remediation = value.text("parapet.remediation", log: &log)
            case "exceptions":
                guard let items = value.items else {
                    log.error("'parapet.exceptions' must be a list", at: value)
                    continue
                }
                result.exceptions = items.compactMap { compileException($0, log: &log) }
            case "resolves_on": result.resolvesOn = selections.compileSelection(name: "resolves_on", node: value, log: &log)
            case "resource": result.resource = value.text("parapet.resource", log: &log)
            case "tests":
                result.tests = PolicyTestCompiler(policyFile: policyFile).compile(value, log: &log)
            default:
                log.error("unknown key '\(name)' under 'parapet'", at: key,
                          hint: Suggestion.hint(for: name, in: GovernanceCompiler.keys)
                            ?? "known keys: \(GovernanceCompiler.keys.joined(separator: ", "))")
            }
        }
        return result
    }

    private func compileScope(_ node: Node, log: inout DiagnosticLog) -> PolicyScope {
        var scope = PolicyScope()
        guard let pairs = node.pairs else {
            log.error("'parapet.scope' must be a map", at: node)
            return scope
        }
        for (key, value) in pairs {
            let name = key.scalarText ?? ""
            guard GovernanceCompiler.scopeKeys.contains(name) else {
                log.error("unknown key '\(name)' under 'parapet.scope'", at: key,
                          hint: Suggestion.hint(for: name, in: GovernanceCompiler.scopeKeys)
                            ?? "known keys: \(GovernanceCompiler.scopeKeys.joined(separator: ", "))")
                continue
            }
            guard let list = value.stringList("parapet.scope.\(name)", log: &log) else { continue }
            switch name {
            case "accounts": scope.accounts = list
            case "exclude_accounts": scope.excludeAccounts = list
            case "ous": scope.ous = list
            case "exclude_ous": scope.excludeOUs = list
            case "teams": scope.teams = list
            case "exclude_teams": scope.excludeTeams = list
            case "regions": scope.regions = list
            case "exclude_regions": scope.excludeRegions = list
            default:
                var providers: [Provider] = []
                for text in list {
                    if let provider = Provider(rawValue: text.lowercased()) { providers.append(provider) } else {
                        log.error("unknown provider '\(text)' in 'parapet.scope.\(name)'", at: value,
                                  hint: "use aws, gcp or azure")
                    }
                }
                if name == "providers" { scope.providers = providers } else { scope.excludeProviders = providers }
            }
        }
        return scope
    }

    private func compileException(_ node: Node, log: inout DiagnosticLog) -> PolicyException? {
        guard let pairs = node.pairs else {
            log.error("an exception must be a map with match, reason and expires", at: node)
            return nil
        }
        var match: Selection?
        var reason: String?, owner: String?, ticket: String?, expires: Date?
        var failed = false
        for (key, value) in pairs {
            let name = key.scalarText ?? ""
            switch name {
            case "match":
                match = selections.compileSelection(name: "match", node: value, log: &log)
                if match == nil { failed = true }
            case "reason": reason = value.text("reason", log: &log)
            case "owner": owner = value.text("owner", log: &log)
            case "ticket": ticket = value.text("ticket", log: &log)
            case "expires":
                guard let text = value.scalarText, let date = PolicyDate.parse(text) else {
                    log.error("cannot read the date '\(value.scalarText ?? value.kindName)'", at: value,
                              hint: "write the last day the exception applies as YYYY-MM-DD")
                    failed = true
                    continue
                }
                expires = date
                let end = date.addingTimeInterval(86400)
                if end <= now {
                    log.warning("exception expired on \(PolicyDate.string(date)) and no longer applies", at: value,
                                hint: "renew it (new expires date) or remove it")
                } else if end.timeIntervalSince(now) <= GovernanceCompiler.expiryWarningDays * 86400 {
                    log.warning("exception expires on \(PolicyDate.string(date)), within \(Int(GovernanceCompiler.expiryWarningDays)) days",
                                at: value, hint: "renew it or plan the fix")
                }
            default:
                log.error("unknown key '\(name)' in an exception", at: key,
                          hint: Suggestion.hint(for: name, in: GovernanceCompiler.exceptionKeys)
                            ?? "known keys: \(GovernanceCompiler.exceptionKeys.joined(separator: ", "))")
                failed = true
            }
        }
        if match == nil, !failed { log.error("an exception needs a 'match'", at: node); failed = true }
        if reason == nil { log.error("an exception needs a 'reason'", at: node); failed = true }
        if expires == nil, !pairs.contains(where: { $0.key.scalarText == "expires" }) {
            log.error("an exception needs an 'expires' date", at: node, hint: "add `expires: YYYY-MM-DD`")
            failed = true
        }
        guard !failed, let match, let reason, let expires else { return nil }
        return PolicyException(reason: reason, owner: owner, ticket: ticket, expires: expires,
                               location: PolicyLocation(file: log.file, node: node), match: match)
    }
}
