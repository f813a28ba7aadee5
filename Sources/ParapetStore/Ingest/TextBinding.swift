import GRDB
import GRDBSQLite

/// Binds text to a prepared statement straight from the string's UTF-8 (SQLite copies it before
/// returning), instead of GRDB's binding, which first copies it into a new C string: for the
/// ~1 KB raw record of every ingested event that was an allocation and a copy.
enum TextBinding {
    /// The SQLite result code of binding `text` (NULL when nil) at `index`.
    static func bind(_ text: String?, to statement: SQLiteStatement, at index: CInt) -> CInt {
        guard let text else { return sqlite3_bind_null(statement, index) }
        let code = text.utf8.withContiguousStorageIfAvailable { bytes -> CInt in
            // An empty buffer may have no address, and a null pointer would bind NULL.
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return text.bind(to: statement, at: index) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, index, $0, CInt(bytes.count), transient)
            }
        }
        return code ?? text.bind(to: statement, at: index)
    }

    /// The SQLite result code of binding the UTF-8 text `bytes` at `index` (SQLite copies them).
    static func bind(utf8 bytes: UnsafeBufferPointer<UInt8>, to statement: SQLiteStatement, at index: CInt) -> CInt {
        // An empty buffer may have no address, and a null pointer would bind NULL.
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(statement, index, "", 0, transient) }
        return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            sqlite3_bind_text(statement, index, $0, CInt(bytes.count), transient)
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before `sqlite3_bind_text` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
