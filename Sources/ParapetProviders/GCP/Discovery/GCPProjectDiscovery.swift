import Foundation
import ParapetCore

/// The projects directly under folders or organisations (Resource Manager v3 `projects.list`,
/// paged), as accounts: labels become tags, the team comes from a label or from the parent.
public struct GCPProjectDiscovery: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// `folders/123`, `organizations/456`.
        public var parents: [String]
        /// A project label whose value names the team.
        public var teamLabel: String?
        /// Parent (`folders/123`) → team, when the label is absent.
        public var teams: [String: String]
        /// Also list projects that are being deleted.
        public var includeInactive: Bool

        public init(parents: [String], teamLabel: String? = nil, teams: [String: String] = [:], includeInactive: Bool = false) {
            self.parents = parents
            self.teamLabel = teamLabel
            self.teams = teams
            self.includeInactive = includeInactive
        }
    }

    public let configuration: Configuration
    let gcp: GCPConfiguration
    let tokens: GCPTokenProvider
    let http: any HTTPClient
    let sleep: CloudSleep

    public init(configuration: Configuration, gcp: GCPConfiguration, tokens: GCPTokenProvider, http: any HTTPClient,
                sleep: CloudSleep? = nil) {
        self.configuration = configuration
        self.gcp = gcp
        self.tokens = tokens
        self.http = http
        self.sleep = sleep ?? CloudSleeping.real
    }

    /// Every project under the configured parents.
    public func accounts() async throws -> [Account] {
        let sender = CloudRequestSender(
            http: http, retry: gcp.retry, sleep: sleep, bucket: nil, subject: "gcp discovery",
            token: { [tokens] force in try await tokens.token(forceRefresh: force) },
            invalidate: { [tokens] token in await tokens.invalidate(token) })
        var accounts: [Account] = []
        for parent in configuration.parents {
            var pageToken: String?
            repeat {
                var components = URLComponents(url: gcp.endpoints.resourceManager.appendingAPIPath("/v3/projects"), resolvingAgainstBaseURL: false)!
                var query = [URLQueryItem(name: "parent", value: parent), URLQueryItem(name: "pageSize", value: "500")]
                if let pageToken { query.append(URLQueryItem(name: "pageToken", value: pageToken)) }
                components.queryItems = query
                let response = try await sender.send(HTTPRequest(url: components.url!, timeout: gcp.timeout))
                guard response.status == 200 else {
                    throw CloudSourceError.http(response, subject: "gcp discovery", operation: "projects.list under \(parent)",
                                                hints: [403: "grant the principal roles/browser (resourcemanager.projects.list) on \(parent)"])
                }
                guard let json = try? JSONValue(parsing: response.body), json.objectValue != nil else {
                    throw CloudSourceError(.malformedResponse, subject: "gcp discovery", message: "projects.list under \(parent) answered a page that is not a JSON object")
                }
                for project in json["projects"]?.arrayValue ?? [] {
                    if let account = account(project, parent: parent) { accounts.append(account) }
                }
                pageToken = json["nextPageToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            } while pageToken != nil
        }
        return accounts
    }

    func account(_ project: JSONValue, parent: String) -> Account? {
        guard let id = project["projectId"]?.stringValue else { return nil }
        let state = project["state"]?.stringValue
        if !configuration.includeInactive, let state, state != "ACTIVE" { return nil }
        var tags: [String: String] = [:]
        for (key, value) in project["labels"]?.objectValue ?? [:] { tags[key] = value.scalarText }
        let projectParent = project["parent"]?.stringValue ?? parent
        let team = configuration.teamLabel.flatMap { tags[$0] } ?? configuration.teams[projectParent] ?? configuration.teams[parent]
        return Account(provider: .gcp, id: id, name: project["displayName"]?.stringValue, team: team, ou: projectParent,
                       tags: tags, status: state)
    }
}
