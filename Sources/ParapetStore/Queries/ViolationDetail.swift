import Foundation

/// One violation with everything `parapet violations show` prints.
public struct ViolationDetail: Sendable, Hashable {
    public var violation: ViolationRecord
    /// The first event with its raw record; nil once retention pruned it.
    public var event: EventRecord?
    /// Every event grouped into the violation, oldest first.
    public var events: [ViolationEventRecord]
    /// Its outbox rows, oldest first.
    public var deliveries: [DeliveryRecord]
}
