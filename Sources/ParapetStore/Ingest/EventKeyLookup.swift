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
        let code = TextBinding.bind(text, to: statement.sqliteStatement, at: index)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind parameter \(index)", sql: Self.sql)
        }
    }
}
