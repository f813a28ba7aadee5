import Foundation
import ParapetCore

/// Sends one API request with a bearer token, inside the per-account request budget: a 401
/// refreshes the token once and retries; 429 and 5xx are retried per `CloudRetryPolicy`. Returns
/// the last response (2xx or not); the caller turns a failure into the provider's error message.
struct CloudRequestSender: Sendable {
    var http: any HTTPClient
    var retry: CloudRetryPolicy
    var sleep: CloudSleep
    /// The per-project / per-subscription budget; one token per attempt.
    var bucket: TokenBucket?
    /// The source id, for error messages.
    var subject: String
    var token: @Sendable (_ forceRefresh: Bool) async throws -> String
    var invalidate: @Sendable (_ token: String) async -> Void

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 0
        var refreshed = false
        while true {
            attempt += 1
            if let bucket { try await bucket.acquire() }
            let token = try await self.token(refreshed)
            var authorized = request
            authorized.setHeader("Authorization", "Bearer \(token)")
            let response = try await transport(authorized)
            if response.status == 401, !refreshed {
                refreshed = true
                await invalidate(token)
                attempt -= 1
                continue
            }
            guard CloudRetryPolicy.isRetryable(response.status), attempt < retry.maxAttempts else { return response }
            let wait: TimeInterval
            if let after = response.retryAfter {
                guard after <= retry.maxRetryAfter else { return response }
                wait = after
            } else {
                wait = retry.backoff(afterAttempt: attempt)
            }
            try await sleep(wait)
        }
    }

    /// Sends without a token (token endpoints, metadata servers), mapping transport failures.
    static func sendUnauthenticated(_ request: HTTPRequest, http: any HTTPClient, subject: String) async throws -> HTTPResponse {
        try await CloudRequestSender.transport(request, http: http, subject: subject)
    }

    private func transport(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await CloudRequestSender.transport(request, http: http, subject: subject)
    }

    private static func transport(_ request: HTTPRequest, http: any HTTPClient, subject: String) async throws -> HTTPResponse {
        do {
            return try await withDeadline(request.timeout, url: request.url) { try await http.send(request) }
        } catch let error as HTTPTransportError {
            let what = error.code == .timeout
                ? "no answer from \(error.url) within \(DurationText.format(request.timeout)) (timeout)"
                : "cannot reach \(error.url): \(error.detail)"
            throw CloudSourceError(.transport, subject: subject, message: what)
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as CloudSourceError {
            throw error
        } catch {
            throw CloudSourceError(.transport, subject: subject, message: "request to \(request.url.redactedDescription) failed: \(error)")
        }
    }

    /// Races `body` against `seconds`: the request's own timeout is not always enforced by the
    /// transport (URLSession on Linux was seen to wait past it), and a poll must never hang.
    private static func withDeadline(_ seconds: TimeInterval, url: URL,
                                     _ body: @escaping @Sendable () async throws -> HTTPResponse) async throws -> HTTPResponse {
        try await withThrowingTaskGroup(of: HTTPResponse?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000) + 50))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else {
                throw HTTPTransportError(code: .timeout, url: url.redactedDescription, detail: "no response within \(DurationText.format(seconds))")
            }
            return response
        }
    }
}
