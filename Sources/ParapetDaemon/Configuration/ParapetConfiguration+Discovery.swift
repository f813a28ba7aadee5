import Foundation
import ParapetCore
import ParapetProviders

extension ParapetConfiguration {
    /// `discovery`: Control Tower–style accounts from the AWS Organization, GCP folders and Azure
    /// management groups. In every section a tag or label naming the team wins over the `teams`
    /// globs (as on AWS), and among globs the most specific wins.
    public struct Discovery: Sendable {
        public var awsOrganizations: AWSOrganizations?
        public var gcpProjects: GCPProjects?
        public var azureSubscriptions: AzureSubscriptions?
        public init() {}

        /// One `teams` entry: a path glob (or, for GCP, a `folders/…`/`organizations/…` name) → team,
        /// with where it was written.
        public struct TeamRule: Sendable, Hashable {
            public var glob: String
            public var team: String
            public var line: Int?
            public var column: Int?

            public init(glob: String, team: String, line: Int? = nil, column: Int? = nil) {
                self.glob = glob
                self.team = team
                self.line = line
                self.column = column
            }
        }

        /// `discovery.gcp_projects`: projects under folders or organisations (the whole folder tree)
        /// get a `gcp-audit` source.
        public struct GCPProjects: Sendable {
            public var parents: [String] = []
            public var refresh: TimeInterval = 900
            /// A project label naming the team; wins over `teams`.
            public var teamLabel: String?
            /// Folder-path glob (`engineering/payments/**`) or resource name (`folders/123`) → team.
            public var teams: [TeamRule] = []
            /// Folder levels walked below each parent (GCP allows 10).
            public var maxDepth: Int = 10
            public var logs: [String] = ["activity", "system_event"]
            public init() {}
        }

        /// `discovery.azure_subscriptions`: subscriptions the credentials can read get an `azure-activity` source.
        public struct AzureSubscriptions: Sendable {
            public var refresh: TimeInterval = 900
            /// A subscription tag naming the team; wins over `teams`.
            public var teamTag: String?
            /// Management-group path glob (`Contoso/Engineering/Payments/**`) → team.
            public var teams: [TeamRule] = []
            /// Read management-group paths (a 403 is a warning, not a failure).
            public var managementGroups: Bool = true
            public init() {}
        }

        public struct AWSOrganizations: Sendable {
            public var roleARN: String?
            public var refresh: TimeInterval = 900
            /// OU path glob → team; the most specific match wins.
            public var teams: [TeamRule] = []
            /// An account tag whose value names the team; wins over `teams`.
            public var teamTag: String?
            /// Regions to poll CloudTrail LookupEvents in for discovered accounts (none: rely on org sources).
            public var regions: [String] = []
            public var roleName: String?
            public init() {}
        }
    }
}

extension ParapetConfiguration.Discovery {
    mutating func decode(_ node: ConfigNode) throws {
        for (key, value) in try node.mapping(allowed: ["aws_organizations", "gcp_projects", "azure_subscriptions"]) {
            switch key {
            case "gcp_projects": gcpProjects = try GCPProjects.decode(value)
            case "azure_subscriptions": azureSubscriptions = try AzureSubscriptions.decode(value)
            default: awsOrganizations = try AWSOrganizations.decode(value)
            }
        }
    }

    static func teamRules(_ node: ConfigNode) throws -> [TeamRule] {
        try node.mapping().map { glob, value in
            TeamRule(glob: glob, team: try value.string(), line: value.node.mark?.line, column: value.node.mark?.column)
        }
    }

    /// Checks every `teams` glob, and that every team it names is defined under `teams` (when any is).
    func validate(file: String, teams defined: Set<String>) throws {
        let sections: [(String, [TeamRule], allowResourceNames: Bool)] = [
            ("aws_organizations", awsOrganizations?.teams ?? [], false),
            ("gcp_projects", gcpProjects?.teams ?? [], true),
            ("azure_subscriptions", azureSubscriptions?.teams ?? [], false),
        ]
        for (section, rules, allowResourceNames) in sections {
            for rule in rules {
                func fail(_ message: String) -> ConfigurationError {
                    ConfigurationError(file: file, line: rule.line, column: rule.column,
                                       message: "'discovery.\(section).teams' entry '\(rule.glob)': \(message)")
                }
                if !(allowResourceNames && GCPProjectDiscovery.isResourceName(rule.glob)), let problem = PathTeamRules.problem(in: rule.glob) {
                    throw fail(problem)
                }
                if rule.team.isEmpty { throw fail("the team name is empty") }
                if !defined.isEmpty, !defined.contains(rule.team) {
                    throw fail("team '\(rule.team)' is not defined under 'teams' (defined: \(defined.sorted().joined(separator: ", ")))")
                }
            }
        }
    }
}

extension ParapetConfiguration.Discovery.GCPProjects {
    static func decode(_ node: ConfigNode) throws -> Self {
        var projects = Self()
        for (k, v) in try node.mapping(allowed: ["parents", "refresh", "team_label", "teams", "max_depth", "logs"]) {
            switch k {
            case "parents":
                projects.parents = try v.stringList()
                for parent in projects.parents where !GCPProjectDiscovery.isResourceName(parent) {
                    throw v.error("'discovery.gcp_projects.parents': '\(parent)' is not a parent; write folders/NUMBER or organizations/NUMBER")
                }
            case "refresh": projects.refresh = try v.duration()
            case "team_label": projects.teamLabel = try v.string()
            case "teams": projects.teams = try ParapetConfiguration.Discovery.teamRules(v)
            case "max_depth": projects.maxDepth = try v.int(range: 0...10)
            case "logs": projects.logs = try v.stringList()
            default: break
            }
        }
        if projects.parents.isEmpty { throw node.error("'discovery.gcp_projects' needs 'parents' (folders/… or organizations/…)") }
        return projects
    }
}

extension ParapetConfiguration.Discovery.AzureSubscriptions {
    static func decode(_ node: ConfigNode) throws -> Self {
        var subscriptions = Self()
        guard !node.isNull else { return subscriptions }
        for (k, v) in try node.mapping(allowed: ["refresh", "team_tag", "teams", "management_groups"]) {
            switch k {
            case "refresh": subscriptions.refresh = try v.duration()
            case "team_tag": subscriptions.teamTag = try v.string()
            case "teams": subscriptions.teams = try ParapetConfiguration.Discovery.teamRules(v)
            case "management_groups": subscriptions.managementGroups = try v.bool()
            default: break
            }
        }
        return subscriptions
    }
}

extension ParapetConfiguration.Discovery.AWSOrganizations {
    static func decode(_ node: ConfigNode) throws -> Self {
        var organizations = Self()
        for (k, v) in try node.mapping(allowed: ["role_arn", "refresh", "teams", "team_tag", "regions", "role_name"]) {
            switch k {
            case "role_arn": organizations.roleARN = try v.string()
            case "refresh": organizations.refresh = try v.duration()
            case "teams": organizations.teams = try ParapetConfiguration.Discovery.teamRules(v)
            case "team_tag": organizations.teamTag = try v.string()
            case "regions": organizations.regions = try v.stringList()
            case "role_name": organizations.roleName = try v.string()
            default: break
            }
        }
        return organizations
    }
}
