import Foundation
import ParapetCore
import ParapetTesting

/// A clock the test moves by hand.
final class CloudTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    var closure: @Sendable () -> Date { { self.now } }
}

/// Records the waits a source asks for, and returns at once.
final class CloudSleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [TimeInterval] = []

    var waits: [TimeInterval] { lock.withLock { recorded } }

    var sleep: @Sendable (TimeInterval) async throws -> Void {
        { seconds in self.lock.withLock { self.recorded.append(seconds) } }
    }
}

/// The shared sample records, each with its timestamp.
enum CloudSamples {
    struct Record: Sendable {
        var json: JSONValue
        var time: Date
        var key: String { json.serialized() }
    }

    static func load(_ relativePath: String, timeField: String) throws -> [Record] {
        let text = try String(contentsOf: PackagePaths.sample(relativePath), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { line in
            let json = try JSONValue(parsing: String(line))
            guard let time = json[timeField]?.stringValue.flatMap(ISO8601.date(from:)) else {
                throw CloudTestFailure("sample \(relativePath) has a record without a parseable \(timeField)")
            }
            return Record(json: json, time: time)
        }
    }
}

struct CloudTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ActivityPage {
    /// Every raw record the page returned, events and quarantined alike, as serialized JSON.
    var rawKeys: [String] {
        events.map { $0.raw.serialized() }
            + quarantined.compactMap { (try? JSONValue(parsing: $0.raw))?.serialized() }
    }
}

extension Array where Element == String {
    /// How many times each element occurs.
    var counted: [String: Int] { reduce(into: [:]) { $0[$1, default: 0] += 1 } }
}
