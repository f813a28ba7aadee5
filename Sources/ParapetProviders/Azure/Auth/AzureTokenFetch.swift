import Foundation
import ParapetCore

/// One token request to Entra ID or IMDS.
struct AzureTokenFetch: Sendable {
    var configuration: AzureConfiguration
    var http: any HTTPClient
    let subject = "azure credentials"

    func fetch(_ method: AzureTokenProvider.Method, now: Date) async throws -> OAuthAccessToken {
        switch method {
        case .managedIdentity: return try await managedIdentity(now: now)
        case .clientSecret:
            let (tenant, clientID, endpoint) = try principal()
            let path = configuration.clientSecretFile!
            let secret: String
            do {
                secret = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw CloudSourceError(.credentials, subject: subject, message: "client secret file \(path) cannot be read (\((error as NSError).localizedDescription))")
            }
            guard !secret.isEmpty else {
                throw CloudSourceError(.credentials, subject: subject, message: "client secret file \(path) is empty")
            }
            return try await exchange(endpoint: endpoint, tenant: tenant, clientID: clientID, now: now, credential: [("client_secret", secret)],
                                      what: "client secret from \(path)")
        case .certificate:
            let (tenant, clientID, endpoint) = try principal()
            let certificate = try AzureCertificateCredential.load(path: configuration.certificateFile!)
            let assertion = try certificate.assertion(clientID: clientID, tokenEndpoint: endpoint, now: now)
            return try await exchange(endpoint: endpoint, tenant: tenant, clientID: clientID, now: now, credential: [
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", assertion),
            ], what: "certificate \(certificate.file) (x5t \(certificate.thumbprint))")
        }
    }

    private func principal() throws -> (tenant: String, clientID: String, endpoint: URL) {
        guard let tenant = configuration.tenant, !tenant.isEmpty else {
            throw CloudSourceError(.configuration, subject: subject, message: "azure.tenant is required with a client secret or certificate")
        }
        guard let clientID = configuration.clientID, !clientID.isEmpty else {
            throw CloudSourceError(.configuration, subject: subject, message: "azure.client_id is required with a client secret or certificate")
        }
        let escaped = tenant.addingPercentEncoding(withAllowedCharacters: OAuthForm.unreserved) ?? tenant
        return (tenant, clientID, configuration.endpoints.login.appendingAPIPath("/\(escaped)/oauth2/v2.0/token"))
    }

    /// `POST {login}/{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials`.
    private func exchange(endpoint: URL, tenant: String, clientID: String, now: Date, credential: [(String, String)],
                          what: String) async throws -> OAuthAccessToken {
        let fields = [("grant_type", "client_credentials"), ("client_id", clientID), ("scope", configuration.scope)] + credential
        let request = HTTPRequest(method: "POST", url: endpoint, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                  body: OAuthForm.encode(fields), timeout: configuration.timeout)
        let response = try await CloudRequestSender.sendUnauthenticated(request, http: http, subject: subject)
        guard response.status == 200 else {
            throw CloudSourceError(
                .authentication, subject: subject,
                message: "Entra ID refused client \(clientID) in tenant \(tenant) (\(what)) with \(response.status): \(CloudErrorBody.summary(response.body)); check that the credential is current and belongs to this application",
                status: response.status)
        }
        guard let token = OAuthAccessToken.parse(response.body, receivedAt: now) else {
            throw CloudSourceError(.malformedResponse, subject: subject, message: "the token response from \(endpoint.absoluteString) has no access_token")
        }
        return token
    }

    /// `GET {imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with `Metadata: true`.
    private func managedIdentity(now: Date) async throws -> OAuthAccessToken {
        var components = URLComponents(url: configuration.endpoints.imds.appendingAPIPath("/metadata/identity/oauth2/token"), resolvingAgainstBaseURL: false)!
        var query = [URLQueryItem(name: "api-version", value: "2018-02-01"), URLQueryItem(name: "resource", value: configuration.resource)]
        if let clientID = configuration.clientID { query.append(URLQueryItem(name: "client_id", value: clientID)) }
        components.queryItems = query
        let request = HTTPRequest(url: components.url!, headers: [("Metadata", "true")], timeout: configuration.timeout)
        let response = try await CloudRequestSender.sendUnauthenticated(request, http: http, subject: "azure managed identity")
        guard response.status == 200 else {
            throw CloudSourceError(
                .authentication, subject: "azure managed identity",
                message: "IMDS answered \(response.status): \(CloudErrorBody.summary(response.body)); without client_secret_file or certificate_file Parapet needs a managed identity on this host",
                status: response.status)
        }
        guard let token = OAuthAccessToken.parse(response.body, receivedAt: now) else {
            throw CloudSourceError(.malformedResponse, subject: "azure managed identity", message: "the IMDS token response has no access_token")
        }
        return token
    }
}
