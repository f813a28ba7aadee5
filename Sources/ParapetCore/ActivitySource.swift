import Foundation

/// A source's position in its feed. Opaque to everything but the source that wrote it
/// (a timestamp, a page token, a map of files to offsets), stored with the events it covers.
public struct Cursor: Sendable, Hashable, Codable, RawRepresentable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A record that could not be parsed or normalised: kept with its error, never dropped.
public struct QuarantinedRecord: Sendable, Hashable {
    public var sourceID: String
    /// Where it was: `file.json:12`, `s3://bucket/key#3`, a page number.
    public var location: String
    public var reason: String
    public var raw: Data
    public var receivedAt: Date

    public init(sourceID: String, location: String, reason: String, raw: Data, receivedAt: Date = Date()) {
        self.sourceID = sourceID
        self.location = location
        self.reason = reason
        self.raw = raw
        self.receivedAt = receivedAt
    }
}

/// One poll's worth of a feed: normalised events, quarantined records, and the cursor that
/// covers them. The daemon stores all three in one transaction.
public struct ActivityPage: Sendable {
    public var events: [AuditEvent]
    public var quarantined: [QuarantinedRecord]
    /// The cursor to store once these events are committed.
    public var cursor: Cursor?
    /// True when the source has more to read right away (the daemon polls again without waiting).
    public var hasMore: Bool

    public init(events: [AuditEvent] = [], quarantined: [QuarantinedRecord] = [], cursor: Cursor?, hasMore: Bool = false) {
        self.events = events
        self.quarantined = quarantined
        self.cursor = cursor
        self.hasMore = hasMore
    }
}

/// A feed of one account (or, for organisation-wide sources, many) that the daemon polls.
/// Sources only translate: timers, retries between polls, backoff and storage belong to the daemon.
public protocol ActivitySource: Sendable {
    /// Stable id, used as the key of the source's cursor and health (`aws/111122223333/eu-west-1/cloudtrail`).
    var id: String { get }
    var provider: Provider { get }
    /// Reads the next page after `cursor` (nil: never polled; start from the backfill horizon).
    func poll(after cursor: Cursor?) async throws -> ActivityPage
    /// One quick call that proves credentials and reachability (for `parapet doctor`).
    func check() async throws -> String
}

extension ActivitySource {
    /// One quick call that proves credentials and reachability (for `parapet doctor`); returns a
    /// short description of what was checked. Sources override it; the default says it has none.
    public func check() async throws -> String { "no check available for this source type" }
}
