import Foundation

/// What went wrong talking to GCP or Azure: a small code, the source or credential it concerns,
/// and a sentence saying what happened and what to do. Never carries a secret.
public struct CloudSourceError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Code: String, Sendable, Hashable {
        /// A configuration value is missing or unusable.
        case configuration
        /// A credentials file (key file, secret, certificate) cannot be read or is invalid.
        case credentials
        /// The token endpoint refused the credentials, or the API refused the token.
        case authentication
        /// The principal may not read this project or subscription, or the API is disabled.
        case permission
        case notFound
        /// Throttled (429) beyond what the poll retries; `retryAfter` says when to come back.
        case throttled
        /// 5xx after the poll's retries.
        case server
        /// Another 4xx the source cannot recover from.
        case badRequest
        /// The connection failed or timed out.
        case transport
        /// The response was not the documented shape.
        case malformedResponse
        /// A paging link pointed at a host other than the configured endpoint.
        case untrustedLink
    }

    public var code: Code
    /// The source id (`gcp/my-project/audit`) or credential (`gcp credentials`) concerned.
    public var subject: String
    public var message: String
    /// For `.throttled`: how long the provider asked us to wait.
    public var retryAfter: TimeInterval?
    /// The HTTP status that caused it, when there was one.
    public var status: Int?

    public init(_ code: Code, subject: String, message: String, retryAfter: TimeInterval? = nil, status: Int? = nil) {
        self.code = code
        self.subject = subject
        self.message = message
        self.retryAfter = retryAfter
        self.status = status
    }

    public var description: String { "\(subject): \(message)" }
}
