import Foundation
import ParapetCore

/// EC2 instance profile credentials through IMDSv2: `PUT /latest/api/token`, then
/// `GET /latest/meta-data/iam/security-credentials/[ROLE]` with `X-aws-ec2-metadata-token`.
public struct InstanceMetadataCredentialProvider: AWSCredentialProvider {
    public let endpoint: URL
    private let cache: RefreshingCredentialProvider

    /// `endpoint`: `AWS_EC2_METADATA_SERVICE_ENDPOINT` or http://169.254.169.254. Short timeouts:
    /// off EC2 nothing answers.
    public init(endpoint: URL = URL(string: "http://169.254.169.254")!, http: any HTTPClient, timeout: TimeInterval = 1) {
        self.endpoint = endpoint
        self.cache = RefreshingCredentialProvider {
            func call(_ method: String, _ path: String, _ headers: [(name: String, value: String)]) async throws -> Data {
                let url = endpoint.appendingPathComponent(path)
                let response: HTTPResponse
                do {
                    response = try await http.send(HTTPRequest(method: method, url: url, headers: headers, timeout: timeout))
                } catch {
                    throw AWSError(.noCredentials, "the EC2 instance metadata service at \(endpoint.absoluteString) did not answer")
                }
                guard response.status == 200 else {
                    throw AWSError(.invalidCredentialSource,
                                   "the EC2 instance metadata service answered HTTP \(response.status) to \(method) /\(path)")
                }
                return response.body
            }
            let token = String(decoding: try await call("PUT", "latest/api/token", [("X-aws-ec2-metadata-token-ttl-seconds", "21600")]),
                               as: UTF8.self)
            let auth = [(name: "X-aws-ec2-metadata-token", value: token)]
            let roles = String(decoding: try await call("GET", "latest/meta-data/iam/security-credentials/", auth), as: UTF8.self)
            guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
                throw AWSError(.noCredentials, "the EC2 instance has no instance profile role")
            }
            let document = try await call("GET", "latest/meta-data/iam/security-credentials/\(role)", auth)
            return try AWSCredentials(credentialDocument: document, source: "EC2 instance metadata service")
        }
    }

    public func credentials() async throws -> AWSCredentials { try await cache.credentials() }

    public func invalidate() async { await cache.invalidate() }
}
