import Foundation

/// What evaluating a new event produced, for the store to record in the ingest transaction.
public struct Finding: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        /// The policy matched: open (or group into) a violation.
        case violation
        /// The policy matched but an active exception covers it: recorded, not alerted.
        case suppressed
        /// The policy's `resolves_on` matched: close open violations of the same group.
        case resolution
    }

    public var kind: Kind
    public var policyID: String
    public var policyTitle: String
    public var severity: Severity
    public var event: EventKey
    /// Violations of the same policy, account and resource are one group (for grouping repeats
    /// and for auto-resolution).
    public var resource: String
    /// For `.suppressed`: the exception's reason and owner.
    public var note: String?
    /// Names of the delivery routes that want this finding (one outbox row each).
    public var routes: [String]
    /// The violation's `data` document (policy, account, actor, event summary, remediation),
    /// as sent to webhooks and written to the violation log.
    public var data: JSONValue {
        didSet { serializedData = Serialized() }
    }
    /// `data` serialised, once `serializeData()` has been called (the daemon does it while it
    /// prepares a page, so the store's single writer does not); `data.serialized()` otherwise.
    public var dataText: String { serializedData.text ?? data.serialized() }
    private var serializedData = Serialized()

    public init(kind: Kind, policyID: String, policyTitle: String, severity: Severity, event: EventKey,
                resource: String, note: String? = nil, routes: [String] = [], data: JSONValue) {
        self.kind = kind
        self.policyID = policyID
        self.policyTitle = policyTitle
        self.severity = severity
        self.event = event
        self.resource = resource
        self.note = note
        self.routes = routes
        self.data = data
    }

    /// Serialises `data` now, for `dataText`.
    public mutating func serializeData() {
        serializedData = Serialized(text: data.serialized())
    }
}

/// A text computed ahead from a value it is always derived from: it takes no part in equality.
private struct Serialized: Sendable, Hashable {
    var text: String?
    static func == (lhs: Serialized, rhs: Serialized) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}

/// The lifecycle of a violation.
public enum ViolationStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case open, acknowledged, resolved, suppressed
}
