import Foundation
import Hummingbird
import ParapetCore
import Testing

@testable import ParapetProviders

@Suite struct CredentialsTests {
    static let configuration = AWSConfiguration(region: "eu-west-1", timeout: 5)

    @Test func environmentVariablesComeFirst() async throws {
        // Given both environment variables and a profile
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("credentials")
        try "[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = file-secret\n".write(to: file, atomically: true, encoding: .utf8)
        let environment = ["AWS_ACCESS_KEY_ID": "FROMENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
                           "AWS_SHARED_CREDENTIALS_FILE": file.path, "HOME": directory.path]

        // When the chain resolves, Then the environment wins
        let chain = DefaultCredentialChain(configuration: Self.configuration, http: URLSessionHTTPClient(), environment: environment)
        #expect(try await chain.credentials() == AWSCredentials(accessKeyID: "FROMENV", secretAccessKey: "env-secret",
                                                                 sessionToken: "env-token"))
    }

    @Test func aNamedProfileIsReadFromTheSharedFiles() async throws {
        // Given a credentials file with two profiles, comments and odd spacing
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("credentials")
        try """
            # comment
            [default]
            aws_access_key_id=DEFAULTKEY
            aws_secret_access_key=default-secret

            [audit]
              aws_access_key_id = AUDITKEY
            aws_secret_access_key = audit-secret ; trailing comment
            aws_session_token = audit-token
            """.write(to: file, atomically: true, encoding: .utf8)
        let environment = ["AWS_SHARED_CREDENTIALS_FILE": file.path, "AWS_CONFIG_FILE": directory.appendingPathComponent("none").path,
                           "HOME": directory.path]

        // When the configuration names the profile
        var configuration = Self.configuration
        configuration.profile = "audit"
        let chain = DefaultCredentialChain(configuration: configuration, http: URLSessionHTTPClient(), environment: environment)

        // Then its keys are used
        #expect(try await chain.credentials() == AWSCredentials(accessKeyID: "AUDITKEY", secretAccessKey: "audit-secret",
                                                                 sessionToken: "audit-token"))
    }

    @Test func aMissingProfileOrSecretIsAClearError() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("credentials")
        try "[half]\naws_access_key_id = ONLYKEY\n".write(to: file, atomically: true, encoding: .utf8)
        let environment = ["AWS_SHARED_CREDENTIALS_FILE": file.path, "HOME": directory.path]

        var missing = Self.configuration
        missing.profile = "nope"
        let missingError = await #expect(throws: AWSError.self) {
            try await DefaultCredentialChain(configuration: missing, http: URLSessionHTTPClient(), environment: environment).credentials()
        }
        #expect(missingError?.message.contains("profile 'nope'") == true)

        var half = Self.configuration
        half.profile = "half"
        let halfError = await #expect(throws: AWSError.self) {
            try await DefaultCredentialChain(configuration: half, http: URLSessionHTTPClient(), environment: environment).credentials()
        }
        #expect(halfError?.message.contains("profile 'half'") == true)
        #expect(halfError?.code == .invalidCredentialSource)

        let secretless = await #expect(throws: AWSError.self) {
            try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "KEY"]).credentials()
        }
        #expect(secretless?.message.contains("AWS_SECRET_ACCESS_KEY is not") == true)
    }

    @Test func noSourceAtAllSaysWhatToSet() async throws {
        let environment = ["HOME": "/nonexistent-parapet-home", "AWS_EC2_METADATA_DISABLED": "true"]
        let error = await #expect(throws: AWSError.self) {
            try await DefaultCredentialChain(configuration: Self.configuration, http: URLSessionHTTPClient(), environment: environment)
                .credentials()
        }
        #expect(error?.code == .noCredentials)
    }

    @Test func cachedCredentialsAreRefreshedBeforeTheyExpire() async throws {
        // Given a provider whose credentials expire in 10 minutes, refreshed 5 minutes early
        let clock = TestClock(ISO8601.date(from: "2025-01-01T00:00:00Z")!)
        let counter = Counter()
        let provider = RefreshingCredentialProvider(refreshMargin: 300, now: { clock.now }) {
            let n = await counter.next()
            return AWSCredentials(accessKeyID: "KEY\(n)", secretAccessKey: "s", sessionToken: "t",
                                  expiration: clock.now.addingTimeInterval(600))
        }

        // When it is asked at 0, 4 and 6 minutes
        let a = try await provider.credentials()
        clock.advance(240)
        let b = try await provider.credentials()
        clock.advance(120)
        let c = try await provider.credentials()

        // Then it fetched at 0 and again once inside the margin
        #expect(a.accessKeyID == "KEY1")
        #expect(b.accessKeyID == "KEY1")
        #expect(c.accessKeyID == "KEY2")
    }

    @Test func containerCredentialsAreFetchedWithTheAuthorizationToken() async throws {
        // Given a container credentials endpoint that wants a token
        let router = Router()
        router.get("/v2/credentials/abc") { request, _ -> Response in
            guard request.headers[.authorization] == "Bearer container-token" else { return Response(status: .unauthorized) }
            let body = #"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"c-secret","Token":"c-token","Expiration":"2099-01-01T00:00:00Z"}"#
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token")
        try "Bearer container-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)

        try await LocalHTTPServer.with(router) { url in
            // When the chain sees AWS_CONTAINER_CREDENTIALS_FULL_URI and the token file
            let environment = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url.absoluteString + "/v2/credentials/abc",
                               "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path, "HOME": directory.path]
            let chain = DefaultCredentialChain(configuration: Self.configuration, http: URLSessionHTTPClient(), environment: environment)

            // Then it gets the container's credentials
            let credentials = try await chain.credentials()
            #expect(credentials.accessKeyID == "ASIACONTAINER")
            #expect(credentials.sessionToken == "c-token")
            #expect(credentials.expiration == ISO8601.date(from: "2099-01-01T00:00:00Z"))
        }
    }

    @Test func aContainerEndpointThatFailsOnceIsAskedAgainButAWrongTokenIsNot() async throws {
        // Given a container credentials endpoint that answers 503 to its first request, and one that refuses the token
        let requests = Counter()
        let router = Router()
        router.get("/v2/credentials/flaky") { _, _ -> Response in
            guard await requests.next() > 1 else { return Response(status: .serviceUnavailable) }
            let body = #"{"AccessKeyId":"ASIAAGAIN","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let refusals = Counter()
        router.get("/v2/credentials/refusing") { _, _ -> Response in
            _ = await refusals.next()
            return Response(status: .forbidden)
        }

        try await LocalHTTPServer.with(router) { url in
            // When each provider is asked, with three attempts and no pause
            let flaky = ContainerCredentialProvider(url: url.appendingPathComponent("v2/credentials/flaky"), token: "t",
                                                    http: URLSessionHTTPClient(), attempts: 3, pause: .zero)
            let refusing = ContainerCredentialProvider(url: url.appendingPathComponent("v2/credentials/refusing"), token: "t",
                                                       http: URLSessionHTTPClient(), attempts: 3, pause: .zero)

            // Then the 503 is retried and the second answer is used
            let credentials = try await flaky.credentials()
            #expect(credentials.accessKeyID == "ASIAAGAIN")
            #expect(await requests.next() == 3)
            // And the 403 is an error after one request, naming the status
            let error = await #expect(throws: AWSError.self) { try await refusing.credentials() }
            #expect(error?.description.contains("HTTP 403") == true)
            #expect(await refusals.next() == 2)
        }
    }

    @Test func aFullURIToAnotherHostOverPlainHTTPIsRefused() throws {
        #expect(throws: AWSError.self) {
            try ContainerCredentialProvider.fromEnvironment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://evil.example.com/creds"],
                                                            http: URLSessionHTTPClient())
        }
    }

    @Test func instanceMetadataIsReadWithAnIMDSv2Token() async throws {
        // Given an instance metadata service that insists on IMDSv2
        let router = Router()
        router.put("/latest/api/token") { request, _ -> Response in
            guard header(request, "x-aws-ec2-metadata-token-ttl-seconds") != nil else { return Response(status: .badRequest) }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "imds-session-token")))
        }
        router.get("/latest/meta-data/iam/security-credentials/") { request, _ -> Response in
            guard header(request, "x-aws-ec2-metadata-token") == "imds-session-token" else { return Response(status: .unauthorized) }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ParapetInstanceRole\n")))
        }
        router.get("/latest/meta-data/iam/security-credentials/ParapetInstanceRole") { request, _ -> Response in
            guard header(request, "x-aws-ec2-metadata-token") == "imds-session-token" else { return Response(status: .unauthorized) }
            let body = #"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"i-secret","Token":"i-token","Expiration":"2099-01-01T00:00:00Z"}"#
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        try await LocalHTTPServer.with(router) { url in
            // When the chain has nothing else and falls back to instance metadata
            // (a generous timeout: the default 1 s is for hosts off EC2, and tests run beside heavy ones)
            let environment = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": url.absoluteString, "HOME": "/nonexistent-parapet-home",
                               "AWS_METADATA_SERVICE_TIMEOUT": "15"]
            let chain = DefaultCredentialChain(configuration: Self.configuration, http: URLSessionHTTPClient(), environment: environment)

            // Then the instance role's credentials are used
            let credentials = try await chain.credentials()
            #expect(credentials.accessKeyID == "ASIAIMDS")
            #expect(credentials.sessionToken == "i-token")
        }
    }
}

/// A received header by lower-case name.
func header(_ request: Request, _ name: String) -> String? {
    request.headers.first { $0.name.canonicalName == name }?.value
}

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current.addTimeInterval(seconds) } }
}

actor Counter {
    private var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}
