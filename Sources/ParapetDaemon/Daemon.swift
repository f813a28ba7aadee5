import Foundation
import Logging
import ParapetCore
import ParapetNotifiers
import ParapetPolicy
import ParapetStore
import ServiceLifecycle

/// The daemon, assembled from a validated configuration: the store, the policy set, the
/// accounts, the sources, the routes and their notifiers. `runOnce()` is one poll cycle plus one
/// delivery pass; `run()` is the long-running ServiceGroup.
public struct Daemon: Sendable {
    public let configuration: ParapetConfiguration
    public let store: Store
    public let state: DaemonState
    public let sources: [any ActivitySource]
    public let notifiers: [String: any Notifier]
    public let policyDiagnostics: [Diagnostic]
    public let clients: ProviderClients
    let logger: Logger

    /// Loads policies (refusing to start on errors, with every diagnostic), opens the database,
    /// reads secrets (refusing to start when one is missing) and builds the sources.
    public static func prepare(configuration: ParapetConfiguration, logger: Logger) throws -> Daemon {
        let loaded = PolicyLoader(expansions: configuration.placeholders).load(paths: configuration.policies)
        if loaded.hasErrors {
            let errors = loaded.diagnostics.filter { $0.severity == .error }
            throw DaemonError(.policies, "the policies have \(errors.count) error\(errors.count == 1 ? "" : "s"); fix them (parapet policy lint) before starting:\n"
                + errors.map(\.rendered).joined(separator: "\n"))
        }
        let store: Store
        do {
            store = try StoreOpening.open(path: configuration.database, logger: logger)
        } catch {
            throw DaemonError(.database, "cannot open the database: \(error)")
        }
        let routing = Routing(configuration: configuration)
        let notifiers = try makeNotifiers(routing: routing, configuration: configuration)
        let accounts = AccountDirectory(configured: configuration.accounts.map(\.account))
        let state = DaemonState(policies: loaded.policySet, accounts: accounts, routing: routing, instance: configuration.instance)
        let clients = ProviderClients(configuration: configuration)
        let sources = try SourceFactory(configuration: configuration, clients: clients).makeSources()
        return Daemon(
            configuration: configuration, store: store, state: state, sources: sources, notifiers: notifiers,
            policyDiagnostics: loaded.diagnostics, clients: clients, logger: logger)
    }

    /// The sources the configuration describes (configured accounts; discovery runs in the
    /// daemon), without opening the database: for `parapet doctor`.
    public static func makeSources(configuration: ParapetConfiguration) throws -> [any ActivitySource] {
        try SourceFactory(configuration: configuration, clients: ProviderClients(configuration: configuration)).makeSources()
    }

    static func makeNotifiers(routing: Routing, configuration: ParapetConfiguration) throws -> [String: any Notifier] {
        var notifiers: [String: any Notifier] = [:]
        for route in routing.routes {
            switch route.target {
            case .log(let path):
                do {
                    notifiers[route.name] = try LogNotifier(configuration: .init(path: path, instance: configuration.instance))
                } catch {
                    throw DaemonError(.configuration, "cannot open the violation log: \(error)")
                }
            case .webhook(let url, let secretFile, let format):
                var secret: WebhookSecret?
                if let secretFile {
                    do {
                        secret = try WebhookSecret.load(path: secretFile)
                    } catch {
                        throw DaemonError(.secrets, "route '\(route.name)': \(error)")
                    }
                }
                notifiers[route.name] = WebhookNotifier(configuration: .init(
                    url: url, secret: secret, format: format == .slack ? .slack : .cloudevents,
                    timeout: configuration.delivery.timeout, instance: configuration.instance))
            }
        }
        return notifiers
    }

    var poller: Poller {
        Poller(store: store, state: state, groupWindow: configuration.delivery.groupWindow,
               pollTimeout: configuration.poll.timeout, logger: logger)
    }

    func feedHealthService() -> FeedHealthService {
        FeedHealthService(
            store: store, state: state, failingAfter: configuration.health.failingAfter,
            silentAfter: configuration.health.silentAfter, groupWindow: configuration.delivery.groupWindow,
            interval: .seconds(30), logger: logger)
    }

    func deliveryService() -> DeliveryService {
        DeliveryService(
            store: store, notifiers: notifiers,
            retry: RetryPolicy(initialDelay: configuration.delivery.retryInitial, maxAge: configuration.delivery.maxAge), logger: logger)
    }

    /// What one cycle did.
    public struct CycleReport: Sendable {
        public var summary = IngestSummary()
        public var failures: [(source: String, error: String)] = []
        public var deliveriesAttempted = 0
        public var sources = 0
        public var discoveredAccounts = 0
        public var discoveryErrors: [String] = []
    }

    /// Polls every source until it has nothing more, then attempts every due delivery once.
    /// A failing source is reported and the others carry on.
    public func runOnce() async -> CycleReport {
        let poller = self.poller
        var report = CycleReport()
        var sources = self.sources
        let discovery = Discovery(configuration: configuration, clients: clients)
        if discovery.isConfigured {
            let (accounts, errors) = await discovery.discover(previous: [])
            report.discoveryErrors = errors
            await state.replaceDiscovered(accounts, configured: configuration.accounts.map(\.account))
            if let all = try? SourceFactory(configuration: configuration, clients: clients).makeSources(discovered: accounts) {
                sources = all
            }
            report.discoveredAccounts = accounts.count
        }
        report.sources = sources.count
        await withTaskGroup(of: (String, Result<IngestSummary, any Error>).self) { group in
            var iterator = sources.makeIterator()
            func startNext() {
                guard let source = iterator.next() else { return }
                group.addTask {
                    do { return (source.id, .success(try await poller.drain(source))) } catch { return (source.id, .failure(error)) }
                }
            }
            for _ in 0..<max(1, configuration.poll.concurrency) { startNext() }
            while let (id, result) = await group.next() {
                switch result {
                case .success(let summary): report.summary.add(summary)
                case .failure(let error): report.failures.append((id, String(describing: error)))
                }
                startNext()
            }
        }
        await state.cycleCompleted(at: Date())
        await feedHealthService().check(now: Date())
        let delivery = deliveryService()
        // Every delivery due now, in batches of 200 (retries are rescheduled later, so this ends).
        while true {
            let attempted = await delivery.deliverDue(now: Date(), limit: 200)
            report.deliveriesAttempted += attempted
            if attempted < 200 { break }
        }
        return report
    }
}

extension IngestSummary {
    /// Adds another summary's counts (for a cycle's total).
    public mutating func add(_ other: IngestSummary) {
        inserted += other.inserted
        duplicates += other.duplicates
        quarantined += other.quarantined
        violationsOpened += other.violationsOpened
        grouped += other.grouped
        suppressed += other.suppressed
        resolvedViolationIDs += other.resolvedViolationIDs
        deliveriesCreated += other.deliveriesCreated
    }
}
