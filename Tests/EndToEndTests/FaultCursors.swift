import Foundation
import ParapetCore
import Testing

/// Follows the daemon's sources table while it ingests (read-only, with sqlite3): every sample
/// of every file source's cursor is compared with the previous one, and a file read position
/// that moved back, or a file the cursor forgot, is a regression.
struct FaultCursors {
    private(set) var samples = 0
    private(set) var regressions: [String] = []
    /// Source id → file path → read offset, as last seen.
    private var offsets: [String: [String: Double]] = [:]
    /// Source id → `last_poll_at` (the daemon's wall clock), as last seen.
    private(set) var lastPolls: [String: Double] = [:]

    /// Samples until `events` are stored (up to 30 s), and at least three times whatever the
    /// daemon's speed, so that every phase of a test compares cursors across polls; false if the
    /// events never were stored.
    mutating func follow(_ database: String, until events: Int) async throws -> Bool {
        for taken in 1...150 {
            try await sample(database)
            if taken >= 3, try await FaultLongReadTests.events(in: database) == events { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    mutating func sample(_ database: String) async throws {
        let json = try await FaultLongReadTests.sqlite(database, "SELECT json_group_array(json_object('id', id, 'cursor', cursor, 'last_poll_at', last_poll_at)) FROM source")
        samples += 1
        for row in try JSONValue(parsing: json).arrayValue ?? [] {
            guard let id = row["id"]?.stringValue else { continue }
            if let polled = row["last_poll_at"]?.numberValue { lastPolls[id] = polled }
            guard let text = row["cursor"]?.stringValue, let files = try JSONValue(parsing: text)["files"]?.objectValue else { continue }
            let now = files.dictionary.compactMapValues { $0.value(atPath: "position.offset")?.numberValue }
            for (path, before) in offsets[id] ?? [:] {
                guard let after = now[path] else {
                    regressions.append("\(id) forgot \(path) (was at \(before))")
                    continue
                }
                if after < before { regressions.append("\(id) \(path): \(before) → \(after)") }
            }
            offsets[id] = now
        }
    }

    /// The daemon's wall clock minus real time at its sources' last polls (the smallest and largest).
    func pollClockOffsets(now: Date = Date()) -> ClosedRange<Double>? {
        let offsets = lastPolls.values.map { $0 - now.timeIntervalSince1970 }
        guard let low = offsets.min(), let high = offsets.max() else { return nil }
        return low...high
    }
}
