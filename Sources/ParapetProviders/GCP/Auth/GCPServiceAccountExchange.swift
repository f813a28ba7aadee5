import Foundation
import ParapetCore

/// The OAuth 2.0 JWT-bearer grant for a service account: an RS256 assertion (`iss` the
/// service account, `scope`, `aud` = `token_uri`, one hour) posted to the key file's `token_uri`.
struct GCPServiceAccountExchange: Sendable {
    var key: GCPServiceAccountKey
    var scopes: [String]
    var timeout: TimeInterval

    static let grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"

    func assertion(now: Date) throws -> String {
        let issued = Int64(now.timeIntervalSince1970)
        let claims: JSONObject = [
            "iss": .string(key.clientEmail),
            "scope": .string(scopes.joined(separator: " ")),
            "aud": .string(key.tokenURI.absoluteString),
            "iat": .number(Double(issued)),
            "exp": .number(Double(issued + 3600)),
        ]
        var header: JSONObject = [:]
        if let kid = key.privateKeyID { header["kid"] = .string(kid) }
        do {
            return try OAuthJWT.sign(claims: claims, extraHeader: header, key: key.privateKey)
        } catch {
            throw GCPServiceAccountKey.failure(key.file, "field 'private_key' cannot sign (\(error))")
        }
    }

    func token(http: any HTTPClient, now: Date) async throws -> OAuthAccessToken {
        let subject = "gcp credentials"
        let body = OAuthForm.encode([("grant_type", Self.grantType), ("assertion", try assertion(now: now))])
        let request = HTTPRequest(method: "POST", url: key.tokenURI,
                                  headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body, timeout: timeout)
        let response = try await CloudRequestSender.sendUnauthenticated(request, http: http, subject: subject)
        guard response.status == 200 else {
            throw CloudSourceError(
                .authentication, subject: subject,
                message: "\(key.tokenURI.absoluteString) refused the service account \(key.clientEmail) (key file \(key.file), key id \(key.privateKeyID ?? "none")) with \(response.status): \(CloudErrorBody.summary(response.body)); the key may be disabled or deleted — create a new key",
                status: response.status)
        }
        guard let token = OAuthAccessToken.parse(response.body, receivedAt: now) else {
            throw CloudSourceError(.malformedResponse, subject: subject, message: "the token response from \(key.tokenURI.absoluteString) has no access_token")
        }
        return token
    }
}
