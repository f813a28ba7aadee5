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
