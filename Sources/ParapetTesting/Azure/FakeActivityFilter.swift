import Foundation
import ParapetCore

/// `eventTimestamp ge '…' and eventTimestamp le '…'` (both ends inclusive).
public struct FakeActivityFilter {
    public var from: Date
    public var to: Date

    public init?(_ filter: String) {
        guard let lower = FakeLoggingFilter.captures(#"eventTimestamp ge '([^']+)'"#, in: filter).first.flatMap(ISO8601.date(from:)),
              let upper = FakeLoggingFilter.captures(#"eventTimestamp le '([^']+)'"#, in: filter).first.flatMap(ISO8601.date(from:))
        else { return nil }
        from = lower
        to = upper
    }
}
