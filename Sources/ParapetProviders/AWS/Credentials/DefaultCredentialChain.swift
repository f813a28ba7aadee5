import Foundation
import ParapetCore

/// The usual chain: environment variables, the named profile of the shared files, a web
/// identity token file, container credentials, EC2 instance metadata. The first source that
/// is configured is used from then on; a configured source that fails is an error (the chain
/// does not silently fall through to another identity).
public actor DefaultCredentialChain: AWSCredentialProvider {
    private let environment: [String: String]
    private let http: any HTTPClient
    private let configuration: AWSConfiguration
    private var chosen: (any AWSCredentialProvider)?

    public init(configuration: AWSConfiguration, http: any HTTPClient,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        self.http = http
        self.configuration = configuration
    }

    public func credentials() async throws -> AWSCredentials {
        if let chosen { return try await chosen.credentials() }
        let provider = try resolve()
        chosen = provider
        return try await provider.credentials()
    }

    public func invalidate() async { await chosen?.invalidate() }

    /// Picks the first configured source.
    func resolve() throws -> any AWSCredentialProvider {
        let environmentProvider = EnvironmentCredentialProvider(environment: environment)
        if environmentProvider.isConfigured { return environmentProvider }
        let location = ProfileCredentialProvider.Location(profile: configuration.profile, environment: environment)
        if let profile = try ProfileCredentialProvider.resolve(location, http: http, configuration: configuration) {
            return profile
        }
        if configuration.profile != nil {
            throw AWSError(.invalidCredentialSource,
                           "profile '\(location.profile)' is not in \(location.credentialsFile) or \(location.configFile)")
        }
        let unsigned = AWSClient(http: http, credentials: StaticCredentialProvider(.anonymous), configuration: configuration)
        if let webIdentity = WebIdentityCredentialProvider.fromEnvironment(environment, client: unsigned) { return webIdentity }
        if let container = try ContainerCredentialProvider.fromEnvironment(environment, http: http) { return container }
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
            throw AWSError(.noCredentials,
                           "no AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, a web identity token"
                           + " file or container credentials")
        }
        let endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap(URL.init(string:))
            ?? URL(string: "http://169.254.169.254")!
        // As in the AWS SDKs: a short timeout off EC2, `AWS_METADATA_SERVICE_TIMEOUT` seconds to override.
        let timeout = environment["AWS_METADATA_SERVICE_TIMEOUT"].flatMap(TimeInterval.init).flatMap { $0 > 0 ? $0 : nil } ?? 1
        return InstanceMetadataCredentialProvider(endpoint: endpoint, http: http, timeout: timeout)
    }
}
