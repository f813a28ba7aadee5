import Foundation
import Logging
import ParapetCore
import ParapetPolicy
import ParapetStore

/// One poll of one source: read the page after the stored cursor, then in one transaction store
/// the new events, evaluate only those, record violations and their outbox rows, and advance the
/// cursor. A failure is recorded as the source's health and never touches the cursor.
public struct Poller: Sendable {
    let store: Store
    let state: DaemonState
    let groupWindow: TimeInterval
    let pollTimeout: TimeInterval
    let logger: Logger

    public init(store: Store, state: DaemonState, groupWindow: TimeInterval, pollTimeout: TimeInterval, logger: Logger) {
        self.store = store
        self.state = state
        self.groupWindow = groupWindow
        self.pollTimeout = pollTimeout
        self.logger = logger
    }

    public struct Outcome: Sendable {
        public var hasMore: Bool
        public var summary: IngestSummary
    }

    /// Polls once; throws (after recording the failure) when the source or the store fails.
    public func pollOnce(_ source: any ActivitySource) async throws -> Outcome {
        var metadata: Logger.Metadata = ["parapet.source": "\(source.id)"]
        let started = ContinuousClock.now
        do {
            let cursor = try store.cursor(for: source.id)
            let page = try await withTimeout(seconds: pollTimeout, sourceID: source.id) {
                try await source.poll(after: cursor)
            }
            let builder = await state.findingBuilder()
            let metrics = state.metrics
            let summary: IngestSummary
            do {
                summary = try await store.ingest(
                    sourceID: source.id, provider: source.provider, page: page, now: Date(), groupWindow: groupWindow
                ) { events in
                    let clock = ContinuousClock()
                    let started = clock.now
                    let findings = builder.findings(for: events, now: Date())
                    metrics.recordEvaluation(started.duration(to: clock.now))
                    return findings
                }
            } catch {
                throw StoreWriteError(sourceID: source.id, underlying: error)
            }
            await state.noteStoreWrite(failure: nil)
            state.metrics.recordPoll(source: source.id, duration: started.duration(to: .now), summary: summary, page: page)
            metadata["parapet.events.new"] = "\(summary.inserted)"
            metadata["parapet.events.duplicate"] = "\(summary.duplicates)"
            metadata["parapet.quarantined"] = "\(summary.quarantined)"
            metadata["parapet.violations"] = "\(summary.violationsOpened.count)"
            logger.debug("source polled", metadata: metadata)
            return Outcome(hasMore: page.hasMore, summary: summary)
        } catch {
            let message = String(describing: error)
            metadata["parapet.error"] = "\(message)"
            if let error = error as? StoreWriteError {
                // The database refused the page (disk full, I/O error): nothing was committed.
                metadata["parapet.sqlite"] = "\(error.sqliteCode ?? "unknown")"
                logger.error("database write failed", metadata: metadata)
                await state.noteStoreWrite(failure: message)
            } else {
                logger.warning("source poll failed", metadata: metadata)
            }
            state.metrics.recordPollFailure(source: source.id)
            try? store.recordFailure(sourceID: source.id, provider: source.provider, error: message, now: Date())
            throw error
        }
    }

    /// Polls until the source has nothing more right now (for `run --once` and backfills).
    public func drain(_ source: any ActivitySource, maxPages: Int = 10_000) async throws -> IngestSummary {
        var total = IngestSummary()
        for _ in 0..<maxPages {
            let outcome = try await pollOnce(source)
            total.add(outcome.summary)
            if !outcome.hasMore { break }
        }
        return total
    }
}

/// A poll that takes longer than its timeout fails (and is retried with backoff).
struct PollTimeoutError: Error, CustomStringConvertible {
    var sourceID: String
    var seconds: TimeInterval
    var description: String { "poll of \(sourceID) took longer than \(DurationText.format(seconds)); it will be retried" }
}

func withTimeout<T: Sendable>(seconds: TimeInterval, sourceID: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw PollTimeoutError(sourceID: sourceID, seconds: seconds)
        }
        return value
    }
}
