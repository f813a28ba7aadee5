import Foundation
import ParapetCore

/// Sends signed requests to AWS: endpoint resolution, SigV4, retries with backoff and jitter,
/// rate limiting, and AWS error answers turned into `AWSError`s.
public struct AWSClient: Sendable {
    /// The transport (URLSessionHTTPClient in the daemon).
    public let http: any HTTPClient
    /// Whose credentials sign the requests (the chain, or an assumed role).
    public let credentials: any AWSCredentialProvider
    /// Where the services are.
    public let endpoints: AWSEndpoints

    public init(http: any HTTPClient, credentials: any AWSCredentialProvider, configuration: AWSConfiguration) {
        self.http = http
        self.credentials = credentials
        self.endpoints = configuration.resolver
    }

    public var configuration: AWSConfiguration { endpoints.configuration }

    /// The same client with other credentials (an assumed role).
    public func with(credentials: any AWSCredentialProvider) -> AWSClient {
        AWSClient(http: http, credentials: credentials, configuration: configuration)
    }

    /// Sends `request` signed for `service` in `region`; retries throttling, 5xx and dropped
    /// connections; takes a token from `bucket` before every attempt. Returns a 2xx response
    /// or throws an `AWSError` naming `operation`.
    public func send(_ request: HTTPRequest, service: String, region: String, operation: String, signed: Bool = true,
                     bucket: TokenBucket? = nil) async throws -> HTTPResponse {
        let policy = configuration.retry
        let signer = SigV4Signer(service: service, region: endpoints.signingRegion(for: service, region: region))
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            if let bucket { try await bucket.acquire() }
            var prepared = request
            prepared.timeout = min(request.timeout, configuration.timeout)
            if signed {
                let current = try await credentials.credentials()
                signer.sign(&prepared, credentials: current)
            }
            var failure: AWSError
            var retryAfter: TimeInterval?
            do {
                let response = try await Self.send(prepared, over: http)
                if (200..<300).contains(response.status) { return response }
                failure = AWSErrorResponse.error(from: response, operation: operation, service: service, region: region)
                retryAfter = response.retryAfter
                if let code = failure.awsCode, AWSErrorResponse.expiredCodes.contains(code) { await credentials.invalidate() }
                guard AWSErrorResponse.isRetryable(failure) else { throw failure }
            } catch let error as HTTPTransportError {
                failure = AWSError(.unreachable, "\(operation) on \(service) in \(region) got no answer: \(error.description)"
                                   + " — check the endpoint and the network")
                guard error.code == .connectionFailed || error.code == .timeout else { throw failure }
            }
            guard attempt < policy.maxAttempts else {
                if failure.code == .throttled || failure.awsCode.map(AWSRetryPolicy.throttlingCodes.contains) == true {
                    throw AWSError(.throttled, "\(operation) on \(service) in \(region) was still throttled after \(attempt) attempts"
                                   + " — the next poll will try again", awsCode: failure.awsCode, status: failure.status)
                }
                throw failure
            }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter)
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
    }

    /// Sends with a hard deadline of the request's timeout, whatever the transport does with it.
    static func send(_ request: HTTPRequest, over http: any HTTPClient) async throws -> HTTPResponse {
        try await withThrowingTaskGroup(of: HTTPResponse?.self) { group in
            group.addTask { try await http.send(request) }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(request.timeout * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else {
                throw HTTPTransportError(code: .timeout, url: request.url.redactedDescription,
                                         detail: "no answer within \(request.timeout) seconds")
            }
            return response
        }
    }

    /// Calls a JSON 1.1 API (`X-Amz-Target: prefix.Operation`) and parses the answer.
    public func callJSON(service: String, region: String, targetPrefix: String, operation: String, payload: JSONValue,
                         bucket: TokenBucket? = nil) async throws -> JSONValue {
        let base = try endpoints.url(for: service, region: region)
        let request = HTTPRequest(
            method: "POST", url: base,
            headers: [("X-Amz-Target", "\(targetPrefix).\(operation)"), ("Content-Type", "application/x-amz-json-1.1")],
            body: Data(payload.serialized().utf8), timeout: configuration.timeout)
        let response = try await send(request, service: service, region: region, operation: operation, bucket: bucket)
        if response.body.isEmpty { return .object([:]) }
        do {
            return try JSONValue(parsing: response.body)
        } catch {
            throw AWSError(.malformedResponse, "\(operation) on \(service) in \(region) answered with malformed JSON: \(error)")
        }
    }

    /// Calls a Query API (form-encoded POST, XML answer), e.g. STS or IAM.
    public func callQuery(service: String, region: String, action: String, version: String, parameters: [(String, String)],
                          signed: Bool = true) async throws -> AWSXMLElement {
        let base = try endpoints.url(for: service, region: region)
        let body = AWSURIEncoding.formBody([("Action", action), ("Version", version)] + parameters)
        let request = HTTPRequest(method: "POST", url: base,
                                  headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                  body: body, timeout: configuration.timeout)
        let response = try await send(request, service: service, region: region, operation: action, signed: signed)
        return try AWSXMLElement.parse(response.body, context: "\(action) on \(service) in \(region)")
    }
}
