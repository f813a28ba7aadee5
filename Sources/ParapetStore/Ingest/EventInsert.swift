import Foundation
import GRDB
import GRDBSQLite
import ParapetCore

/// The event INSERT of one ingest transaction. Its 21 values are bound one by one on the prepared
/// statement (GRDB's public `StatementBinding`), not through `execute(arguments:)`: that builds a
/// `StatementArguments` array of existentials and then a `DatabaseValue` array per row before
/// binding (past 20 arguments GRDB has no faster path). If GRDB ever cleared these bindings
/// before stepping, the NOT NULL columns would make every insert fail loudly, not store blanks.
struct EventInsert {
    private let statement: Statement
    private let sourceID: String
    private let now: Double

    static let sql = """
        INSERT INTO event (provider, account, event_id, feed, time, region, operation, service,
          actor_uid, actor_type, actor_name, source_ip, user_agent, outcome, error_code, error_message,
          read_only, resources, raw, source_id, ingested_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(time, provider, account, event_id) DO NOTHING
        """

    init(_ db: Database, sourceID: String, now: Date) throws {
        statement = try db.cachedStatement(sql: Self.sql)
        self.sourceID = sourceID
        self.now = now.epoch
    }

    /// Inserts `events[index]` unless its key is stored; true when it was new. The fields are read
    /// in place (passing the event itself copied it, retaining every string).
    func insert(_ events: [AuditEvent], at index: Int, into db: Database) throws -> Bool {
        // Resets the statement and clears its bindings (SQLite binds only on a reset statement),
        // and marks its arguments as set, so that `execute()` steps it with the values bound here.
        statement.setUncheckedArguments([])
        try bind(events[index].provider.rawValue, at: 1)
        try bind(events[index].account, at: 2)
        try bind(events[index].eventID, at: 3)
        try bind(events[index].feed.rawValue, at: 4)
        try bind(events[index].time.epoch, at: 5)
        try bind(events[index].region, at: 6)
        try bind(events[index].operation, at: 7)
        try bind(events[index].serviceName, at: 8)
        try bind(events[index].actor.uid, at: 9)
        try bind(events[index].actor.type, at: 10)
        try bind(events[index].actor.name, at: 11)
        try bind(events[index].sourceIP, at: 12)
        try bind(events[index].userAgent, at: 13)
        try bind(events[index].outcome.rawValue, at: 14)
        try bind(events[index].errorCode, at: 15)
        try bind(events[index].errorMessage, at: 16)
        try bind(events[index].readOnly, at: 17)
        try bind(events[index].resources.jsonText, at: 18)
        // The original text straight from the bytes the reader kept (no `String` made of it).
        let handle = statement.sqliteStatement
        if let code = events[index].withRawTextUTF8({ TextBinding.bind(utf8: $0, to: handle, at: 19) }) {
            try check(code, 19)
        } else {
            try bind(events[index].raw.serialized(), at: 19)
        }
        try bind(sourceID, at: 20)
        try bind(now, at: 21)
        try statement.execute()
        return db.changesCount > 0
    }

    /// Text is handed to SQLite straight from the string's UTF-8 (`TextBinding`).
    private func bind(_ text: String?, at index: CInt) throws {
        try check(TextBinding.bind(text, to: statement.sqliteStatement, at: index), index)
    }

    private func bind(_ text: String, at index: CInt) throws {
        try bind(Optional(text), at: index)
    }

    /// Numbers and booleans go to SQLite directly too: through GRDB's generic `StatementBinding`
    /// (an `Optional` conformance dispatched at run time) they cost about 1 µs per event.
    private func bind(_ value: Double, at index: CInt) throws {
        try check(sqlite3_bind_double(statement.sqliteStatement, index, value), index)
    }

    private func bind(_ value: Bool?, at index: CInt) throws {
        guard let value else { return try check(sqlite3_bind_null(statement.sqliteStatement, index), index) }
        try check(sqlite3_bind_int(statement.sqliteStatement, index, value ? 1 : 0), index)
    }

    private func check(_ code: CInt, _ index: CInt) throws {
        // SQLITE_OK is 0; a binding fails only on a bad index or out of memory.
        guard code == 0 else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind parameter \(index)",
                                sql: Self.sql)
        }
    }
}
