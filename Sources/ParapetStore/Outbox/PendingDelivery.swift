import Foundation
import GRDB
import ParapetCore

/// A due outbox row with what a notifier needs: the violation's account and document.
public struct PendingDelivery: Sendable, Hashable {
    public var delivery: DeliveryRecord
    /// The violation's account id (CloudEvents `subject`).
    public var subject: String
    /// The violation's document, with its current lifecycle under `violation` (see `ViolationRecord.document`).
    public var data: JSONValue

    /// The message to send; `time` is when the delivery was queued (when the violation opened or resolved).
    public var notification: ParapetCore.Notification {
        ParapetCore.Notification(id: delivery.id, kind: delivery.kind, subject: subject, time: delivery.createdAt, data: data)
    }
}

extension ViolationRecord {
    /// The finding's `data` plus a `violation` member (`id`, `status`, `occurrences`, `first_seen`,
    /// `last_seen`, and `status_note`/`resolved_by_event` when set) so that receivers can tie a
    /// `resolved` message to its `opened` one. Written to webhooks and the violation log.
    public var document: JSONValue {
        var lifecycle: JSONObject = [
            "id": .number(Double(id)),
            "status": .string(status.rawValue),
            "occurrences": .number(Double(occurrences)),
            "first_seen": .string(ISO8601.string(from: firstSeenAt)),
            "last_seen": .string(ISO8601.string(from: lastSeenAt)),
        ]
        if let statusNote { lifecycle["status_note"] = .string(statusNote) }
        if let resolvedByEvent { lifecycle["resolved_by_event"] = .string(resolvedByEvent) }
        if let note { lifecycle["note"] = .string(note) }
        var object = data.objectValue ?? ["finding": data]
        object["violation"] = .object(lifecycle)
        return .object(object)
    }
}
