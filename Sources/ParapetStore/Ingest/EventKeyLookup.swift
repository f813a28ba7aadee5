import Foundation
import GRDB
import GRDBSQLite
import ParapetCore

/// "Is an event with this key stored?", asked once per event of a page (by screening on a reader,
/// and by the ingest transaction for events screening found stored). The three texts are bound
/// straight from their UTF-8 and the statement stepped once, instead of through GRDB's
/// `fetchOne`, whose argument array, cursor and value conversion cost more than the index probe.
struct EventKeyLookup {
    private let statement: Statement
    private let db: Database

    static let sql = "SELECT 1 FROM event WHERE provider = ? AND account = ? AND event_id = ?"

    init(_ db: Database) throws {
        self.db = db
        statement = try db.cachedStatement(sql: Self.sql)
    }

    /// Whether an event with this provider, account and event id is stored.
    func contains(provider: String, account: String, eventID: String) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        try bind(provider, at: 1)
        try bind(account, at: 2)
        try bind(eventID, at: 3)
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: Self.sql)
        }
    }

    private func bind(_ text: String, at index: CInt) throws {
        let handle = statement.sqliteStatement
        var text = text
        let code = text.withUTF8 { bytes -> CInt in
            // An empty buffer may have no address, and a null pointer would bind NULL.
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                return sqlite3_bind_text(handle, index, "", 0, EventKeyLookup.transient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, CInt(bytes.count), EventKeyLookup.transient)
            }
        }
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind parameter \(index)", sql: Self.sql)
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before `sqlite3_bind_text` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
