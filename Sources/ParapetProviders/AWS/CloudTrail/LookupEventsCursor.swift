import Foundation
import ParapetCore

/// The position of a `CloudTrailSource`: the time window being read and, in the middle of a
/// paging sequence, the `NextToken` (so a page boundary survives a restart). Stored as JSON.
struct LookupEventsCursor: Codable, Hashable, Sendable {
    /// Window start and end, seconds since 1970 (the request's StartTime/EndTime).
    var start: Double
    var end: Double
    /// Set while a paging sequence is under way; nil once the window is read completely.
    var nextToken: String?

    init(start: Double, end: Double, nextToken: String?) {
        self.start = start
        self.end = end
        self.nextToken = nextToken
    }

    init(_ cursor: Cursor, sourceID: String) throws {
        do {
            self = try JSONDecoder().decode(LookupEventsCursor.self, from: Data(cursor.rawValue.utf8))
        } catch {
            throw AWSError(.invalidCursor, "the stored cursor of \(sourceID) is not a CloudTrail LookupEvents cursor: \(error)"
                           + " — reset the source's cursor")
        }
    }

    var cursor: Cursor {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Cursor(String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self))
    }
}
