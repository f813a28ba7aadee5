import Foundation
import ParapetCore

/// Why a record could not be normalised; the record is quarantined with this reason.
public struct NormaliseError: Error, CustomStringConvertible, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Turns a raw provider record into an `AuditEvent`. (API contract; the implementation lands
/// with the normalisers.)
public enum Normaliser {
    /// Detects the feed from the record's shape (CloudTrail, GCP LogEntry, Azure Event Hub or REST).
    public static func detectFeed(_ record: JSONValue) -> Feed? {
        nil
    }

    /// Normalises `record`; `feed` overrides detection. Throws `NormaliseError` naming the field.
    public static func normalise(_ record: JSONValue, feed: Feed? = nil) throws -> AuditEvent {
        throw NormaliseError("normalisers not implemented yet")
    }
}
