import Foundation
import Hummingbird
import ParapetCore
import ParapetTesting
import Testing

@testable import ParapetProviders

@Suite struct AWSClientTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIATEST", secretAccessKey: "secret")

    @Test func anEndpointThatDoesNotAnswerInTimeIsAnUnreachableError() async throws {
        // Given an endpoint that answers after 3 seconds, and a 0.5-second timeout
        let router = Router()
        router.post("/") { _, _ -> Response in
            try await Task.sleep(for: .seconds(3))
            return Response(status: .ok)
        }
        try await LocalHTTPServer.with(router) { url in
            let configuration = AWSConfiguration(region: "us-east-1", endpoints: ["sts": url], timeout: 0.5,
                                                 retry: AWSRetryPolicy(maxAttempts: 1))
            let client = AWSClient(http: URLSessionHTTPClient(), credentials: StaticCredentialProvider(Self.credentials),
                                   configuration: configuration)

            // When STS is called, Then it fails as unreachable, naming the call and the host
            let error = await #expect(throws: AWSError.self) { try await STSClient(client: client).callerIdentity() }
            #expect(error?.code == .unreachable)
            #expect(error?.message.contains("GetCallerIdentity on sts") == true)
            #expect(error?.message.contains("127.0.0.1") == true)
        }
    }

    @Test func aRefusedConnectionIsRetriedThenReported() async throws {
        // A port held bound but not listening: it refuses, and no other test can take it meanwhile.
        let refusing = try RefusingPort()
        defer { refusing.release() }
        let configuration = AWSConfiguration(region: "us-east-1", endpointURL: URL(string: "http://127.0.0.1:\(refusing.port)")!, timeout: 2,
                                             retry: AWSRetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02))
        let client = AWSClient(http: URLSessionHTTPClient(), credentials: StaticCredentialProvider(Self.credentials),
                               configuration: configuration)
        let error = await #expect(throws: AWSError.self) { try await STSClient(client: client).callerIdentity() }
        #expect(error?.code == .unreachable)
    }

    @Test func expiredCredentialsAreReportedAndFetchedAgainForTheNextCall() async throws {
        // Given an endpoint that says the first session expired, and a provider that hands out a new key each time
        let http = ScriptedHTTPClient { request in
            if request.header("Authorization")?.contains("Credential=KEY1/") == true {
                return ParapetCore.HTTPResponse(status: 400, body: Data(#"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#.utf8))
            }
            return ParapetCore.HTTPResponse(status: 200, body: Data(#"{"Events":[]}"#.utf8))
        }
        let counter = Counter()
        let provider = RefreshingCredentialProvider {
            AWSCredentials(accessKeyID: "KEY\(await counter.next())", secretAccessKey: "s", sessionToken: "t",
                           expiration: Date().addingTimeInterval(3600))
        }
        let client = AWSClient(http: http, credentials: provider, configuration: AWSConfiguration(region: "eu-west-1"))
        func call() async throws -> JSONValue {
            try await client.callJSON(service: "cloudtrail", region: "eu-west-1", targetPrefix: CloudTrailSource.targetPrefix,
                                      operation: "LookupEvents", payload: [:])
        }

        // When the first call fails, Then the error says so and what to do
        let error = await #expect(throws: AWSError.self) { try await call() }
        #expect(error?.awsCode == "ExpiredTokenException")
        #expect(error?.description.contains("the credentials have expired") == true)

        // And the next call signs with fresh credentials and succeeds
        #expect(try await call()["Events"] == [])
    }

    @Test func errorAnswersOfEveryProtocolAreRead() {
        let json = ParapetCore.HTTPResponse(status: 400, body: Data(#"{"__type":"com.amazonaws.cloudtrail#ThrottlingException","message":"Rate exceeded"}"#.utf8))
        let query = ParapetCore.HTTPResponse(status: 403, body: Data("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>".utf8))
        let s3 = ParapetCore.HTTPResponse(status: 404, body: Data("<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>gone</Message></Error>".utf8))
        let throttled = AWSErrorResponse.error(from: json, operation: "LookupEvents", service: "cloudtrail", region: "eu-west-1")
        #expect(throttled.code == .throttled)
        #expect(throttled.awsCode == "ThrottlingException")
        let denied = AWSErrorResponse.error(from: query, operation: "AssumeRole", service: "sts", region: "eu-west-1")
        #expect(denied.awsCode == "AccessDenied")
        #expect(denied.description.contains("not allowed"))
        #expect(AWSErrorResponse.error(from: s3, operation: "GetObject", service: "s3", region: "eu-west-1").awsCode == "NoSuchBucket")
    }

    @Test func endpointsAndS3Addressing() throws {
        let aws = AWSConfiguration(region: "eu-west-1").resolver
        #expect(try aws.url(for: "cloudtrail", region: "eu-west-1").absoluteString == "https://cloudtrail.eu-west-1.amazonaws.com")
        #expect(try aws.url(for: "organizations", region: "eu-west-1").host == "organizations.us-east-1.amazonaws.com")
        #expect(try aws.s3URL(bucket: "logs", key: "AWSLogs/a b.json", region: "eu-west-1").absoluteString
            == "https://logs.s3.eu-west-1.amazonaws.com/AWSLogs/a%20b.json")
        let local = AWSConfiguration(region: "eu-west-1", endpointURL: URL(string: "http://127.0.0.1:5000")!).resolver
        #expect(try local.s3URL(bucket: "logs", key: "AWSLogs/x.json", region: "eu-west-1").absoluteString
            == "http://127.0.0.1:5000/logs/AWSLogs/x.json")
        #expect(throws: AWSError.self) { try aws.url(for: "cloudtrail", region: "Europe") }
        #expect(AWSConfiguration(timeout: .infinity).timeout == 30)
    }

    @Test func backoffIsJitteredUnderAnExponentialCeiling() {
        let policy = AWSRetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 4)
        #expect(policy.delay(afterAttempt: 1, random: { $0.upperBound }) == 0.5)
        #expect(policy.delay(afterAttempt: 3, random: { $0.upperBound }) == 2)
        #expect(policy.delay(afterAttempt: 10, random: { $0.upperBound }) == 4)
        #expect(policy.delay(afterAttempt: 3, random: { $0.lowerBound }) == 0)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 3, random: { $0.lowerBound }) == 3)
    }
}
