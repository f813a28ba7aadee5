/// The body shape a webhook route sends.
public enum WebhookFormat: String, Sendable, Codable, CaseIterable, Hashable {
    /// CloudEvents 1.0 structured JSON (`application/cloudevents+json`).
    case cloudevents
    /// A Slack incoming-webhook message.
    case slack
}
