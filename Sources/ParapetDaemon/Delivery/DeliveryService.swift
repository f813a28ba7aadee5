import Foundation
import Logging
import ParapetCore
import ParapetNotifiers
import ParapetStore
import ServiceLifecycle

/// Sends the outbox: due deliveries go to their route's notifier; success marks them delivered,
/// a retryable failure schedules the next attempt (backoff, jitter, Retry-After), and a refusal
/// or a delivery older than the retry limit becomes a dead letter. Separate from polling, so a
/// slow receiver never stalls ingestion; after a crash it resumes from the outbox.
public actor DeliveryService: Service {
    private let store: Store
    private var notifiers: [String: any Notifier]
    private let retry: RetryPolicy
    private let concurrency: Int
    private let idle: Duration
    private let logger: Logger
    public private(set) var delivered = 0
    public private(set) var failed = 0
    public private(set) var deadLettered = 0

    public init(store: Store, notifiers: [String: any Notifier], retry: RetryPolicy, concurrency: Int = 8,
                idle: Duration = .milliseconds(500), logger: Logger) {
        self.store = store
        self.notifiers = notifiers
        self.retry = retry
        self.concurrency = concurrency
        self.idle = idle
        self.logger = logger
    }

    /// Swaps the notifiers (reload); returns the previous ones so the caller can close them.
    @discardableResult
    public func replaceNotifiers(_ notifiers: [String: any Notifier]) -> [String: any Notifier] {
        let previous = self.notifiers
        self.notifiers = notifiers
        return previous
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let sent = await deliverDue()
            if sent == 0 {
                try? await Task.sleep(for: idle)
            }
        }
        // Drain what is due now, once, so a clean stop does not leave fresh violations unsent.
        _ = await deliverDue()
    }

    /// Attempts every delivery due now (in batches); returns how many were attempted.
    @discardableResult
    public func deliverDue(now: Date = Date(), limit: Int = 200) async -> Int {
        let due: [PendingDelivery]
        do {
            // (a retry further ahead than the policy ever schedules means the clock was set back)
            due = try store.dueDeliveries(now: now, limit: limit, horizon: max(retry.maxDelay, retry.maxRetryAfter) + 60)
        } catch {
            logger.error("cannot read the outbox", metadata: ["parapet.error": "\(error)"])
            return 0
        }
        guard !due.isEmpty else { return 0 }
        let notifiers = self.notifiers
        // Each result is recorded as soon as it arrives, so a crash re-sends at most the
        // deliveries still in flight (receivers dedupe those by the delivery id).
        await withTaskGroup(of: (PendingDelivery, DeliveryResult).self) { group in
            var iterator = due.makeIterator()
            func startNext() {
                guard let delivery = iterator.next() else { return }
                let notifier = notifiers[delivery.delivery.route]
                group.addTask {
                    guard let notifier else {
                        return (delivery, .rejected(reason: "route '\(delivery.delivery.route)' is no longer configured"))
                    }
                    return (delivery, await notifier.deliver(delivery.notification))
                }
            }
            for _ in 0..<concurrency { startNext() }
            while let (pending, result) = await group.next() {
                record(pending, result)
                startNext()
            }
        }
        return due.count
    }

    private func record(_ pending: PendingDelivery, _ result: DeliveryResult) {
        let delivery = pending.delivery
        let metadata: Logger.Metadata = [
            "parapet.delivery": "\(delivery.id)", "parapet.route": "\(delivery.route)",
            "parapet.violation": "\(delivery.violationID)",
        ]
        let now = Date()
        do {
            switch result {
            case .delivered:
                try store.markDelivered(id: delivery.id, now: now)
                delivered += 1
            case .retryable(let reason, let retryAfter):
                let attempts = delivery.attempts + 1
                if let next = retry.nextAttempt(after: attempts, now: now, retryAfter: retryAfter, firstAttemptAt: delivery.createdAt) {
                    try store.markRetry(id: delivery.id, error: reason, nextAttemptAt: next)
                    failed += 1
                    logger.info("delivery failed, will retry", metadata: metadata.merging(["parapet.error": "\(reason)"]) { $1 })
                } else {
                    try store.markDead(id: delivery.id, error: "gave up after \(attempts) attempts: \(reason)")
                    deadLettered += 1
                    logger.warning("delivery dead-lettered", metadata: metadata.merging(["parapet.error": "\(reason)"]) { $1 })
                }
            case .rejected(let reason):
                try store.markDead(id: delivery.id, error: reason)
                deadLettered += 1
                logger.warning("delivery rejected, dead-lettered", metadata: metadata.merging(["parapet.error": "\(reason)"]) { $1 })
            }
        } catch {
            // The row stays pending and is attempted again: at-least-once, never lost.
            logger.error("cannot update the outbox", metadata: metadata.merging(["parapet.error": "\(error)"]) { $1 })
        }
    }
}
