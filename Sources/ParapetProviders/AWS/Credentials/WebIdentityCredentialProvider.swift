import Foundation

/// `AssumeRoleWithWebIdentity` with the token in a file (EKS IRSA, GitHub OIDC…):
/// `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`. The file is read
/// again at every refresh (the token rotates).
public struct WebIdentityCredentialProvider: AWSCredentialProvider {
    private let cache: RefreshingCredentialProvider

    public init(roleARN: String, tokenFile: String, sessionName: String = "parapet", client: AWSClient) {
        let sts = STSClient(client: client)
        self.cache = RefreshingCredentialProvider {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw AWSError(.invalidCredentialSource, "cannot read the web identity token file \(tokenFile)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw AWSError(.invalidCredentialSource, "the web identity token file \(tokenFile) is empty")
            }
            return try await sts.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: sessionName, token: token)
        }
    }

    /// The provider the environment describes, or nil when `AWS_WEB_IDENTITY_TOKEN_FILE`/`AWS_ROLE_ARN` are not set.
    public static func fromEnvironment(_ environment: [String: String], client: AWSClient) -> WebIdentityCredentialProvider? {
        guard let file = environment["AWS_WEB_IDENTITY_TOKEN_FILE"], !file.isEmpty,
              let role = environment["AWS_ROLE_ARN"], !role.isEmpty
        else { return nil }
        return WebIdentityCredentialProvider(roleARN: role, tokenFile: file,
                                             sessionName: environment["AWS_ROLE_SESSION_NAME"] ?? "parapet", client: client)
    }

    public func credentials() async throws -> AWSCredentials { try await cache.credentials() }

    public func invalidate() async { await cache.invalidate() }
}
