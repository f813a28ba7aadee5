import Foundation
import Logging
import ParapetCore
import ServiceLifecycle

extension Daemon {
    /// How many pages one scheduled poll of a source may read in a row when it has more.
    static let pagesPerTurn = 4

    /// Runs until SIGTERM or SIGINT: the scheduler, the delivery service, housekeeping and the
    /// SIGHUP reloader in one ServiceGroup, with systemd notifications. A graceful stop lets the
    /// running polls finish their transaction and flushes due deliveries.
    public func run(systemd: SystemdNotifier = SystemdNotifier()) async throws {
        let poller = self.poller
        let scheduler = Scheduler(interval: configuration.poll.interval, concurrency: configuration.poll.concurrency, logger: logger) { source in
            do {
                // Up to four pages per turn: a source with a backlog reads its next page while the
                // one before is stored, then yields its slot to the other sources.
                let outcome = try await poller.pollPages(source, maxPages: Daemon.pagesPerTurn)
                return .success(hasMore: outcome.hasMore)
            } catch is StoreWriteError {
                return .storeFailure
            } catch {
                return .failure(retryAfter: nil)
            }
        }
        let state = self.state
        let store = self.store
        let logger = self.logger
        await scheduler.onCycleComplete { time in
            await state.cycleCompleted(at: time)
            // Between cycles the WAL is copied into the database (passive: no waiting for readers).
            do {
                try await store.checkpoint()
            } catch {
                logger.warning("database checkpoint failed", metadata: ["parapet.error": "\(error)"])
            }
        }
        let discovery = Discovery(configuration: configuration, clients: clients)
        let discoveryService = DiscoveryService(discovery: discovery, state: state, scheduler: scheduler, logger: logger)
        if discovery.isConfigured {
            await discoveryService.refreshOnce()
        } else {
            await scheduler.setSources(sources)
        }
        let delivery = deliveryService()
        let reload = ReloadService(
            configuration: configuration, state: state, scheduler: scheduler, delivery: delivery, systemd: systemd,
            clients: clients, logger: logger)
        let housekeeping = HousekeepingService(
            store: store, state: state, scheduler: scheduler, systemd: systemd, retention: configuration.retention.events, logger: logger)

        let feedHealth = feedHealthService()

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: delivery, serviceName: "delivery"),
            .init(service: CancelledOnShutdown(wrapped: housekeeping), serviceName: "housekeeping"),
            .init(service: CancelledOnShutdown(wrapped: feedHealth), serviceName: "feed-health"),
            .init(service: reload, serviceName: "reload"),
            .init(service: CancelledOnShutdown(wrapped: discoveryService), serviceName: "discovery"),
            .init(service: scheduler, serviceName: "scheduler"),
        ]
        services.append(contentsOf: try await extraServices())
        var groupConfiguration = ServiceGroupConfiguration(services: services, logger: logger)
        groupConfiguration.gracefulShutdownSignals = [.sigterm, .sigint]
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(20)
        let group = ServiceGroup(configuration: groupConfiguration)

        let policyCount = await state.policies.policies.count
        await state.markReady()
        systemd.ready(status: "polling \(await scheduler.sourceCount) sources")
        logger.info("parapet started", metadata: [
            "parapet.sources": "\(sources.count)", "parapet.policies": "\(policyCount)",
            "parapet.database": "\(configuration.database)",
        ])
        do {
            try await group.run()
        } catch {
            systemd.stopping()
            throw error
        }
        systemd.stopping()
        logger.info("parapet stopped")
    }

    /// The HTTP endpoint, unless `http.listen` is off.
    func extraServices() async throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard let listen = configuration.http.listen else { return [] }
        let logger = self.logger
        let service = try HTTPEndpoint.application(listen: listen, store: store, state: state, logger: logger) { port in
            logger.info("http endpoint listening", metadata: ["parapet.port": "\(port)"])
        }
        return [.init(service: service, serviceName: "http")]
    }
}
