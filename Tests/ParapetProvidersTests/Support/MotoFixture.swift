import Foundation
import ParapetCore

@testable import ParapetProviders

/// A moto server plus the calls the tests use to set up IAM, Organizations and S3 in it.
struct MotoFixture {
    let server: MotoServer
    let configuration: AWSConfiguration
    let http: any HTTPClient = URLSessionHTTPClient()

    /// Three unauthenticated actions: CreateUser, PutUserPolicy, CreateAccessKey (see `createAdmin`).
    static let unauthenticatedSetupCalls = 3

    init(server: MotoServer, region: String = "us-east-1") {
        self.server = server
        self.configuration = AWSConfiguration(region: region, endpointURL: server.endpoint, timeout: 10,
                                              retry: AWSRetryPolicy(maxAttempts: 2, baseDelay: 0.05, maxDelay: 0.2))
    }

    func client(_ credentials: AWSCredentials) -> AWSClient {
        AWSClient(http: http, credentials: StaticCredentialProvider(credentials), configuration: configuration)
    }

    static let dummy = AWSCredentials(accessKeyID: "AKIADUMMYDUMMYDUMMY0", secretAccessKey: "dummy-secret")

    static let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#

    /// Creates an IAM user allowed everything, with the first unauthenticated calls, and returns its key.
    func createAdmin(name: String = "parapet-admin") async throws -> AWSCredentials {
        try await createUser(name: name, policy: Self.allowAll, as: Self.dummy)
    }

    func createUser(name: String, policy: String, as credentials: AWSCredentials) async throws -> AWSCredentials {
        _ = try await iam("CreateUser", [("UserName", name)], as: credentials)
        _ = try await iam("PutUserPolicy", [("UserName", name), ("PolicyName", "policy"), ("PolicyDocument", policy)],
                          as: credentials)
        let answer = try await iam("CreateAccessKey", [("UserName", name)], as: credentials)
        let key = try requireText(answer.find("CreateAccessKeyResult", "AccessKey", "AccessKeyId"), "AccessKeyId")
        let secret = try requireText(answer.find("CreateAccessKeyResult", "AccessKey", "SecretAccessKey"), "SecretAccessKey")
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret)
    }

    /// Creates a role whose trust policy admits `principal` (an ARN or `*`); returns its ARN.
    /// `policy`: an inline permissions policy for the role.
    func createRole(name: String, trusting principal: String, policy: String? = nil, as credentials: AWSCredentials) async throws
        -> String
    {
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(principal)"},"Action":"sts:AssumeRole"}]}"#
        let answer = try await iam("CreateRole", [("RoleName", name), ("AssumeRolePolicyDocument", trust)], as: credentials)
        if let policy {
            _ = try await iam("PutRolePolicy", [("RoleName", name), ("PolicyName", "permissions"), ("PolicyDocument", policy)],
                              as: credentials)
        }
        return try requireText(answer.find("CreateRoleResult", "Role", "Arn"), "Role Arn")
    }

    func iam(_ action: String, _ parameters: [(String, String)], as credentials: AWSCredentials) async throws -> AWSXMLElement {
        try await client(credentials).callQuery(service: "iam", region: "us-east-1", action: action, version: "2010-05-08",
                                                parameters: parameters)
    }

    func organizations(_ operation: String, _ payload: JSONValue, as credentials: AWSCredentials) async throws -> JSONValue {
        try await client(credentials).callJSON(service: "organizations", region: "us-east-1",
                                               targetPrefix: OrganizationsDiscovery.targetPrefix, operation: operation,
                                               payload: payload)
    }

    func requireText(_ element: AWSXMLElement?, _ what: String) throws -> String {
        guard let text = element?.text, !text.isEmpty else { throw SuiteError(message: "moto answered without \(what)") }
        return text
    }
}
