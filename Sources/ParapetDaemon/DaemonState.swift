import Foundation
import ParapetCore
import ParapetPolicy

/// What the running daemon swaps on reload: the policy set, the accounts, the routes. Readers
/// take a consistent snapshot (`findingBuilder()`); a reload replaces it whole.
public actor DaemonState {
    public private(set) var policies: PolicySet
    public private(set) var accounts: AccountDirectory
    public private(set) var routing: Routing
    public let instance: String
    public nonisolated let metrics: DaemonMetrics
    public private(set) var ready = false
    public private(set) var discovered: [Account] = []
    public private(set) var lastCycle: Date?
    /// Why the last write of a polled page failed (disk full…); nil once a page is stored again.
    public private(set) var storeWriteFailure: String?

    public init(policies: PolicySet, accounts: AccountDirectory, routing: Routing, instance: String,
                metrics: DaemonMetrics = DaemonMetrics()) {
        self.policies = policies
        self.accounts = accounts
        self.routing = routing
        self.instance = instance
        self.metrics = metrics
    }

    func findingBuilder() -> FindingBuilder {
        FindingBuilder(policies: policies, accounts: accounts, routing: routing, instance: instance)
    }

    public func replace(policies: PolicySet? = nil, accounts: AccountDirectory? = nil, routing: Routing? = nil) {
        if let policies { self.policies = policies }
        if let accounts { self.accounts = accounts }
        if let routing { self.routing = routing }
    }

    public func markReady() { ready = true }

    /// New discovered accounts; configured accounts keep overriding them.
    public func replaceDiscovered(_ accounts: [Account], configured: [Account]) {
        discovered = accounts
        self.accounts = AccountDirectory(configured: configured, discovered: accounts)
    }

    public func cycleCompleted(at time: Date) { lastCycle = time }

    /// Records whether the last attempt to store a page failed, for `/readyz`.
    public func noteStoreWrite(failure: String?) { storeWriteFailure = failure }
}
