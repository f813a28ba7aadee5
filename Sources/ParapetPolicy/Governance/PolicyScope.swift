import ParapetCore

/// Where a policy applies (`parapet.scope`): empty include lists mean "everywhere".
public struct PolicyScope: Sendable, Hashable, Codable {
    /// Account ids or names.
    public var accounts: [String] = []
    public var excludeAccounts: [String] = []
    /// OU path globs: `*` is one path segment, `**` any number of them; a pattern that does not
    /// start at the root (`Workloads/**`) also matches below the root (`Root/Workloads/Prod`).
    public var ous: [String] = []
    public var excludeOUs: [String] = []
    public var teams: [String] = []
    public var excludeTeams: [String] = []
    /// Region names; `*` wildcards allowed (`eu-*`).
    public var regions: [String] = []
    public var excludeRegions: [String] = []
    public var providers: [Provider] = []
    public var excludeProviders: [Provider] = []

    /// Creates a scope (everywhere, unless lists are given).
    public init() {}

    /// True when everything is in scope.
    public var isUnrestricted: Bool { self == PolicyScope() }

    /// True when an event from this account and region is in scope.
    public func contains(_ context: AccountContext, eventRegion: String? = nil) -> Bool {
        contains(context, eventRegion: eventRegion, regions: CompiledRegions(self))
    }

    /// The region globs of a scope, compiled once per policy instead of once per check.
    struct CompiledRegions: Sendable {
        let include: [StringPattern]
        let exclude: [StringPattern]

        init(_ scope: PolicyScope) {
            include = scope.regions.map { StringPattern(SigmaString(parsing: $0), cased: false) }
            exclude = scope.excludeRegions.map { StringPattern(SigmaString(parsing: $0), cased: false) }
        }
    }

    func contains(_ context: AccountContext, eventRegion: String?, regions compiled: CompiledRegions) -> Bool {
        let account = context.account
        let region = context.region ?? eventRegion
        func accountMatches(_ list: [String]) -> Bool { list.contains(account.id) || account.name.map(list.contains) == true }
        func ouMatches(_ list: [String]) -> Bool { account.ou.map { ou in list.contains { OUPattern.matches($0, ou) } } ?? false }
        func teamMatches(_ list: [String]) -> Bool { account.team.map(list.contains) ?? false }
        func regionMatches(_ patterns: [StringPattern]) -> Bool {
            guard let region else { return false }
            return patterns.contains { $0.matches(region) }
        }
        if !accounts.isEmpty, !accountMatches(accounts) { return false }
        if !ous.isEmpty, !ouMatches(ous) { return false }
        if !teams.isEmpty, !teamMatches(teams) { return false }
        if !regions.isEmpty, !regionMatches(compiled.include) { return false }
        if !providers.isEmpty, !providers.contains(account.provider) { return false }
        if accountMatches(excludeAccounts) || ouMatches(excludeOUs) || teamMatches(excludeTeams)
            || regionMatches(compiled.exclude) || excludeProviders.contains(account.provider) {
            return false
        }
        return true
    }
}

/// OU path globs.
enum OUPattern {
    static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = split(pattern)
        let segments = split(path)
        if match(p[...], segments[...]) { return true }
        // Relative to the root: `Workloads/**` matches `Root/Workloads/…`.
        return !segments.isEmpty && match(p[...], segments.dropFirst())
    }

    private static func split(_ s: String) -> [String] {
        s.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private static func match(_ p: ArraySlice<String>, _ s: ArraySlice<String>) -> Bool {
        guard let head = p.first else { return s.isEmpty }
        if head == "**" {
            var rest = s
            while true {
                if match(p.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let first = s.first else { return false }
        let segment = StringPattern(SigmaString(parsing: head), cased: true)
        return segment.matches(first) && match(p.dropFirst(), s.dropFirst())
    }
}
