import Foundation
import GRDB
import ParapetCore

extension Store {
    /// The cursor stored with the last committed page of `sourceID` (nil: never polled).
    public func cursor(for sourceID: String) throws -> ParapetCore.Cursor? {
        try read("read the cursor of source \(sourceID)") { db in
            try String.fetchOne(db, sql: "SELECT cursor FROM source WHERE id = ?", arguments: [sourceID])
                .map(ParapetCore.Cursor.init(rawValue:))
        }
    }

    /// Every source with its health and quarantined count, by id.
    public func sources() throws -> [SourceRecord] {
        try read("list sources") { db in
            try SourceRecord.fetchAll(db, sql: """
                SELECT source.*, (SELECT COUNT(*) FROM quarantine WHERE quarantine.source_id = source.id) AS quarantined
                FROM source ORDER BY id
                """)
        }
    }

    /// Quarantined records, newest first; of one source, or of all when `sourceID` is nil.
    public func quarantined(sourceID: String?, limit: Int = 100) throws -> [QuarantineRecord] {
        typealias Columns = QuarantineRecord.Columns
        return try read("list quarantined records") { db in
            var request = QuarantineRecord.all()
            if let sourceID { request = request.filter(Columns.sourceID == sourceID) }
            return try request.order(Columns.id.desc).limit(max(limit, 0)).fetchAll(db)
        }
    }
}
