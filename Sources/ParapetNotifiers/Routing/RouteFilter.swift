import Foundation
import ParapetCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which violations a route wants. Every condition must hold; an empty list means "any".
public struct RouteFilter: Sendable, Hashable {
    /// Only violations at least this severe.
    public var minSeverity: Severity?
    /// Policy ids or shell globs (`aws-*`, `parapet-?cp-*`, matched with fnmatch(3)).
    public var policies: [String]
    public var providers: [Provider]
    /// Only violations in accounts of these teams (a violation without a team never matches).
    public var teams: [String]

    public init(minSeverity: Severity? = nil, policies: [String] = [], providers: [Provider] = [], teams: [String] = []) {
        self.minSeverity = minSeverity
        self.policies = policies
        self.providers = providers
        self.teams = teams
    }

    /// Everything.
    public static let all = RouteFilter()

    /// Whether a violation with these properties passes the filter.
    public func matches(severity: Severity, policyID: String, provider: Provider, team: String?) -> Bool {
        if let minSeverity, severity < minSeverity { return false }
        if !providers.isEmpty, !providers.contains(provider) { return false }
        if !teams.isEmpty {
            guard let team, teams.contains(team) else { return false }
        }
        if !policies.isEmpty, !policies.contains(where: { fnmatch($0, policyID, 0) == 0 }) { return false }
        return true
    }
}
