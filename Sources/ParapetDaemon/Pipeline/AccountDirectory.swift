import Foundation
import ParapetCore

/// The accounts Parapet knows: configured ones override discovered ones. Gives each event the
/// account context (name, team, OU) that scopes policies and routes alerts.
public struct AccountDirectory: Sendable {
    private var accounts: [Key: Account]

    /// An account's provider and id; ids compare without case (Azure subscription ids come in
    /// either). Looked up once per event, so an id with no upper-case or non-ASCII letter (AWS
    /// account numbers, GCP project ids, most subscription ids) is used as it is, not copied.
    struct Key: Hashable, Sendable {
        var provider: Provider
        var id: String

        init(_ provider: Provider, _ id: String) {
            self.provider = provider
            self.id = id.utf8.allSatisfy { $0 < 0x80 && !(0x41...0x5A).contains($0) } ? id : id.lowercased()
        }

        /// The id alone: the same id under two providers is rare, and equality still tells them
        /// apart (hashing the provider too hashed its name, a second string, on every lookup).
        func hash(into hasher: inout Hasher) { hasher.combine(id) }
    }

    public init(configured: [Account] = [], discovered: [Account] = []) {
        accounts = [:]
        for account in discovered { accounts[Self.key(account.provider, account.id)] = account }
        for account in configured {
            let key = Self.key(account.provider, account.id)
            if var merged = accounts[key] {
                merged.name = account.name ?? merged.name
                merged.team = account.team ?? merged.team
                merged.ou = account.ou ?? merged.ou
                merged.tags.merge(account.tags) { _, configured in configured }
                accounts[key] = merged
            } else {
                accounts[key] = account
            }
        }
    }

    static func key(_ provider: Provider, _ id: String) -> Key { Key(provider, id) }

    public func account(provider: Provider, id: String) -> Account? { accounts[Self.key(provider, id)] }

    public var all: [Account] { accounts.values.sorted { ($0.provider.rawValue, $0.id) < ($1.provider.rawValue, $1.id) } }

    /// The context of an event: its configured or discovered account, or just its id.
    public func context(for event: AuditEvent) -> AccountContext {
        if let account = account(provider: event.provider, id: event.account) {
            return AccountContext(account: account, region: event.region)
        }
        return .unknown(for: event)
    }
}
