import Foundation
import ParapetCore

/// Lists the accounts of an AWS Organization with their OU path (`Root/Workloads/Prod`),
/// name, email, status and team, walking the OU tree from the root.
public struct OrganizationsDiscovery: Sendable {
    /// `discovery.aws_organizations`.
    public struct Configuration: Sendable, Hashable {
        /// OU-path glob → team (`Root/Workloads/Payments/**: payments`); the most specific match wins.
        public var teams: [String: String]
        /// An account tag whose value names the team; wins over `teams` when the account has it.
        public var teamTagKey: String?
        /// Read every account's tags (`ListTagsForResource`) into `Account.tags`. Implied by `teamTagKey`.
        public var readTags: Bool
        /// Role to assume in the management (or delegated administrator) account first.
        public var roleARN: String?
        public var externalID: String?
        /// `MaxResults` of each list call; nil: the service's default.
        public var pageSize: Int?

        public init(teams: [String: String] = [:], teamTagKey: String? = nil, readTags: Bool = false, roleARN: String? = nil,
                    externalID: String? = nil, pageSize: Int? = nil) {
            self.teams = teams
            self.teamTagKey = teamTagKey
            self.readTags = readTags || teamTagKey != nil
            self.roleARN = roleARN
            self.externalID = externalID
            self.pageSize = pageSize.map { min(max($0, 1), 20) }
        }
    }

    static let targetPrefix = "AWSOrganizationsV20161128"
    public let configuration: Configuration
    let client: AWSClient
    let rules: [(glob: OUPathGlob, team: String)]

    public init(configuration: Configuration, client: AWSClient) {
        self.configuration = configuration
        if let roleARN = configuration.roleARN {
            let role = AssumeRoleCredentialProvider(
                configuration: .init(roleARN: roleARN, externalID: configuration.externalID, sessionName: "parapet-discovery"),
                base: client)
            self.client = client.with(credentials: role)
        } else {
            self.client = client
        }
        self.rules = configuration.teams.map { (glob: OUPathGlob($0.key), team: $0.value) }
            .sorted { $0.glob.specificity != $1.glob.specificity ? $0.glob.specificity > $1.glob.specificity
                : $0.glob.pattern < $1.glob.pattern }
    }

    /// Every account of the organisation, SUSPENDED ones included (with their status), sorted by id.
    public func discover() async throws -> [Account] {
        var accounts: [Account] = []
        let roots = try await pages("ListRoots", [:], member: "Roots")
        for root in roots {
            guard let id = root["Id"]?.stringValue else { continue }
            try await walk(parent: id, path: root["Name"]?.stringValue ?? "Root", into: &accounts)
        }
        return accounts.sorted { $0.id < $1.id }
    }

    private func walk(parent: String, path: String, into accounts: inout [Account]) async throws {
        for entry in try await pages("ListAccountsForParent", ["ParentId": .string(parent)], member: "Accounts") {
            accounts.append(try await account(entry, path: path))
        }
        for unit in try await pages("ListOrganizationalUnitsForParent", ["ParentId": .string(parent)],
                                    member: "OrganizationalUnits") {
            guard let id = unit["Id"]?.stringValue else { continue }
            try await walk(parent: id, path: "\(path)/\(unit["Name"]?.stringValue ?? id)", into: &accounts)
        }
    }

    private func account(_ entry: JSONValue, path: String) async throws -> Account {
        guard let id = entry["Id"]?.stringValue else {
            throw AWSError(.malformedResponse, "ListAccountsForParent answered an account without Id under \(path)")
        }
        var tags: [String: String] = [:]
        if configuration.readTags {
            for tag in try await pages("ListTagsForResource", ["ResourceId": .string(id)], member: "Tags") {
                if let key = tag["Key"]?.stringValue { tags[key] = tag["Value"]?.stringValue ?? "" }
            }
        }
        if let email = entry["Email"]?.stringValue { tags["email"] = email }
        let team = configuration.teamTagKey.flatMap { tags[$0] } ?? rules.first { $0.glob.matches(path) }?.team
        return Account(provider: .aws, id: id, name: entry["Name"]?.stringValue, team: team, ou: path, tags: tags,
                       status: entry["Status"]?.stringValue ?? entry["State"]?.stringValue)
    }

    /// All pages of a paginated call: a page may be empty and still carry a `NextToken`.
    private func pages(_ operation: String, _ parameters: JSONObject, member: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            var payload = parameters
            if let token { payload["NextToken"] = .string(token) }
            if let size = configuration.pageSize, operation != "ListTagsForResource" { payload["MaxResults"] = .number(Double(size)) }
            let answer = try await client.callJSON(service: "organizations", region: client.configuration.region,
                                                   targetPrefix: Self.targetPrefix, operation: operation, payload: .object(payload))
            items += answer[member]?.arrayValue ?? []
            token = answer["NextToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seen.insert(token).inserted {
                throw AWSError(.malformedResponse, "\(operation) returned the same NextToken twice; stopping to avoid a loop")
            }
        } while token != nil
        return items
    }
}
