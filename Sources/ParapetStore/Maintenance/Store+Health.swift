import Foundation
import GRDB

extension Store {
    /// True when a write transaction can be started now (for `/readyz`): the file is writable,
    /// the disk not read-only, and the write lock obtainable.
    public func isWritable() throws -> Bool {
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "ROLLBACK")
            }
            return true
        } catch {
            return false
        }
    }
}
