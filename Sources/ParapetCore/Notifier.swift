import Foundation

/// A message about a violation, ready to be sent.
public struct Notification: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case opened, resolved
    }

    /// The delivery id (receivers dedupe by it).
    public var id: String
    public var kind: Kind
    /// The account id (CloudEvents `subject`).
    public var subject: String
    public var time: Date
    /// The violation document.
    public var data: JSONValue

    public init(id: String, kind: Kind, subject: String, time: Date, data: JSONValue) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.time = time
        self.data = data
    }
}

/// The outcome of one delivery attempt.
public enum DeliveryResult: Sendable, Hashable {
    case delivered
    /// Try again later (after `retryAfter` when the receiver said so).
    case retryable(reason: String, retryAfter: TimeInterval?)
    /// The receiver refused it for good (4xx): dead-letter it.
    case rejected(reason: String)
}

/// An output for violations: a webhook, Slack, the violation log.
public protocol Notifier: Sendable {
    func deliver(_ notification: Notification) async -> DeliveryResult
}
