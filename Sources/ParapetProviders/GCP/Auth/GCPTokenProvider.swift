import Foundation
import ParapetCore

/// Access tokens for Google APIs: from a service-account key (an RS256 JWT exchanged at the key
/// file's `token_uri`) or, without a key file, from the metadata server. A token is reused until
/// 60 s before it expires; concurrent callers share one fetch.
public actor GCPTokenProvider {
    private let shared: SharedAccessToken

    public init(configuration: GCPConfiguration, http: any HTTPClient, now: @escaping @Sendable () -> Date = { Date() }) {
        shared = SharedAccessToken(margin: 60, now: now) { now in
            try await GCPTokenProvider.fetch(configuration: configuration, http: http, now: now)
        }
    }

    /// A valid access token; `forceRefresh` skips the cache.
    public func token(forceRefresh: Bool = false) async throws -> String {
        try await shared.token(forceRefresh: forceRefresh)
    }

    /// Forgets `token` after the API refused it (401).
    public func invalidate(_ token: String) async {
        await shared.invalidate(token)
    }

    static func fetch(configuration: GCPConfiguration, http: any HTTPClient, now: Date) async throws -> OAuthAccessToken {
        if let file = configuration.credentialsFile {
            let key = try GCPServiceAccountKey.load(path: file)
            return try await GCPServiceAccountExchange(key: key, scopes: configuration.scopes, timeout: configuration.timeout)
                .token(http: http, now: now)
        }
        return try await metadataToken(configuration: configuration, http: http, now: now)
    }

    /// `GET {metadata}/computeMetadata/v1/instance/service-accounts/default/token` with
    /// `Metadata-Flavor: Google`.
    static func metadataToken(configuration: GCPConfiguration, http: any HTTPClient, now: Date) async throws -> OAuthAccessToken {
        let subject = "gcp metadata server"
        var components = URLComponents(
            url: configuration.endpoints.metadata.appendingAPIPath("/computeMetadata/v1/instance/service-accounts/default/token"),
            resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "scopes", value: configuration.scopes.joined(separator: ","))]
        let request = HTTPRequest(url: components.url!, headers: [("Metadata-Flavor", "Google")], timeout: configuration.timeout)
        let response = try await CloudRequestSender.sendUnauthenticated(request, http: http, subject: subject)
        guard response.status == 200 else {
            throw CloudSourceError(.authentication, subject: subject,
                                   message: "token request answered \(response.status): \(CloudErrorBody.summary(response.body)); without credentials_file Parapet needs a GCE/GKE service account",
                                   status: response.status)
        }
        guard response.header("metadata-flavor")?.lowercased() == "google" else {
            throw CloudSourceError(.authentication, subject: subject,
                                   message: "the answer from \(configuration.endpoints.metadata.absoluteString) lacks 'Metadata-Flavor: Google'; it is not a GCP metadata server")
        }
        guard let token = OAuthAccessToken.parse(response.body, receivedAt: now) else {
            throw CloudSourceError(.malformedResponse, subject: subject, message: "the token response has no access_token")
        }
        return token
    }
}
