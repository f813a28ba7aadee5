import Foundation
import Logging
import ParapetCore
import ParapetProviders

/// What every source of a provider shares: one HTTP client, one AWS base client with the
/// default credential chain, one token provider per cloud (one token cache), and one registry of
/// request budgets (AWS account-region, GCP project, Azure subscription).
public struct ProviderClients: Sendable {
    public let http: any HTTPClient
    public let buckets: TokenBucketRegistry
    public let aws: AWSClient
    public let gcp: GCPConfiguration
    public let gcpTokens: GCPTokenProvider
    public let azure: AzureConfiguration
    public let azureTokens: AzureTokenProvider

    /// The runtime of GCP or Azure sources: this HTTP client and token buckets, the real clock,
    /// and the provider's logger label.
    public func cloudRuntime(_ provider: Provider) -> CloudRuntime {
        CloudRuntime(http: http, buckets: buckets, logger: Logger(label: "parapet.providers.\(provider.rawValue)"))
    }

    public init(configuration: ParapetConfiguration, http: any HTTPClient = URLSessionHTTPClient()) {
        self.http = http
        buckets = TokenBucketRegistry()
        let awsConfiguration = AWSConfiguration(
            region: configuration.aws.region, endpointURL: configuration.aws.endpointURL, endpoints: configuration.aws.endpoints,
            profile: configuration.aws.profile, timeout: configuration.aws.timeout)
        aws = AWSClient(http: http, credentials: DefaultCredentialChain(configuration: awsConfiguration, http: http), configuration: awsConfiguration)
        var gcpEndpoints = GCPConfiguration.Endpoints()
        if let url = configuration.gcp.endpoints["logging"] { gcpEndpoints.logging = url }
        if let url = configuration.gcp.endpoints["metadata"] { gcpEndpoints.metadata = url }
        if let url = configuration.gcp.endpoints["resourcemanager"] { gcpEndpoints.resourceManager = url }
        gcp = GCPConfiguration(credentialsFile: configuration.gcp.credentialsFile, endpoints: gcpEndpoints)
        gcpTokens = GCPTokenProvider(configuration: gcp, http: http)
        var azureEndpoints = AzureConfiguration.Endpoints()
        if let url = configuration.azure.endpoints["management"] { azureEndpoints.management = url }
        if let url = configuration.azure.endpoints["login"] { azureEndpoints.login = url }
        if let url = configuration.azure.endpoints["imds"] { azureEndpoints.imds = url }
        azure = AzureConfiguration(
            tenant: configuration.azure.tenant, clientID: configuration.azure.clientID,
            clientSecretFile: configuration.azure.clientSecretFile, certificateFile: configuration.azure.certificateFile,
            endpoints: azureEndpoints)
        azureTokens = AzureTokenProvider(configuration: azure, http: http)
    }

    /// The AWS client for one account: through its audit role when one is given.
    func awsClient(roleARN: String?, externalID: String?, sessionName: String?, duration: TimeInterval?) -> AWSClient {
        guard let roleARN else { return aws }
        let role = AssumeRoleCredentialProvider(
            configuration: .init(roleARN: roleARN, externalID: externalID, sessionName: sessionName ?? "parapet-audit",
                                 duration: duration ?? 3600),
            base: aws)
        return aws.with(credentials: role)
    }
}
