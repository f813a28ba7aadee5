import Foundation

/// How the test webhook receiver answers one request: a status (with `Retry-After` when set),
/// after an optional stall.
public struct WebhookReaction: Sendable, Hashable {
    public var status: Int
    /// Seconds for a `Retry-After` header (429, 503).
    public var retryAfter: Int?
    /// How long to wait before answering (a slow or stalled receiver).
    public var delay: Duration

    public init(status: Int, retryAfter: Int? = nil, delay: Duration = .zero) {
        self.status = status
        self.retryAfter = retryAfter
        self.delay = delay
    }

    /// 204 No Content at once.
    public static let accept = WebhookReaction(status: 204)
    /// 400 Bad Request: a final refusal, the sender must not retry.
    public static let refuse = WebhookReaction(status: 400)

    /// A retryable failure (500 by default).
    public static func fail(_ status: Int = 500, retryAfter: Int? = nil) -> WebhookReaction {
        WebhookReaction(status: status, retryAfter: retryAfter)
    }

    /// Waits `delay`, then answers like `then`.
    public static func stall(_ delay: Duration, then: WebhookReaction = .accept) -> WebhookReaction {
        WebhookReaction(status: then.status, retryAfter: then.retryAfter, delay: delay)
    }
}

/// What the receiver knows about a request when it decides how to answer.
public struct WebhookAttempt: Sendable, Hashable {
    /// The request path (`/hook`, `/payments`).
    public var path: String
    /// The `webhook-id` header (the delivery id), empty when missing.
    public var webhookID: String
    /// 1 for the first request with this webhook id, 2 for the second…
    public var number: Int
    /// The CloudEvents `type` of the body, when it has one.
    public var type: String?
}

/// Decides the reaction to each request.
public typealias WebhookScript = @Sendable (WebhookAttempt) -> WebhookReaction

/// Ready-made scripts.
public enum WebhookScripts {
    /// Answers every request with `reaction`.
    public static func always(_ reaction: WebhookReaction) -> WebhookScript {
        { _ in reaction }
    }

    /// The first `count` attempts of each delivery id get `failure`, later ones `then`.
    public static func failingFirst(_ count: Int, with failure: WebhookReaction = .fail(),
                                    then: WebhookReaction = .accept) -> WebhookScript {
        { attempt in attempt.number <= count ? failure : then }
    }
}
