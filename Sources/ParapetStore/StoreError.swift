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

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Translates an SQLite error met while doing `what` (a phrase: "ingest a page of source x").
    static func failed(_ what: String, _ path: String, _ error: DatabaseError) -> StoreError {
        let reason = error.message ?? "\(error.resultCode)"
        if error.resultCode == .SQLITE_READONLY {
            return StoreError(.cannotOpen, "cannot \(what): \(path) is open read-only")
        }
        return StoreError(.database, "cannot \(what) in \(path): \(reason)")
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
