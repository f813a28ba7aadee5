/// A sub-account under governance: an AWS account, GCP project or Azure subscription.
public struct Account: Sendable, Hashable, Codable {
    public var provider: Provider
    public var id: String
    public var name: String?
    public var team: String?
    /// The organisational path, e.g. `Root/Workloads/Prod` (AWS OU path, GCP folder path,
    /// Azure management-group path).
    public var ou: String?
    public var tags: [String: String]
    public var status: String?

    public init(provider: Provider, id: String, name: String? = nil, team: String? = nil, ou: String? = nil,
                tags: [String: String] = [:], status: String? = nil) {
        self.provider = provider
        self.id = id
        self.name = name
        self.team = team
        self.ou = ou
        self.tags = tags
        self.status = status
    }
}

/// What a policy may know about the account an event came from (for `parapet.scope`).
public struct AccountContext: Sendable, Hashable {
    public var account: Account
    public var region: String?

    public init(account: Account, region: String? = nil) {
        self.account = account
        self.region = region
    }

    /// The context for an event whose account is not configured or discovered.
    public static func unknown(for event: AuditEvent) -> AccountContext {
        AccountContext(account: Account(provider: event.provider, id: event.account), region: event.region)
    }
}
