import Foundation
import GRDB

/// Something the store could not do, said in one sentence with what to do about it.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// The database file does not exist.
        case notFound
        /// The file exists but is not a (compatible) Parapet database.
        case notADatabase
        /// The file or its directory could not be opened or created.
        case cannotOpen
        /// No row with the given id.
        case unknownID
        /// A status change that the violation's lifecycle does not allow.
        case invalidTransition
        /// Any other SQLite failure.
        case database
    }

    public var code: Code
    public var message: String
    /// SQLite's name for the primary result code (`SQLITE_FULL`, `SQLITE_IOERR`, …) when SQLite failed.
    public var sqliteCode: String?

    public init(_ code: Code, _ message: String, sqliteCode: String? = nil) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
    }

    public var description: String { message }

    /// Translates an SQLite error met while doing `what` (a phrase: "ingest a page of source x").
    static func failed(_ what: String, _ path: String, _ error: DatabaseError) -> StoreError {
        let reason = error.message ?? "\(error.resultCode)"
        if error.resultCode == .SQLITE_READONLY {
            return StoreError(.cannotOpen, "cannot \(what): \(path) is open read-only", sqliteCode: "SQLITE_READONLY")
        }
        return StoreError(.database, "cannot \(what) in \(path): \(reason)", sqliteCode: name(of: error.resultCode))
    }

    /// `SQLITE_FULL` for the primary code of `code` (extended codes map to their primary one).
    static func name(of code: ResultCode) -> String {
        let names: [Int32: String] = [
            1: "SQLITE_ERROR", 2: "SQLITE_INTERNAL", 3: "SQLITE_PERM", 4: "SQLITE_ABORT", 5: "SQLITE_BUSY",
            6: "SQLITE_LOCKED", 7: "SQLITE_NOMEM", 8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT", 10: "SQLITE_IOERR",
            11: "SQLITE_CORRUPT", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN", 15: "SQLITE_PROTOCOL", 17: "SQLITE_SCHEMA",
            18: "SQLITE_TOOBIG", 19: "SQLITE_CONSTRAINT", 20: "SQLITE_MISMATCH", 21: "SQLITE_MISUSE", 26: "SQLITE_NOTADB",
        ]
        let primary = code.primaryResultCode.rawValue
        return names[primary] ?? "SQLITE(\(primary))"
    }

    /// Translates an SQLite error met while opening `path`.
    static func opening(_ path: String, _ error: DatabaseError) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return StoreError(.notADatabase, "\(path) is not a Parapet database (file is not a database)")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            return StoreError(.cannotOpen, "cannot open the database \(path): \(error.message ?? "\(error.resultCode)") — check the file's permissions and its directory")
        default:
            return StoreError(.database, "cannot open the database \(path): \(error.message ?? "\(error.resultCode)")")
        }
    }
}
