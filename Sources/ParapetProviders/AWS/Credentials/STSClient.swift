import Foundation
import ParapetCore

/// The three STS actions Parapet needs (Query API, XML answers).
public struct STSClient: Sendable {
    public let client: AWSClient
    public let region: String
    static let version = "2011-06-15"

    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region ?? client.configuration.region
    }

    /// `AssumeRole` with the client's credentials. A role that cannot be assumed throws an
    /// `AWSError` carrying AWS's code and message.
    public func assumeRole(roleARN: String, sessionName: String, externalID: String? = nil,
                           duration: TimeInterval = 3600) async throws -> AWSCredentials {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName),
                          ("DurationSeconds", String(Int(duration)))]
        if let externalID { parameters.append(("ExternalId", externalID)) }
        let answer: AWSXMLElement
        do {
            answer = try await client.callQuery(service: "sts", region: region, action: "AssumeRole", version: Self.version,
                                                parameters: parameters)
        } catch var error as AWSError {
            error.message = "cannot assume \(roleARN): " + error.message
            throw error
        }
        return try Self.credentials(in: answer, result: "AssumeRoleResult", action: "AssumeRole \(roleARN)")
    }

    /// `AssumeRoleWithWebIdentity` (unsigned: the token is the proof).
    public func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, token: String,
                                          duration: TimeInterval = 3600) async throws -> AWSCredentials {
        let answer = try await client.callQuery(
            service: "sts", region: region, action: "AssumeRoleWithWebIdentity", version: Self.version,
            parameters: [("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", token),
                         ("DurationSeconds", String(Int(duration)))],
            signed: false)
        return try Self.credentials(in: answer, result: "AssumeRoleWithWebIdentityResult",
                                    action: "AssumeRoleWithWebIdentity \(roleARN)")
    }

    /// `GetCallerIdentity`: the account and ARN the credentials belong to.
    public func callerIdentity() async throws -> (account: String, arn: String) {
        let answer = try await client.callQuery(service: "sts", region: region, action: "GetCallerIdentity",
                                                version: Self.version, parameters: [])
        guard let result = answer.child("GetCallerIdentityResult"), let account = result.child("Account")?.text,
              let arn = result.child("Arn")?.text
        else { throw AWSError(.malformedResponse, "GetCallerIdentity answered without Account/Arn") }
        return (account, arn)
    }

    static func credentials(in answer: AWSXMLElement, result: String, action: String) throws -> AWSCredentials {
        guard let credentials = answer.find(result, "Credentials"),
              let key = credentials.child("AccessKeyId")?.text, !key.isEmpty,
              let secret = credentials.child("SecretAccessKey")?.text, !secret.isEmpty
        else { throw AWSError(.malformedResponse, "\(action) answered without Credentials/AccessKeyId/SecretAccessKey") }
        let token = credentials.child("SessionToken")?.text
        let expiration = credentials.child("Expiration").flatMap { ISO8601.date(from: $0.text) }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}
