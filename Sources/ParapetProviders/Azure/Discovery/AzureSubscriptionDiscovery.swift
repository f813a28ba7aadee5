import Foundation
import ParapetCore

/// The subscriptions the credentials can see (`GET /subscriptions?api-version=2020-01-01`,
/// following `nextLink` on the management host only), as accounts: tags, state, the
/// management-group path as the account's `ou` when the principal may read management groups,
/// and the team from a tag, else from the most specific management-group path glob.
public struct AzureSubscriptionDiscovery: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// A subscription tag whose value names the team; wins over `teams`.
        public var teamTag: String?
        /// Management-group path glob (`Contoso/Engineering/Payments/**`) → team.
        public var teams: [String: String]
        /// Read each subscription's management-group path (skipped with a warning when refused).
        public var managementGroups: Bool
        /// Also list subscriptions that are not `Enabled` (Disabled, Warned, PastDue, Deleted).
        public var includeDisabled: Bool

        public init(teamTag: String? = nil, teams: [String: String] = [:], managementGroups: Bool = true,
                    includeDisabled: Bool = true) {
            self.teamTag = teamTag
            self.teams = teams
            self.managementGroups = managementGroups
            self.includeDisabled = includeDisabled
        }
    }

    /// The discovered subscriptions, and what could not be discovered as well as asked.
    public struct Result: Sendable, Hashable {
        public var accounts: [Account]
        /// One sentence each (management groups not readable).
        public var warnings: [String]
    }

    public let configuration: Configuration
    let azure: AzureConfiguration
    let tokens: AzureTokenProvider
    let http: any HTTPClient
    let sleep: CloudSleep
    let pathTeams: PathTeamRules

    public init(configuration: Configuration = Configuration(), azure: AzureConfiguration, tokens: AzureTokenProvider,
                http: any HTTPClient, sleep: CloudSleep? = nil) {
        self.configuration = configuration
        self.azure = azure
        self.tokens = tokens
        self.http = http
        self.sleep = sleep ?? CloudSleeping.real
        self.pathTeams = PathTeamRules(configuration.teams)
    }

    /// Every subscription visible to the principal.
    public func accounts() async throws -> [Account] { try await discover().accounts }

    /// Every subscription visible to the principal, with its management-group path when permitted.
    public func discover() async throws -> Result {
        let subject = "azure discovery"
        let sender = CloudRequestSender(
            http: http, retry: azure.retry, sleep: sleep, bucket: nil, subject: subject,
            token: { [tokens] force in try await tokens.token(forceRefresh: force) },
            invalidate: { [tokens] token in await tokens.invalidate(token) })
        var url: URL? = URL(string: azure.endpoints.management.appendingAPIPath("/subscriptions").absoluteString + "?api-version=2020-01-01")
        var subscriptions: [JSONValue] = []
        while let next = url {
            let response = try await sender.send(HTTPRequest(url: next, headers: [("Accept", "application/json")], timeout: azure.timeout))
            guard response.status == 200 else {
                throw CloudSourceError.http(response, subject: subject, operation: "Subscriptions List")
            }
            let page = try AzureEventsPage(response.body, subject: subject, operation: "Subscriptions List")
            subscriptions += page.events
            url = try page.nextLink.map { try AzureLinkGuard.check($0, against: azure.endpoints.management, subject: subject) }
        }
        var paths: [String: String] = [:]
        var warnings: [String] = []
        if configuration.managementGroups, !subscriptions.isEmpty {
            let reader = AzureManagementGroupPaths(sender: sender, management: azure.endpoints.management, timeout: azure.timeout,
                                                   subject: subject)
            switch try await reader.read() {
            case .paths(let found): paths = found
            case .forbidden(let reason):
                warnings.append("the principal may not read management groups (Entities List answered 403: \(reason)); "
                    + "subscriptions get no management-group path and their team only from the tag — grant Management Group Reader on the tenant root group, or set management_groups: false")
            }
        }
        return Result(accounts: subscriptions.compactMap { account($0, paths: paths) }, warnings: warnings)
    }

    func account(_ subscription: JSONValue, paths: [String: String] = [:]) -> Account? {
        guard let id = subscription["subscriptionId"]?.stringValue else { return nil }
        let state = subscription["state"]?.stringValue
        if !configuration.includeDisabled, let state, state != "Enabled" { return nil }
        var tags: [String: String] = [:]
        for (key, value) in subscription["tags"]?.objectValue ?? [:] { tags[key] = value.scalarText }
        let path = paths[id.lowercased()]
        let team = configuration.teamTag.flatMap { tags[$0] } ?? path.flatMap(pathTeams.team(for:))
        return Account(provider: .azure, id: id, name: subscription["displayName"]?.stringValue, team: team, ou: path,
                       tags: tags, status: state)
    }
}
