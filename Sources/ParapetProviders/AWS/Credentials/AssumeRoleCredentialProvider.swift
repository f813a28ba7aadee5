import Foundation

/// Credentials of an assumed role (an account's audit role), cached and refreshed before they
/// expire.
public struct AssumeRoleCredentialProvider: AWSCredentialProvider {
    /// How to assume the role (`source.role_arn`, `external_id`, session name, duration).
    public struct Configuration: Sendable, Hashable {
        public var roleARN: String
        public var externalID: String?
        public var sessionName: String
        /// Seconds; STS accepts 900 to the role's maximum (default 3600).
        public var duration: TimeInterval

        public init(roleARN: String, externalID: String? = nil, sessionName: String = "parapet-audit",
                    duration: TimeInterval = 3600) {
            self.roleARN = roleARN
            self.externalID = externalID
            self.sessionName = sessionName
            self.duration = min(max(duration, 900), 43200)
        }
    }

    public let configuration: Configuration
    private let cache: RefreshingCredentialProvider

    /// `base` is the client whose credentials call STS (the chain's or another role's).
    public init(configuration: Configuration, base: AWSClient, stsRegion: String? = nil) {
        self.configuration = configuration
        let sts = STSClient(client: base, region: stsRegion)
        self.cache = RefreshingCredentialProvider {
            try await sts.assumeRole(roleARN: configuration.roleARN, sessionName: configuration.sessionName,
                                     externalID: configuration.externalID, duration: configuration.duration)
        }
    }

    public func credentials() async throws -> AWSCredentials { try await cache.credentials() }

    public func invalidate() async { await cache.invalidate() }
}
