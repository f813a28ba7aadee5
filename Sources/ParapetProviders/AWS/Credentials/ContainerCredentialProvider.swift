import Foundation
import ParapetCore

/// ECS/EKS Pod Identity container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// (under http://169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the token from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
public struct ContainerCredentialProvider: AWSCredentialProvider {
    public let url: URL
    private let cache: RefreshingCredentialProvider

    /// Like botocore's container fetcher: each attempt waits `timeout` seconds, and a timeout, a
    /// refused connection or a 5xx answer is tried again, up to `attempts` times with `pause` between.
    /// A 4xx answer (a wrong token) is not retried.
    public init(url: URL, tokenFile: String? = nil, token: String? = nil, http: any HTTPClient, timeout: TimeInterval = 2,
                attempts: Int = 3, pause: Duration = .seconds(1)) {
        self.url = url
        self.cache = RefreshingCredentialProvider {
            var request = HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")], timeout: timeout)
            if let tokenFile {
                guard let data = FileManager.default.contents(atPath: tokenFile) else {
                    throw AWSError(.invalidCredentialSource, "cannot read the container authorization token file \(tokenFile)")
                }
                request.setHeader("Authorization", String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            } else if let token {
                request.setHeader("Authorization", token)
            }
            var attempt = 1
            while true {
                let failure: AWSError
                let response: HTTPResponse?
                var sendError: (any Error)?
                do {
                    response = try await http.send(request)
                } catch {
                    response = nil
                    sendError = error
                }
                if let response {
                    if response.status == 200 {
                        return try AWSCredentials(credentialDocument: response.body, source: "container credentials endpoint")
                    }
                    failure = AWSError(.invalidCredentialSource,
                                       "the container credentials endpoint \(url.redactedDescription) answered HTTP \(response.status)")
                    guard response.status >= 500 else { throw failure }
                } else {
                    failure = AWSError(.unreachable, "the container credentials endpoint \(url.redactedDescription) did not answer "
                                       + "(attempt \(attempt) of \(attempts)): \(sendError.map { "\($0)" } ?? "no answer")")
                }
                guard attempt < attempts else { throw failure }
                attempt += 1
                try await Task.sleep(for: pause)
            }
        }
    }

    /// The provider the environment describes, or nil when neither URI variable is set.
    public static func fromEnvironment(_ environment: [String: String], http: any HTTPClient) throws -> ContainerCredentialProvider? {
        let url: URL
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            guard let built = URL(string: "http://169.254.170.2" + relative) else {
                throw AWSError(.invalidCredentialSource, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid path")
            }
            url = built
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            guard let built = URL(string: full), let host = built.host else {
                throw AWSError(.invalidCredentialSource, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL")
            }
            let allowed: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]", "169.254.170.2", "169.254.170.23",
                                        "fd00:ec2::23", "[fd00:ec2::23]"]
            guard built.scheme == "https" || allowed.contains(host) else {
                throw AWSError(.invalidCredentialSource,
                               "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback/ECS/EKS address, not \(host)")
            }
            url = built
        } else {
            return nil
        }
        return ContainerCredentialProvider(url: url, tokenFile: environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"],
                                           token: environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], http: http)
    }

    public func credentials() async throws -> AWSCredentials { try await cache.credentials() }

    public func invalidate() async { await cache.invalidate() }
}

extension AWSCredentials {
    /// Reads the JSON document the container and instance metadata endpoints serve
    /// (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`).
    init(credentialDocument data: Data, source: String) throws {
        guard let document = try? JSONValue(parsing: data), let key = document["AccessKeyId"]?.stringValue,
              let secret = document["SecretAccessKey"]?.stringValue
        else { throw AWSError(.invalidCredentialSource, "the \(source) answered without AccessKeyId/SecretAccessKey") }
        if let code = document["Code"]?.stringValue, code != "Success" {
            throw AWSError(.invalidCredentialSource, "the \(source) answered Code \(code)")
        }
        self.init(accessKeyID: key, secretAccessKey: secret, sessionToken: document["Token"]?.stringValue,
                  expiration: document["Expiration"]?.stringValue.flatMap(ISO8601.date(from:)))
    }
}
