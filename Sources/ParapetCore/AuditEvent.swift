import Foundation

/// One activity record from any feed: the raw record untouched, plus normalised fields shaped
/// like OCSF API Activity (class 6003), so that policies can be written once for every cloud.
public struct AuditEvent: Sendable, Hashable {
    public var provider: Provider
    public var feed: Feed
    /// The provider's own id: CloudTrail `eventID`, GCP `insertId` (qualified by log name when
    /// needed), Azure `eventDataId` (or the best stable id of an Event Hub record).
    public var eventID: String
    public var time: Date
    /// AWS account id, GCP project id, Azure subscription id.
    public var account: String
    public var region: String?
    /// `api.operation`: CloudTrail eventName, GCP methodName, Azure operationName.
    public var operation: String
    /// `api.service.name`: CloudTrail eventSource, GCP serviceName, Azure resource provider.
    public var serviceName: String?
    public var actor: Actor
    /// `src_endpoint.ip`
    public var sourceIP: String?
    /// `http_request.user_agent`
    public var userAgent: String?
    public var outcome: Outcome
    public var errorCode: String?
    public var errorMessage: String?
    public var readOnly: Bool?
    /// Resource identifiers (ARNs, GCP resource names, Azure resource ids) the call touched.
    public var resources: [String]
    /// The record exactly as the provider wrote it (parsed).
    public var raw: JSONValue
    /// The record's original JSON text, when the reader had it as one piece (a JSON-lines line):
    /// the store keeps it as is instead of serialising `raw` again. It takes no part in equality.
    /// A reader that has the text as UTF-8 bytes keeps those (`setRawText(utf8:)`); this then
    /// decodes them on each read.
    public var rawText: String? {
        get {
            switch readerNotes.original {
            case .text(let text): text
            case .utf8(let bytes): String(decoding: bytes, as: UTF8.self)
            case nil: nil
            }
        }
        set { readerNotes.original = newValue.map { .text($0) } }
    }

    /// Whether the reader kept the record's original text (`rawText` is not nil).
    public var hasRawText: Bool { readerNotes.original != nil }

    /// Keeps the record's original text as the UTF-8 bytes the reader read (no copy: a line's
    /// bytes are shared, and a record read only to find it stored never becomes a `String`).
    /// The bytes are checked here, on the reader's side, so that the store's writer binds them
    /// as they are; bytes that are not UTF-8 are kept as text, repaired as `rawText` gives it.
    public mutating func setRawText(utf8 bytes: [UInt8]) {
        let valid = bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) }
        readerNotes.original = valid ? .utf8(bytes) : .text(String(decoding: bytes, as: UTF8.self))
    }

    /// Calls `body` with the UTF-8 of `rawText`, read in place; nil when there is no original text.
    public func withRawTextUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        switch readerNotes.original {
        case .utf8(let bytes):
            return try bytes.withUnsafeBufferPointer(body)
        case .text(var text):
            return try text.withUTF8(body)
        case nil:
            return nil
        }
    }

    /// Whether some object key in `raw` contains a dot, when the reader knows (nil: unknown).
    /// Policy field paths look for dotted keys (`labels."k8s.io/decision"`) only when this is
    /// not false. It takes no part in equality.
    public var rawHasDottedKeys: Bool? {
        get { readerNotes.dottedKeys }
        set { readerNotes.dottedKeys = newValue }
    }
    private var readerNotes = ReaderNotes()

    public init(
        provider: Provider, feed: Feed, eventID: String, time: Date, account: String, region: String? = nil,
        operation: String, serviceName: String? = nil, actor: Actor = Actor(), sourceIP: String? = nil,
        userAgent: String? = nil, outcome: Outcome = .unknown, errorCode: String? = nil, errorMessage: String? = nil,
        readOnly: Bool? = nil, resources: [String] = [], raw: JSONValue
    ) {
        self.provider = provider
        self.feed = feed
        self.eventID = eventID
        self.time = time
        self.account = account
        self.region = region
        self.operation = operation
        self.serviceName = serviceName
        self.actor = actor
        self.sourceIP = sourceIP
        self.userAgent = userAgent
        self.outcome = outcome
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.readOnly = readOnly
        self.resources = resources
        self.raw = raw
    }

    /// `actor.user.*`
    public struct Actor: Sendable, Hashable, Codable {
        /// `actor.user.uid`: ARN, principal email, object id.
        public var uid: String?
        /// `actor.user.type`: IAMUser, AssumedRole, Root, ServiceAccount, User, …
        public var type: String?
        /// `actor.user.name`
        public var name: String?

        public init(uid: String? = nil, type: String? = nil, name: String? = nil) {
            self.uid = uid
            self.type = type
            self.name = name
        }
    }

    public enum Outcome: String, Sendable, Codable, Hashable {
        case success, failure, unknown
    }
}

extension AuditEvent {
    /// The normalised fields as a JSON object with OCSF paths (`api.operation`,
    /// `actor.user.uid`, `cloud.region`, …). Policies with `logsource: {product: any}` match these.
    public var normalized: JSONValue {
        var api: JSONObject = ["operation": .string(operation)]
        if let serviceName { api["service"] = ["name": .string(serviceName)] }
        var user: JSONObject = [:]
        if let uid = actor.uid { user["uid"] = .string(uid) }
        if let type = actor.type { user["type"] = .string(type) }
        if let name = actor.name { user["name"] = .string(name) }
        var cloud: JSONObject = ["provider": .string(provider.rawValue), "account": ["uid": .string(account)]]
        if let region { cloud["region"] = .string(region) }
        var object: JSONObject = [
            "class_name": "API Activity",
            "class_uid": 6003,
            "metadata": ["uid": .string(eventID), "product": ["name": .string(feed.rawValue)]],
            "time": .string(ISO8601.string(from: time)),
            "api": .object(api),
            "actor": ["user": .object(user)],
            "cloud": .object(cloud),
            "status": .string(outcome.rawValue),
            "resources": .array(resources.map { ["uid": .string($0)] }),
        ]
        if let sourceIP { object["src_endpoint"] = ["ip": .string(sourceIP)] }
        if let userAgent { object["http_request"] = ["user_agent": .string(userAgent)] }
        if let errorCode { object["status_code"] = .string(errorCode) }
        if let errorMessage { object["status_detail"] = .string(errorMessage) }
        if let readOnly { object["read_only"] = .bool(readOnly) }
        return .object(object)
    }

    /// The store's unique key for this event.
    public var key: EventKey { EventKey(provider: provider, account: account, eventID: eventID, time: time) }
}

/// What the reader knew of a record's bytes: two events are the same event whatever bytes
/// carried them.
private struct ReaderNotes: Sendable, Hashable {
    enum Original: Sendable, Hashable {
        case text(String)
        /// Well-formed UTF-8 (checked when kept).
        case utf8([UInt8])
    }
    var original: Original?
    var dottedKeys: Bool?
    static func == (lhs: ReaderNotes, rhs: ReaderNotes) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}

/// Events are unique on (provider, account, event id, time). Every feed's id fixes its event's
/// time (CloudTrail's `eventID`, Azure's `eventDataId`; Cloud Logging itself treats entries with
/// the same `insertId` and `timestamp` as one), so the time changes nothing about which records are
/// the same event — but the store's unique index leads with it: events arrive roughly in time
/// order, so inserting them touches the index's last pages instead of a random page per event.
public struct EventKey: Sendable, Hashable, Codable {
    public var provider: Provider
    public var account: String
    public var eventID: String
    public var time: Date

    public init(provider: Provider, account: String, eventID: String, time: Date) {
        self.provider = provider
        self.account = account
        self.eventID = eventID
        self.time = time
    }
}

/// A check that bytes are well-formed UTF-8, eight bytes at a time while they are ASCII (JSON
/// records almost always are) and by the standard library's validation past the first other byte.
public enum UTF8Check {
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < bytes.count, bytes[i] < 0x80 { i += 1 }
        if i == bytes.count { return true }
        return String(validating: UnsafeBufferPointer(rebasing: bytes[i...]), as: UTF8.self) != nil
    }
}
