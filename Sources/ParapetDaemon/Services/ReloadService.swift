import Foundation
import Logging
import ParapetCore
import ParapetNotifiers
import ParapetPolicy
import ServiceLifecycle
import UnixSignals

/// SIGHUP: reloads the configuration and the policies. A configuration or policy set with
/// errors is rejected (diagnostics logged) and the running one kept. Also reopens the violation
/// log, for log rotation.
actor ReloadService: Service {
    private let configurationFile: String?
    private let state: DaemonState
    private let scheduler: Scheduler
    private let delivery: DeliveryService
    private let systemd: SystemdNotifier
    private let clients: ProviderClients
    private let logger: Logger
    private var current: ParapetConfiguration
    private(set) var reloads = 0
    private(set) var rejected = 0

    init(configuration: ParapetConfiguration, state: DaemonState, scheduler: Scheduler, delivery: DeliveryService,
         systemd: SystemdNotifier, clients: ProviderClients, logger: Logger) {
        self.clients = clients
        self.configurationFile = configuration.file
        self.current = configuration
        self.state = state
        self.scheduler = scheduler
        self.delivery = delivery
        self.systemd = systemd
        self.logger = logger
    }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    /// Reloads now; returns whether the new configuration was taken.
    @discardableResult
    func reload() async -> Bool {
        systemd.reloading()
        defer { systemd.ready(status: "reloaded") }
        guard let file = configurationFile else { return false }
        do {
            let configuration = try ParapetConfiguration.load(file: file)
            let loaded = PolicyLoader(expansions: configuration.placeholders).load(paths: configuration.policies)
            for diagnostic in loaded.diagnostics {
                logger.warning("policy diagnostic", metadata: ["parapet.diagnostic": "\(diagnostic.rendered)"])
            }
            if loaded.hasErrors {
                rejected += 1
                logger.error("reload rejected: the policies have errors; the running policies stay in force",
                             metadata: ["parapet.errors": "\(loaded.diagnostics.filter { $0.severity == .error }.count)"])
                return false
            }
            let routing = Routing(configuration: configuration)
            let notifiers = try Daemon.makeNotifiers(routing: routing, configuration: configuration)
            let sources = try SourceFactory(configuration: configuration, clients: clients).makeSources(discovered: await state.discovered)
            if configuration.database != current.database {
                logger.warning("the database path changed; it takes effect after a restart")
            }
            await state.replace(
                policies: loaded.policySet,
                accounts: AccountDirectory(configured: configuration.accounts.map(\.account), discovered: await state.discovered),
                routing: routing)
            let previous = await delivery.replaceNotifiers(notifiers)
            for case let log as LogNotifier in previous.values { await log.close() }
            await scheduler.setSources(sources)
            current = configuration
            reloads += 1
            logger.info("configuration reloaded", metadata: [
                "parapet.policies": "\(loaded.policySet.policies.count)", "parapet.sources": "\(sources.count)",
            ])
            return true
        } catch {
            rejected += 1
            logger.error("reload rejected; the running configuration stays in force", metadata: ["parapet.error": "\(error)"])
            return false
        }
    }
}
