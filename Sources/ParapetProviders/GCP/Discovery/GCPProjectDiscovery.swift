import Foundation
import ParapetCore

/// The projects under folders or organisations, walking the folder tree (Resource Manager v3
/// `folders.list` and `projects.list`, paged), as accounts: labels become tags, the folder path
/// of display names becomes the account's `ou` (`example.com/engineering/payments/prod`, the
/// configured parent's own name first), and the team comes from a label, else from the nearest
/// ancestor named in `teams`, else from the most specific folder-path glob in `teams`.
public struct GCPProjectDiscovery: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// `folders/123`, `organizations/456`.
        public var parents: [String]
        /// A project label whose value names the team; wins over `teams`.
        public var teamLabel: String?
        /// Folder-path glob (`engineering/payments/**`) → team, or a resource name
        /// (`folders/123`, `organizations/456`) → team for every project below it.
        public var teams: [String: String]
        /// Also list projects and folders that are being deleted.
        public var includeInactive: Bool
        /// How many folder levels below a parent are walked (GCP allows 10).
        public var maxDepth: Int

        public init(parents: [String], teamLabel: String? = nil, teams: [String: String] = [:], includeInactive: Bool = false,
                    maxDepth: Int = 10) {
            self.parents = parents
            self.teamLabel = teamLabel
            self.teams = teams
            self.includeInactive = includeInactive
            self.maxDepth = max(0, maxDepth)
        }
    }

    /// The discovered projects, and what could not be discovered as well as asked.
    public struct Result: Sendable, Hashable {
        public var accounts: [Account]
        /// One sentence each (a folder too deep, a folder reached twice, a parent whose name is unreadable).
        public var warnings: [String]
    }

    public let configuration: Configuration
    let gcp: GCPConfiguration
    let tokens: GCPTokenProvider
    let http: any HTTPClient
    let sleep: CloudSleep
    let resourceTeams: [String: String]
    let pathTeams: PathTeamRules

    public init(configuration: Configuration, gcp: GCPConfiguration, tokens: GCPTokenProvider, http: any HTTPClient,
                sleep: CloudSleep? = nil) {
        self.configuration = configuration
        self.gcp = gcp
        self.tokens = tokens
        self.http = http
        self.sleep = sleep ?? CloudSleeping.real
        self.resourceTeams = configuration.teams.filter { Self.isResourceName($0.key) }
        self.pathTeams = PathTeamRules(configuration.teams.filter { !Self.isResourceName($0.key) })
    }

    /// True for `folders/123` and `organizations/456` (a `teams` key naming a node, not a path glob).
    public static func isResourceName(_ key: String) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && ["folders", "organizations"].contains(parts[0]) && !parts[1].isEmpty
            && parts[1].allSatisfy(\.isASCII) && parts[1].allSatisfy(\.isNumber)
    }

    /// Every active project under the configured parents.
    public func accounts() async throws -> [Account] { try await discover().accounts }

    /// Every active project under the configured parents, with the walk's warnings.
    public func discover() async throws -> Result {
        let sender = CloudRequestSender(
            http: http, retry: gcp.retry, sleep: sleep, bucket: nil, subject: GCPResourceManagerReader.subject,
            token: { [tokens] force in try await tokens.token(forceRefresh: force) },
            invalidate: { [tokens] token in await tokens.invalidate(token) })
        let reader = GCPResourceManagerReader(sender: sender, base: gcp.endpoints.resourceManager, timeout: gcp.timeout,
                                              showDeleted: configuration.includeInactive)
        var walk = GCPFolderWalk(reader: reader, includeInactive: configuration.includeInactive, maxDepth: configuration.maxDepth)
        var warnings: [String] = []
        for parent in configuration.parents {
            let root: String
            if let name = try await reader.displayName(of: parent), !name.isEmpty {
                root = name
            } else {
                root = String(parent.split(separator: "/").last ?? Substring(parent))
                warnings.append("cannot read the display name of \(parent) (grant roles/browser on it); its folder paths start with '\(root)'")
            }
            try await walk.walk(parent: parent, root: root)
        }
        return Result(accounts: walk.projects.compactMap(account), warnings: warnings + walk.warnings)
    }

    func account(_ placed: GCPFolderWalk.Placed) -> Account? {
        let project = placed.project
        guard let id = project["projectId"]?.stringValue else { return nil }
        var tags: [String: String] = [:]
        for (key, value) in project["labels"]?.objectValue ?? [:] { tags[key] = value.scalarText }
        let path = placed.path.joined(separator: "/")
        let team = configuration.teamLabel.flatMap { tags[$0] }
            ?? placed.ancestors.reversed().lazy.compactMap { resourceTeams[$0] }.first
            ?? pathTeams.team(for: path)
        return Account(provider: .gcp, id: id, name: project["displayName"]?.stringValue, team: team, ou: path,
                       tags: tags, status: project["state"]?.stringValue)
    }
}
