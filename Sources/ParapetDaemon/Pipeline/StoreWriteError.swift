import Foundation
import ParapetStore

/// A poll whose page was read but could not be stored (disk full, I/O error, read-only file):
/// nothing of the page was committed and the cursor did not move. The source is not at fault, so
/// the scheduler retries it no later than one poll interval, whatever its backoff.
struct StoreWriteError: Error, CustomStringConvertible {
    var sourceID: String
    var underlying: any Error

    var description: String { "\(underlying)" }

    /// SQLite's name for the failure (`SQLITE_FULL`, …) for the log's `parapet.sqlite` key; nil
    /// when the store did not fail in SQLite.
    var sqliteCode: String? { (underlying as? StoreError)?.sqliteCode }
}
