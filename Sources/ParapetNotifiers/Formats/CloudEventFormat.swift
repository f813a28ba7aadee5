import Foundation
import ParapetCore

/// CloudEvents 1.0 structured-mode JSON: the webhook body and one line of the violation log.
///
/// `{"data":{…},"datacontenttype":"application/json","id":"<delivery id>",
/// "source":"parapet/<instance>","specversion":"1.0","subject":"<account>",
/// "time":"<RFC 3339>","type":"dev.parapet.violation.opened"}` (compact, keys sorted).
public enum CloudEventFormat {
    /// The content type of a structured-mode CloudEvent.
    public static let contentType = "application/cloudevents+json"

    /// `dev.parapet.violation.opened` or `dev.parapet.violation.resolved`.
    public static func type(for kind: ParapetCore.Notification.Kind) -> String {
        "dev.parapet.violation.\(kind.rawValue)"
    }

    /// The event as a JSON document; `data` is the violation document unchanged.
    public static func document(for notification: ParapetCore.Notification, instance: String) -> JSONValue {
        [
            "specversion": "1.0",
            "id": .string(notification.id),
            "source": .string("parapet/\(instance)"),
            "type": .string(type(for: notification.kind)),
            "time": .string(ISO8601.string(from: notification.time)),
            "subject": .string(notification.subject),
            "datacontenttype": "application/json",
            "data": notification.data,
        ]
    }

    /// The compact UTF-8 body, exactly the bytes that are signed and sent.
    public static func body(for notification: ParapetCore.Notification, instance: String) -> Data {
        Data(document(for: notification, instance: instance).serialized().utf8)
    }
}
