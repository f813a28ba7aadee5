import Foundation

/// Everything that goes wrong talking to AWS: what happened, where, and what to do. Never
/// carries a secret (credentials are redacted before any message is built).
public struct AWSError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Code: String, Sendable, Hashable {
        /// No provider in the chain had credentials.
        case noCredentials
        /// A credentials/config file, token file or metadata answer could not be read.
        case invalidCredentialSource
        /// AWS refused the request (the AWS error code is in `awsCode`).
        case serviceError
        /// Throttled until the retry budget of one poll ran out.
        case throttled
        /// The endpoint did not answer, timed out or the connection failed.
        case unreachable
        /// The response could not be understood (malformed XML/JSON, missing element).
        case malformedResponse
        /// The configuration is unusable (unknown region, bad endpoint URL, bad role ARN).
        case invalidConfiguration
        /// A stored cursor could not be read.
        case invalidCursor
    }

    public var code: Code
    /// The AWS error code (`AccessDenied`, `SignatureDoesNotMatch`, `ThrottlingException`…), if any.
    public var awsCode: String?
    /// A sentence saying what happened, where, and what to do.
    public var message: String
    /// The HTTP status, when there was a response.
    public var status: Int?

    public init(_ code: Code, _ message: String, awsCode: String? = nil, status: Int? = nil) {
        self.code = code
        self.message = message
        self.awsCode = awsCode
        self.status = status
    }

    public var description: String {
        var text = message
        if let awsCode { text += " [\(awsCode)\(status.map { ", HTTP \($0)" } ?? "")]" }
        return text
    }
}
