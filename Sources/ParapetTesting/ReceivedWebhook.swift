import Foundation
import ParapetCore

/// One request as the test webhook receiver saw it, with its signature check and its answer.
public struct ReceivedWebhook: Sendable {
    public var path: String
    /// The `webhook-id` header (empty when missing).
    public var webhookID: String
    /// The `webhook-timestamp` header as sent.
    public var timestamp: String
    /// Nil when the Standard Webhooks signature verified; else why it did not.
    public var signatureError: String?
    /// The raw body bytes, as signed.
    public var body: Data
    /// The body parsed as JSON (nil when it is not JSON).
    public var json: JSONValue?
    /// 1 for the first request with this webhook id, 2 for the second…
    public var attempt: Int
    /// The status the receiver answered (or was about to answer when the sender went away).
    public var status: Int
    public var receivedAt: Date

    public var signatureVerified: Bool { signatureError == nil }
    /// A verified request answered 2xx: the receiver processed this delivery.
    public var accepted: Bool { signatureVerified && (200..<300).contains(status) }
    /// The CloudEvents `type` (`dev.parapet.violation.opened`, `.resolved`).
    public var type: String? { json?["type"]?.stringValue }
    /// The CloudEvents `id` (the delivery id).
    public var cloudEventID: String? { json?["id"]?.stringValue }
    /// The violation document (`data`).
    public var data: JSONValue? { json?["data"] }
}
