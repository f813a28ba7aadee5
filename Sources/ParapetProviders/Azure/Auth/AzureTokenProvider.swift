import Foundation
import ParapetCore

/// Access tokens for Azure Resource Manager: the client-credentials grant with a secret (read
/// from a file) or a certificate (a signed client assertion), or the host's managed identity
/// through IMDS. A token is reused until 5 minutes before it expires; concurrent callers share
/// one fetch.
public actor AzureTokenProvider {
    /// Which credential the configuration selects.
    public enum Method: String, Sendable {
        case clientSecret, certificate, managedIdentity
    }

    private let configuration: AzureConfiguration
    private let shared: SharedAccessToken

    public init(configuration: AzureConfiguration, http: any HTTPClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        let method = AzureTokenProvider.method(of: configuration)
        shared = SharedAccessToken(margin: 300, now: now) { now in
            try await AzureTokenFetch(configuration: configuration, http: http).fetch(method, now: now)
        }
    }

    /// A certificate wins over a secret; with neither, the managed identity.
    public nonisolated var method: Method { AzureTokenProvider.method(of: configuration) }

    private static func method(of configuration: AzureConfiguration) -> Method {
        if configuration.certificateFile != nil { return .certificate }
        if configuration.clientSecretFile != nil { return .clientSecret }
        return .managedIdentity
    }

    /// A valid access token; `forceRefresh` skips the cache.
    public func token(forceRefresh: Bool = false) async throws -> String {
        try await shared.token(forceRefresh: forceRefresh)
    }

    /// Forgets `token` after the API refused it (401).
    public func invalidate(_ token: String) async {
        await shared.invalidate(token)
    }
}
