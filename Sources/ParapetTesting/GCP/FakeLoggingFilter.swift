import Foundation
import ParapetCore

/// The part of the Logging query language the audit source writes:
/// `(log_id("…") OR …) AND timestamp>="…" AND timestamp<"…"`.
public struct FakeLoggingFilter {
    public var logIDs: [String]
    public var from: Date
    public var to: Date

    public init?(_ filter: String) {
        logIDs = FakeLoggingFilter.captures(#"log_id\("([^"]+)"\)"#, in: filter)
        guard !logIDs.isEmpty,
              let lower = FakeLoggingFilter.captures(#"timestamp>="([^"]+)""#, in: filter).first.flatMap(ISO8601.date(from:)),
              let upper = FakeLoggingFilter.captures(#"timestamp<"([^"]+)""#, in: filter).first.flatMap(ISO8601.date(from:))
        else { return nil }
        from = lower
        to = upper
    }

    public func matches(_ record: CloudSamples.Record) -> Bool {
        guard record.time >= from, record.time < to, let logName = record.json["logName"]?.stringValue else { return false }
        let decoded = logName.removingPercentEncoding ?? logName
        return logIDs.contains { decoded.hasSuffix("/logs/" + $0) }
    }

    /// The first capture group of every match of `pattern`.
    public static func captures(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
