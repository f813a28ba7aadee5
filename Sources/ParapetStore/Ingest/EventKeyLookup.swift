import Foundation
import GRDB
import GRDBSQLite
import ParapetCore

/// "Is an event with this key stored?", asked once per event of a page (by screening on a reader,
/// and by the ingest transaction for events screening found stored). The time is bound as a
/// number and the three texts straight from their UTF-8, and the statement stepped once, instead
/// of through GRDB's `fetchOne`, whose argument array, cursor and value conversion cost more than
/// the index probe.
struct EventKeyLookup {
    private let statement: Statement
    private let db: Database

    static let sql = "SELECT 1 FROM event WHERE time = ? AND provider = ? AND account = ? AND event_id = ?"

    init(_ db: Database) throws {
        self.db = db
        statement = try db.cachedStatement(sql: Self.sql)
    }

    /// Whether `events[index]` is stored (an event with its time, provider, account and event id).
    /// The fields are read in place (binding the event to a constant copied it).
    func contains(_ events: [AuditEvent], at index: Int) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        try check(sqlite3_bind_double(handle, 1, events[index].time.epoch), at: 1)
        try bind(events[index].provider.rawValue, at: 2)
        try bind(events[index].account, at: 3)
        try bind(events[index].eventID, at: 4)
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
        try check(TextBinding.bind(text, to: statement.sqliteStatement, at: index), at: index)
    }

    private func check(_ code: CInt, at index: CInt) throws {
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind parameter \(index)", sql: Self.sql)
        }
    }
}
