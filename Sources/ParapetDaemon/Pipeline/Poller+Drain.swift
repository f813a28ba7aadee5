import Foundation
import ParapetCore
import ParapetStore
import ServiceLifecycle

extension Poller {
    /// Polls until the source has nothing more right now (for `run --once` and backfills).
    ///
    /// Reading overlaps writing: while page N is stored, page N+1 is read (after page N's
    /// cursor), screened and evaluated. The cursor in the database still moves only in the
    /// transaction that stores its page; when that transaction fails, the page read ahead is
    /// dropped unstored, so the next drain starts again from the stored cursor.
    public func drain(_ source: any ActivitySource, maxPages: Int = 10_000) async throws -> IngestSummary {
        try await pollPages(source, maxPages: maxPages).summary
    }

    /// Polls up to `maxPages` pages in a row, reading each next page while the one before is
    /// stored (the daemon's turn for a source with a backlog); `hasMore` when the source had
    /// more after the last page.
    public func pollPages(_ source: any ActivitySource, maxPages: Int) async throws -> Outcome {
        try await recordingFailure(of: source) {
            var total = IngestSummary()
            var prepared = try await prepare(source, after: try store.cursor(for: source.id))
            var pages = 1
            while true {
                // On a graceful stop the turn ends with the page in hand: nothing more is read.
                let readAhead = prepared.page.hasMore && pages < maxPages && !Task.isCancelled && !Task.isShuttingDownGracefully
                let after = prepared.next
                async let following: PreparedPage? = readAhead ? prepare(source, after: after) : nil
                // Leaving this scope by a throw cancels and awaits the read ahead, and drops it.
                total.add(try await write(prepared, of: source))
                guard let next = try await following else { return Outcome(hasMore: prepared.page.hasMore, summary: total) }
                prepared = next
                pages += 1
            }
        }
    }
}
