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
    private let http: any HTTPClient
    private let now: @Sendable () -> Date
    private var cache = OAuthTokenCache(margin: 300)
    private var inFlight: Task<OAuthAccessToken, any Error>?

    public init(configuration: AzureConfiguration, http: any HTTPClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.http = http
        self.now = now
    }

    /// A certificate wins over a secret; with neither, the managed identity.
    public nonisolated var method: Method {
        if configuration.certificateFile != nil { return .certificate }
        if configuration.clientSecretFile != nil { return .clientSecret }
        return .managedIdentity
    }

    /// A valid access token; `forceRefresh` skips the cache.
    public func token(forceRefresh: Bool = false) async throws -> String {
        if !forceRefresh, let cached = cache.usable(at: now()) { return cached.value }
        if let inFlight { return try await inFlight.value.value }
        let task = Task { [configuration, http, now, method] in
            try await AzureTokenFetch(configuration: configuration, http: http).fetch(method, now: now())
        }
        inFlight = task
        defer { inFlight = nil }
        let token = try await task.value
        cache.store(token)
        return token.value
    }

    /// Forgets `token` after the API refused it (401).
    public func invalidate(_ token: String) {
        cache.invalidate(token)
    }
}
