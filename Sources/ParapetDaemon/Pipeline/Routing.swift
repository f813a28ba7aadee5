import Foundation
import ParapetCore

/// The delivery routes of the configuration and which of them want a violation: the default
/// webhook (every team), each team's webhook (its accounts only), extra named routes, and the
/// violation log. Several routes may match one violation; each gets its own outbox row.
public struct Routing: Sendable {
    public enum Target: Sendable {
        case webhook(url: URL, secretFile: String?, format: ParapetConfiguration.WebhookFormat)
        case log(path: String)
    }

    public struct Route: Sendable {
        public var name: String
        public var target: Target
        public var minSeverity: Severity?
        /// Policy ids or globs (`parapet-aws-*`); empty = every policy.
        public var policies: [String] = []
        public var providers: [Provider] = []
        /// Only violations in this team's accounts; nil = every team.
        public var team: String?

        func wants(severity: Severity, policyID: String, provider: Provider, team: String?) -> Bool {
            if let minSeverity, severity < minSeverity { return false }
            if !providers.isEmpty, !providers.contains(provider) { return false }
            if let routeTeam = self.team, routeTeam != team { return false }
            if !policies.isEmpty, !policies.contains(where: { Glob.matches($0, policyID) }) { return false }
            return true
        }
    }

    public var routes: [Route]

    public init(routes: [Route]) {
        self.routes = routes
    }

    /// Routes from `outputs` and `teams`.
    public init(configuration: ParapetConfiguration) {
        var routes: [Route] = []
        if let log = configuration.outputs.log {
            routes.append(Route(name: "log", target: .log(path: log)))
        }
        if let webhook = configuration.outputs.webhook {
            routes.append(Route(
                name: "webhook", target: .webhook(url: webhook.url, secretFile: webhook.secretFile, format: webhook.format),
                minSeverity: webhook.minSeverity, policies: webhook.policies, providers: webhook.providers))
        }
        for (name, webhook) in configuration.outputs.routes.sorted(by: { $0.key < $1.key }) {
            routes.append(Route(
                name: "route:\(name)", target: .webhook(url: webhook.url, secretFile: webhook.secretFile, format: webhook.format),
                minSeverity: webhook.minSeverity, policies: webhook.policies, providers: webhook.providers))
        }
        for (name, team) in configuration.teams.sorted(by: { $0.key < $1.key }) {
            guard let url = team.webhook else { continue }
            routes.append(Route(
                name: "team:\(name)", target: .webhook(url: url, secretFile: team.secretFile, format: team.format),
                minSeverity: team.minSeverity, team: name))
        }
        self.routes = routes
    }

    public func routes(severity: Severity, policyID: String, provider: Provider, team: String?) -> [String] {
        routes.filter { $0.wants(severity: severity, policyID: policyID, provider: provider, team: team) }.map(\.name)
    }

    public func route(named name: String) -> Route? {
        routes.first { $0.name == name }
    }
}

/// `*` and `**` globs for policy ids and OU paths (`Root/Workloads/**`).
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        if pattern.hasSuffix("/**"), text == pattern.dropLast(3) { return true }
        let p = Array(pattern), t = Array(text)
        return match(p, 0, t, 0)
    }

    private static func match(_ p: [Character], _ pi: Int, _ t: [Character], _ ti: Int) -> Bool {
        if pi == p.count { return ti == t.count }
        if p[pi] == "*" {
            let doubleStar = pi + 1 < p.count && p[pi + 1] == "*"
            let next = doubleStar ? pi + 2 : pi + 1
            var k = ti
            while true {
                if match(p, next, t, k) { return true }
                if k == t.count { return false }
                if !doubleStar && t[k] == "/" { return false }
                k += 1
            }
        }
        if ti < t.count, p[pi] == "?" || p[pi] == t[ti] { return match(p, pi + 1, t, ti + 1) }
        return false
    }
}
