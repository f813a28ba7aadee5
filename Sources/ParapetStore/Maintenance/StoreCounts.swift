import ParapetCore

/// Row counts for metrics and `parapet doctor`.
public struct StoreCounts: Sendable, Hashable {
    public var events: Int
    public var violationsByStatus: [ViolationStatus: Int]
    public var violationsBySeverity: [Severity: Int]
    public var deliveriesByState: [DeliveryRecord.State: Int]
    public var quarantined: Int
    public var sources: Int
    public var unhealthySources: Int
}
