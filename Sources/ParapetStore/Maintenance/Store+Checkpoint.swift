import Foundation
import GRDB

extension Store {
    /// Copies the WAL's committed pages into the database file as far as no reader needs them,
    /// without waiting for anyone (SQLite's passive checkpoint). SQLite checkpoints by itself
    /// once the WAL holds 64 MiB (a size chosen for backfills, where rewriting the same index
    /// pages once per 64 MiB instead of once per page of events makes ingest faster); the daemon
    /// calls this at the end of every poll cycle so that a quiet store's WAL does not sit at up to
    /// 64 MiB, and so that the WAL restarts from its beginning soon after a long reader lets go.
    /// Returns the WAL's frames and how many of them are now in the database.
    @discardableResult
    public func checkpoint() async throws -> (walFrames: Int, checkpointed: Int) {
        do {
            let result = try await writer.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            return (result.walFrameCount, result.checkpointedFrameCount)
        } catch let error as DatabaseError {
            throw StoreError.failed("checkpoint the WAL", path, error)
        }
    }
}
