import Foundation
import ParapetCore

/// Which violations to list (every criterion given must hold), newest first.
public struct ViolationFilter: Sendable, Hashable {
    public var team: String?
    public var account: String?
    public var policyID: String?
    /// At least this severe.
    public var minimumSeverity: Severity?
    public var status: ViolationStatus?
    /// First seen at or after this time.
    public var since: Date?
    public var limit: Int

    public init(team: String? = nil, account: String? = nil, policyID: String? = nil, minimumSeverity: Severity? = nil,
                status: ViolationStatus? = nil, since: Date? = nil, limit: Int = 100) {
        self.team = team
        self.account = account
        self.policyID = policyID
        self.minimumSeverity = minimumSeverity
        self.status = status
        self.since = since
        self.limit = limit
    }
}
