import Foundation
import ParapetCore
import Testing

@testable import ParapetProviders

/// Parapet's SigV4 against a real verifier: moto_server with signature checking on, and STS
/// AssumeRole / AssumeRoleWithWebIdentity / profiles against it.
@Suite struct MotoSignatureAndSTSTests {
    @Test func parapetsSignaturesPassAndWrongOnesAreRejected() async throws {
        try await MotoServer.with(noAuthCount: MotoFixture.unauthenticatedSetupCalls) { server in
            // Given an IAM user created with the first (unauthenticated) calls
            let moto = MotoFixture(server: server)
            let admin = try await moto.createAdmin()

            // When Parapet signs with the real key, Then moto accepts Query, JSON and S3 calls
            let identity = try await STSClient(client: moto.client(admin)).callerIdentity()
            #expect(identity.arn.hasSuffix(":user/parapet-admin"))
            let users = try await moto.iam("ListUsers", [], as: admin)
            #expect(users.descendant("UserName")?.text == "parapet-admin")
            let s3 = S3Client(client: moto.client(admin), region: "us-east-1")
            try await s3.createBucket("signature-check")
            // (moto's S3 verifier mis-handles `/` in query values and spaces or `+` in keys, boto3's requests
            // included, so these S3 calls stay within what it can check.)
            try await s3.put(bucket: "signature-check", key: "AWSLogs/111122223333/file.json", body: Data("{}".utf8))
            let listing = try await s3.list(bucket: "signature-check", prefix: "AWSLogs")
            #expect(listing.keys == ["AWSLogs/111122223333/file.json"])
            let object = try await s3.get(bucket: "signature-check", key: "AWSLogs/111122223333/file.json")
            #expect(object == Data("{}".utf8))

            // And a wrong secret is refused as a bad signature, on IAM and on S3
            let wrongSecret = AWSCredentials(accessKeyID: admin.accessKeyID, secretAccessKey: "not-the-secret")
            let iamError = await #expect(throws: AWSError.self) { try await moto.iam("ListUsers", [], as: wrongSecret) }
            #expect(iamError?.awsCode == "SignatureDoesNotMatch")
            #expect(iamError?.status == 403)
            let s3Error = await #expect(throws: AWSError.self) {
                try await S3Client(client: moto.client(wrongSecret), region: "us-east-1").list(bucket: "signature-check", prefix: "")
            }
            #expect(s3Error?.awsCode == "SignatureDoesNotMatch")

            // And an unknown access key is refused as such
            let unknown = AWSCredentials(accessKeyID: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: admin.secretAccessKey)
            let unknownError = await #expect(throws: AWSError.self) { try await moto.iam("ListUsers", [], as: unknown) }
            #expect(unknownError?.awsCode == "InvalidClientTokenId")

            // And no message carries the secret
            for error in [iamError, s3Error, unknownError].compactMap({ $0 }) {
                #expect(!"\(error)".contains(admin.secretAccessKey))
                #expect(!"\(error)".contains("not-the-secret"))
            }
        }
    }

    @Test func anAuditRoleIsAssumedCachedAndAnUntrustedRoleFailsWithAWSsCode() async throws {
        try await MotoServer.with(noAuthCount: MotoFixture.unauthenticatedSetupCalls) { server in
            // Given an admin user, a role that trusts it and a role that trusts another account only
            let moto = MotoFixture(server: server)
            let admin = try await moto.createAdmin()
            let adminARN = try await STSClient(client: moto.client(admin)).callerIdentity().arn
            let audit = try await moto.createRole(name: "ParapetAudit", trusting: adminARN, as: admin)
            let foreign = try await moto.createRole(name: "NotForParapet", trusting: "arn:aws:iam::999999999999:root", as: admin)

            // When the audit role is assumed
            let provider = AssumeRoleCredentialProvider(
                configuration: .init(roleARN: audit, externalID: "ext-123", sessionName: "parapet-test", duration: 900),
                base: moto.client(admin))
            let first = try await provider.credentials()
            let second = try await provider.credentials()

            // Then the session credentials work (signed with the session token) and are cached
            #expect(first.sessionToken != nil)
            #expect(first.expiration != nil)
            #expect(first == second)
            let assumed = try await STSClient(client: moto.client(admin).with(credentials: provider)).callerIdentity()
            #expect(assumed.arn.contains(":assumed-role/ParapetAudit/parapet-test"))
            #expect(!"\(first)".contains(first.secretAccessKey))
            #expect(!"\(first)".contains(first.sessionToken!))

            // And the untrusted role fails with AWS's code and a sentence naming the role
            let refused = AssumeRoleCredentialProvider(configuration: .init(roleARN: foreign), base: moto.client(admin))
            let error = await #expect(throws: AWSError.self) { try await refused.credentials() }
            #expect(error?.awsCode == "AccessDenied")
            #expect(error?.message.contains("cannot assume \(foreign)") == true)
        }
    }

    @Test func theChainReadsAProfileThatAssumesARoleFromASourceProfile() async throws {
        try await MotoServer.with(noAuthCount: MotoFixture.unauthenticatedSetupCalls) { server in
            // Given shared files: [base] holds the admin key, [profile audit] assumes a role from it
            let moto = MotoFixture(server: server)
            let admin = try await moto.createAdmin()
            let adminARN = try await STSClient(client: moto.client(admin)).callerIdentity().arn
            let role = try await moto.createRole(name: "ProfileRole", trusting: adminARN, as: admin)
            let directory = try TestPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let credentialsFile = directory.appendingPathComponent("credentials")
            let configFile = directory.appendingPathComponent("config")
            try "[base]\naws_access_key_id = \(admin.accessKeyID)\naws_secret_access_key = \(admin.secretAccessKey)\n"
                .write(to: credentialsFile, atomically: true, encoding: .utf8)
            try "[default]\nregion = eu-west-1\n\n[profile audit]\nrole_arn = \(role)\nsource_profile = base\nrole_session_name = from-profile\n"
                .write(to: configFile, atomically: true, encoding: .utf8)
            let environment = ["AWS_SHARED_CREDENTIALS_FILE": credentialsFile.path, "AWS_CONFIG_FILE": configFile.path,
                               "AWS_PROFILE": "audit", "HOME": directory.path]

            // When the default chain resolves credentials
            let chain = DefaultCredentialChain(configuration: moto.configuration, http: moto.http, environment: environment)
            let identity = try await STSClient(client: moto.client(admin).with(credentials: chain)).callerIdentity()

            // Then they are the role's, assumed with the source profile's key
            #expect(identity.arn.contains(":assumed-role/ProfileRole/from-profile"))
        }
    }

    /// AssumeRoleWithWebIdentity is unsigned, which moto's signature checker cannot handle, so this
    /// server runs without signature checking.
    @Test func theChainUsesAWebIdentityTokenFile() async throws {
        try await MotoServer.with(noAuthCount: 1_000_000) { server in
            // Given AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN
            let moto = MotoFixture(server: server)
            let role = try await moto.createRole(name: "WebIdentityRole", trusting: "*", as: MotoFixture.dummy)
            let directory = try TestPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let tokenFile = directory.appendingPathComponent("token")
            try "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXJhcGV0In0.c2lnbmF0dXJl\n".write(to: tokenFile, atomically: true, encoding: .utf8)
            let environment = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile.path, "AWS_ROLE_ARN": role,
                               "AWS_ROLE_SESSION_NAME": "irsa", "HOME": directory.path]

            // When the chain resolves credentials
            let chain = DefaultCredentialChain(configuration: moto.configuration, http: moto.http, environment: environment)
            let credentials = try await chain.credentials()

            // Then STS handed out session credentials for the role, with the session name asked for
            #expect(credentials.sessionToken != nil)
            let identity = try await STSClient(client: moto.client(credentials)).callerIdentity()
            #expect(identity.arn.contains("WebIdentityRole/irsa"))
        }
    }
}
