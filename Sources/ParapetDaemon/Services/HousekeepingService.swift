import Foundation
import Logging
import ParapetCore
import ParapetStore
import ServiceLifecycle

/// Periodic chores: systemd watchdog pings and STATUS lines, and event retention (events older
/// than `retention.events` are pruned; violations are kept).
struct HousekeepingService: Service {
    let store: Store
    let state: DaemonState
    let scheduler: Scheduler
    let systemd: SystemdNotifier
    let retention: TimeInterval
    let logger: Logger

    func run() async throws {
        let tick: Duration = systemd.watchdogInterval.map { min($0, .seconds(15)) } ?? .seconds(15)
        var lastPrune = Date.distantPast
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            systemd.watchdog()
            await reportStatus()
            if Date().timeIntervalSince(lastPrune) > 3600 {
                lastPrune = Date()
                do {
                    let pruned = try store.prune(eventsOlderThan: Date().addingTimeInterval(-retention))
                    if pruned > 0 { logger.info("old events pruned", metadata: ["parapet.events": "\(pruned)"]) }
                } catch {
                    logger.error("retention failed", metadata: ["parapet.error": "\(error)"])
                }
            }
            try? await Task.sleep(for: tick)
        }
    }

    func reportStatus() async {
        guard systemd.isEnabled else { return }
        let sources = (try? store.sources()) ?? []
        let healthy = sources.filter(\.healthy).count
        let total = await scheduler.sourceCount
        let last = await state.lastCycle.map { ISO8601.string(from: $0) } ?? "none yet"
        systemd.status("\(healthy)/\(total) sources healthy; last full cycle \(last)")
    }
}
