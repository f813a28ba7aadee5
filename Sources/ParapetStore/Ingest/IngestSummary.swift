import Foundation

/// What one `Store.ingest` transaction did.
public struct IngestSummary: Sendable, Hashable {
    /// Events that were new and are now stored.
    public var inserted: Int = 0
    /// Events already stored (overlap re-reads, repeats within the page).
    public var duplicates: Int = 0
    /// Quarantined records newly stored (a record already in quarantine at the same location is not stored twice).
    public var quarantined: Int = 0
    /// Ids of the violations opened, in the order they were opened.
    public var violationsOpened: [Int64] = []
    /// Findings grouped into an existing open violation (its occurrences went up).
    public var grouped: Int = 0
    /// Violations recorded as suppressed by an exception.
    public var suppressed: Int = 0
    /// Ids of the violations resolved by a `resolves_on` event.
    public var resolvedViolationIDs: [Int64] = []
    /// Outbox rows written (opened and resolved).
    public var deliveriesCreated: Int = 0
    /// The violations opened, for the violation log.
    public var newViolations: [ViolationRecord] = []

    /// The number of violations resolved.
    public var resolved: Int { resolvedViolationIDs.count }

    public init() {}
}
