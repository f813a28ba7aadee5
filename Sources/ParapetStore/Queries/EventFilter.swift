import Foundation
import ParapetCore

/// Which stored events to list (every criterion given must hold), newest first.
public struct EventFilter: Sendable, Hashable {
    public var account: String?
    public var provider: Provider?
    /// Exact `api.operation` (CloudTrail eventName, GCP methodName, Azure operationName).
    public var operation: String?
    /// Event time at or after this.
    public var since: Date?
    /// Event time strictly before this.
    public var until: Date?
    /// The provider's event id.
    public var eventID: String?
    public var limit: Int

    public init(account: String? = nil, provider: Provider? = nil, operation: String? = nil, since: Date? = nil,
                until: Date? = nil, limit: Int = 100) {
        self.account = account
        self.provider = provider
        self.operation = operation
        self.since = since
        self.until = until
        self.limit = limit
    }
}
