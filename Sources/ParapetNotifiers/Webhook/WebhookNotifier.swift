import Foundation
import ParapetCore

/// Sends each notification as one signed HTTP POST (CloudEvents or Slack), and says whether the
/// receiver took it, wants it again later, or refused it for good.
public struct WebhookNotifier: Notifier {
    /// Where and how to send.
    public struct Configuration: Sendable {
        public var url: URL
        /// Signs with Standard Webhooks headers when set.
        public var secret: WebhookSecret?
        public var format: WebhookFormat
        /// Seconds to wait for the receiver (connect + response).
        public var timeout: TimeInterval
        /// Names this Parapet in the CloudEvents `source` (`parapet/<instance>`).
        public var instance: String

        public init(url: URL, secret: WebhookSecret? = nil, format: WebhookFormat = .cloudevents,
                    timeout: TimeInterval = 10, instance: String = "default") {
            self.url = url
            self.secret = secret
            self.format = format
            self.timeout = timeout
            self.instance = instance
        }
    }

    /// Response bodies are only read for error messages: 64 KiB is plenty.
    public static let maxResponseBytes = 64 << 10

    public let configuration: Configuration
    private let client: any HTTPClient
    private let now: @Sendable () -> Date

    /// `client` defaults to URLSession with a 64 KiB response limit; `now` stamps `webhook-timestamp`.
    public init(configuration: Configuration,
                client: any HTTPClient = URLSessionHTTPClient(maxResponseBytes: WebhookNotifier.maxResponseBytes),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.client = client
        self.now = now
    }

    /// Sends one attempt and classifies the outcome.
    public func deliver(_ notification: ParapetCore.Notification) async -> DeliveryResult {
        let request = request(for: notification)
        do {
            let response = try await sendWithDeadline(request)
            return WebhookNotifier.result(for: response, url: configuration.url)
        } catch let error as HTTPTransportError {
            return .retryable(reason: WebhookNotifier.reason(for: error, timeout: configuration.timeout), retryAfter: nil)
        } catch {
            return .retryable(reason: "request to \(configuration.url.redactedDescription) failed: \(error)", retryAfter: nil)
        }
    }

    /// The request one attempt sends: the body, its content type, and the signature headers
    /// (`webhook-id`, `webhook-timestamp`, `webhook-signature`) when a secret is configured.
    public func request(for notification: ParapetCore.Notification) -> HTTPRequest {
        let body: Data
        let contentType: String
        switch configuration.format {
        case .cloudevents:
            body = CloudEventFormat.body(for: notification, instance: configuration.instance)
            contentType = CloudEventFormat.contentType
        case .slack:
            body = SlackFormat.body(for: notification)
            contentType = SlackFormat.contentType
        }
        var request = HTTPRequest(method: "POST", url: configuration.url, body: body, timeout: configuration.timeout)
        request.setHeader("content-type", contentType)
        request.setHeader("user-agent", "parapet")
        if let secret = configuration.secret {
            let timestamp = Int(now().timeIntervalSince1970.rounded(.down))
            request.setHeader("webhook-id", notification.id)
            request.setHeader("webhook-timestamp", String(timestamp))
            request.setHeader("webhook-signature", secret.signature(id: notification.id, timestamp: timestamp, body: body))
        }
        return request
    }

    /// Sends with the configured timeout enforced here too: URLSession on Linux only applies a
    /// request's own timeout when it is set through the property, and rounds it down to seconds.
    private func sendWithDeadline(_ request: HTTPRequest) async throws -> HTTPResponse {
        let timeout = configuration.timeout
        let client = self.client
        return try await withThrowingTaskGroup(of: HTTPResponse?.self) { group in
            group.addTask { try await client.send(request) }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return nil
            }
            defer { group.cancelAll() }
            if let response = try await group.next() ?? nil { return response }
            throw HTTPTransportError(code: .timeout, url: request.url.redactedDescription, detail: "deadline passed")
        }
    }
}
