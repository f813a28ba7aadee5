import Foundation
import ParapetStore

/// A poll whose page was read but could not be stored (disk full, I/O error, read-only file):
/// nothing of the page was committed and the cursor did not move. The source is not at fault, so
/// the scheduler retries it no later than one poll interval, whatever its backoff.
struct StoreWriteError: Error, CustomStringConvertible {
    var sourceID: String
    var underlying: any Error

    var description: String { "\(underlying)" }

    /// SQLite's name for the failure, for the log's `parapet.sqlite` key: the store's result code,
    /// else recognised from SQLite's standard message (`sqlite3_errstr`); nil when neither says.
    var sqliteCode: String? {
        if let code = (underlying as? StoreError)?.sqliteCode { return code }
        let text = "\(underlying)"
        let known: [(String, String)] = [
            ("database or disk is full", "SQLITE_FULL"), ("disk I/O error", "SQLITE_IOERR"),
            ("attempt to write a readonly database", "SQLITE_READONLY"), ("is open read-only", "SQLITE_READONLY"),
            ("database is locked", "SQLITE_BUSY"), ("database disk image is malformed", "SQLITE_CORRUPT"),
        ]
        return known.first { text.contains($0.0) }?.1
    }
}
