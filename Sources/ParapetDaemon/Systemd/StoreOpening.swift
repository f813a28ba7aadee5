import Dispatch
import Foundation
import Logging
import ParapetStore

/// Opens the daemon's store. A database written by an earlier release is migrated first, a
/// one-time rebuild of the event table that takes about 35 s per million stored events on the
/// benchmark machine — longer than systemd's default start timeout on a large store, and a
/// killed migration rolls back and starts over at the next start. So while it runs, systemd is
/// asked every 20 s to wait another minute (`EXTEND_TIMEOUT_USEC`, systemd ≥ 236) with a status
/// saying why, and the log says when it started and how long it took.
enum StoreOpening {
    static let keepAliveInterval: DispatchTimeInterval = .seconds(20)

    static func open(path: String, logger: Logger, systemd: SystemdNotifier = SystemdNotifier()) throws -> Store {
        guard Store.hasPendingMigrations(path: path) else { return try Store(path: path) }
        logger.notice("database migration started", metadata: ["parapet.database": "\(path)"])
        let started = ContinuousClock.now
        let askToWait: @Sendable () -> Void = {
            _ = systemd.send([
                "EXTEND_TIMEOUT_USEC=60000000",
                "STATUS=migrating the database to this release's schema (one-time, about 35 s per million events)",
            ])
        }
        askToWait()
        let keepAlive = DispatchSource.makeTimerSource(queue: .global())
        keepAlive.schedule(deadline: .now() + keepAliveInterval, repeating: keepAliveInterval)
        keepAlive.setEventHandler { askToWait() }
        keepAlive.resume()
        defer { keepAlive.cancel() }
        let store = try Store(path: path)
        let elapsed = ContinuousClock.now - started
        logger.notice("database migrated", metadata: [
            "parapet.database": "\(path)",
            "parapet.seconds": "\(String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))",
        ])
        return store
    }
}
