import Foundation
import ParapetCore

/// The subscriptions the credentials can see (`GET /subscriptions?api-version=2020-01-01`,
/// following `nextLink` on the management host only), as accounts: tags, state, and the team
/// from a tag.
public struct AzureSubscriptionDiscovery: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// A subscription tag whose value names the team.
        public var teamTag: String?
        /// Also list subscriptions that are not `Enabled` (Disabled, Warned, PastDue, Deleted).
        public var includeDisabled: Bool

        public init(teamTag: String? = nil, includeDisabled: Bool = true) {
            self.teamTag = teamTag
            self.includeDisabled = includeDisabled
        }
    }

    public let configuration: Configuration
    let azure: AzureConfiguration
    let tokens: AzureTokenProvider
    let http: any HTTPClient
    let sleep: CloudSleep

    public init(configuration: Configuration = Configuration(), azure: AzureConfiguration, tokens: AzureTokenProvider,
                http: any HTTPClient, sleep: CloudSleep? = nil) {
        self.configuration = configuration
        self.azure = azure
        self.tokens = tokens
        self.http = http
        self.sleep = sleep ?? CloudSleeping.real
    }

    /// Every subscription visible to the principal.
    public func accounts() async throws -> [Account] {
        let subject = "azure discovery"
        let sender = CloudRequestSender(
            http: http, retry: azure.retry, sleep: sleep, bucket: nil, subject: subject,
            token: { [tokens] force in try await tokens.token(forceRefresh: force) },
            invalidate: { [tokens] token in await tokens.invalidate(token) })
        var url: URL? = URL(string: azure.endpoints.management.appendingAPIPath("/subscriptions").absoluteString + "?api-version=2020-01-01")
        var accounts: [Account] = []
        while let next = url {
            let response = try await sender.send(HTTPRequest(url: next, headers: [("Accept", "application/json")], timeout: azure.timeout))
            guard response.status == 200 else {
                throw CloudSourceError.http(response, subject: subject, operation: "Subscriptions List")
            }
            let page = try AzureEventsPage(response.body, subject: subject, operation: "Subscriptions List")
            for subscription in page.events {
                if let account = account(subscription) { accounts.append(account) }
            }
            url = try page.nextLink.map { try AzureLinkGuard.check($0, against: azure.endpoints.management, subject: subject) }
        }
        return accounts
    }

    func account(_ subscription: JSONValue) -> Account? {
        guard let id = subscription["subscriptionId"]?.stringValue else { return nil }
        let state = subscription["state"]?.stringValue
        if !configuration.includeDisabled, let state, state != "Enabled" { return nil }
        var tags: [String: String] = [:]
        for (key, value) in subscription["tags"]?.objectValue ?? [:] { tags[key] = value.scalarText }
        return Account(provider: .azure, id: id, name: subscription["displayName"]?.stringValue,
                       team: configuration.teamTag.flatMap { tags[$0] }, tags: tags, status: state)
    }
}
