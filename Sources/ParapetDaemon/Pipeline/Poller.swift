import Foundation
import Logging
import ParapetCore
import ParapetPolicy
import ParapetStore

/// One poll of one source: read the page after the stored cursor, screen it (which events are
/// stored already) and evaluate the new ones, then in one transaction store the new events,
/// record violations and their outbox rows, and advance the cursor. A failure is recorded as the
/// source's health and never touches the cursor.
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

    /// A page read after `cursor`, screened and evaluated, not stored yet.
    struct PreparedPage: Sendable {
        var screened: ScreenedPage
        /// The cursor the page was read after.
        var after: Cursor?
        /// How long reading, screening and evaluating took.
        var duration: Duration

        var page: ActivityPage { screened.page }
        /// The cursor stored once this page is committed (the store keeps the old one when the
        /// page has none): where the next page starts.
        var next: Cursor? { page.cursor ?? after }
    }

    /// Reads the page after `cursor`, asks the store which of its events are stored, and
    /// evaluates the others, outside any write transaction.
    func prepare(_ source: any ActivitySource, after cursor: Cursor?) async throws -> PreparedPage {
        let clock = ContinuousClock()
        let started = clock.now
        let page = try await withTimeout(seconds: pollTimeout, sourceID: source.id) {
            try await source.poll(after: cursor)
        }
        let stored = try store.storedEvents(page.events)
        let builder = await state.findingBuilder()
        let evaluated = clock.now
        let now = Date()
        let findings = page.events.indices.map { index in
            stored[index] ? nil : builder.findings(for: page.events[index], now: now)
        }
        state.metrics.recordEvaluation(evaluated.duration(to: clock.now))
        return PreparedPage(screened: ScreenedPage(page: page, findings: findings), after: cursor,
                            duration: started.duration(to: clock.now))
    }

    /// Stores a prepared page in one transaction; a store failure is a `StoreWriteError`.
    func write(_ prepared: PreparedPage, of source: any ActivitySource) async throws -> IngestSummary {
        let builder = await state.findingBuilder()
        let metrics = state.metrics
        let clock = ContinuousClock()
        let started = clock.now
        let summary: IngestSummary
        do {
            summary = try await store.ingest(
                sourceID: source.id, provider: source.provider, screened: prepared.screened, now: Date(),
                groupWindow: groupWindow
            ) { events in
                // Events screening found stored but that are not any more (retention pruned them).
                let started = clock.now
                let findings = builder.findings(for: events, now: Date())
                metrics.recordEvaluation(started.duration(to: clock.now))
                return findings
            }
        } catch {
            throw StoreWriteError(sourceID: source.id, underlying: error)
        }
        await state.noteStoreWrite(failure: nil)
        metrics.recordPoll(source: source.id, duration: prepared.duration + started.duration(to: clock.now),
                           summary: summary, page: prepared.page)
        logger.debug("source polled", metadata: [
            "parapet.source": "\(source.id)",
            "parapet.events.new": "\(summary.inserted)",
            "parapet.events.duplicate": "\(summary.duplicates)",
            "parapet.quarantined": "\(summary.quarantined)",
            "parapet.violations": "\(summary.violationsOpened.count)",
        ])
        return summary
    }

    /// Runs `body`; when it throws, logs the failure, records it as the source's health, and rethrows.
    func recordingFailure<T>(of source: any ActivitySource, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            let message = String(describing: error)
            var metadata: Logger.Metadata = ["parapet.source": "\(source.id)", "parapet.error": "\(message)"]
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
