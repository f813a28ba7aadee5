import Foundation

/// The `aws:` block of the configuration.
public struct AWSConfiguration: Sendable, Hashable {
    /// Default region for STS, S3 and discovery (`aws.region`).
    public var region: String
    /// One endpoint for every service (`aws.endpoint_url`), e.g. a local emulator. S3 is then
    /// addressed path-style.
    public var endpointURL: URL?
    /// Per-service endpoints (`aws.endpoints.{s3,sts,organizations,cloudtrail}`); win over `endpointURL`.
    public var endpoints: [String: URL]
    /// Named profile of the shared config/credentials files (`aws.credentials.profile`); nil:
    /// `AWS_PROFILE` or `default`.
    public var profile: String?
    /// Per-request timeout in seconds (`aws.timeout`). Never infinite.
    public var timeout: TimeInterval
    public var retry: AWSRetryPolicy

    public init(region: String = "us-east-1", endpointURL: URL? = nil, endpoints: [String: URL] = [:], profile: String? = nil,
                timeout: TimeInterval = 30, retry: AWSRetryPolicy = AWSRetryPolicy()) {
        self.region = region
        self.endpointURL = endpointURL
        self.endpoints = endpoints
        self.profile = profile
        self.timeout = timeout > 0 && timeout.isFinite ? timeout : 30
        self.retry = retry
    }

    /// The resolver for these settings.
    public var resolver: AWSEndpoints { AWSEndpoints(configuration: self) }
}
