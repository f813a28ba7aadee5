import Foundation
import Hummingbird
import ParapetCore
import Testing

@testable import ParapetProviders

/// `CloudTrailSource` against an in-process LookupEvents endpoint that checks signatures,
/// paging parameters and the 2-calls-a-second limit, serving the shared CloudTrail samples.
@Suite struct CloudTrailSourceTests {
    static let account = "111122223333"
    static let otherAccount = AWSCredentials(accessKeyID: "AKIAOTHERACCOUNT0001", secretAccessKey: "other-secret")
    static let credentials = AWSCredentials(accessKeyID: "AKIAPARAPETTEST00001", secretAccessKey: "lookup-secret-for-tests",
                                            sessionToken: "session-token-for-tests")
    /// After the July–August 2024 bulk of the samples.
    static let now = ISO8601.date(from: "2024-09-01T00:00:00Z")!

    static func trail() throws -> FakeCloudTrail {
        try FakeCloudTrail(jsonLines: TestPaths.sample("aws/cloudtrail-records.jsonl"))
    }

    static func source(_ url: URL, account: String = account, buckets: TokenBucketRegistry = TokenBucketRegistry(),
                       credentials: AWSCredentials = credentials, region: String = "eu-west-1",
                       retry: AWSRetryPolicy = AWSRetryPolicy(maxAttempts: 4, baseDelay: 0.05, maxDelay: 0.5),
                       now: Date = now) -> CloudTrailSource {
        // A generous timeout: a retried request would add a page request these tests count.
        let configuration = AWSConfiguration(region: region, endpoints: ["cloudtrail": url], timeout: 30, retry: retry)
        let client = AWSClient(http: URLSessionHTTPClient(), credentials: StaticCredentialProvider(credentials),
                               configuration: configuration)
        return CloudTrailSource(configuration: .init(account: account, region: region, backfill: 90 * 86400),
                                client: client, buckets: buckets, now: { now })
    }

    /// Reads pages until the window is done; returns every record and the last cursor.
    static func readAll(_ source: CloudTrailSource, from cursor: Cursor?) async throws
        -> (records: [CloudTrailRawRecord], quarantined: [QuarantinedRecord], cursor: Cursor?, pages: Int)
    {
        var cursor = cursor
        var records: [CloudTrailRawRecord] = []
        var quarantined: [QuarantinedRecord] = []
        var pages = 0
        repeat {
            let batch = try await source.read(after: cursor)
            records += batch.records
            quarantined += batch.quarantined
            cursor = batch.cursor
            pages += 1
            if !batch.hasMore { break }
        } while pages < 100
        return (records, quarantined, cursor, pages)
    }

    @Test func theFirstRunBackfillsTheWholeWindowPageByPageWithinTheRateLimit() async throws {
        // Given an endpoint holding the samples, and a source that backfills 90 days
        let trail = try Self.trail()
        let verifier = SigV4Verifier(credentials: Self.credentials, Self.otherAccount)
        let expected = await trail.expectedIDs(start: Self.now.timeIntervalSince1970 - 90 * 86400,
                                               end: Self.now.timeIntervalSince1970)
        try #require(expected.count > 100, "the samples should fill several pages")

        try await LocalHTTPServer.with(FakeCloudTrailServer.router(trail, verifier: verifier)) { url in
            // When it polls until the window is read
            let result = try await Self.readAll(Self.source(url), from: nil)

            // Then every record of the window arrived once, newest first, attributed to its recipient account
            #expect(result.records.map { $0.record["eventID"]?.stringValue } == expected)
            #expect(result.quarantined.isEmpty)
            #expect(result.pages == (expected.count + 49) / 50)
            for record in result.records {
                #expect(record.account == record.record["recipientAccountId"]?.stringValue ?? Self.account)
            }
            // And every page asked for the same window, 50 at a time, none throttled (signatures were all valid)
            let stats = await trail.stats()
            #expect(stats.throttled == 0)
            #expect(Set(stats.requests.map { $0["StartTime"] }).count == 1)
            #expect(Set(stats.requests.map { $0["EndTime"] }).count == 1)
            #expect(stats.requests.allSatisfy { $0["MaxResults"] == 50 })
            #expect(stats.requests.first?["NextToken"] == nil)
            #expect(stats.requests.dropFirst().allSatisfy { $0["NextToken"]?.stringValue != nil })
        }
    }

    @Test func aPageBoundarySurvivesARestart() async throws {
        // Given a source that read one page and was stopped
        let trail = try Self.trail()
        try await LocalHTTPServer.with(FakeCloudTrailServer.router(trail, verifier: SigV4Verifier(credentials: Self.credentials, Self.otherAccount))) { url in
            let first = try await Self.source(url).read(after: nil)
            #expect(first.hasMore)

            // When a new source (a restarted daemon) continues from the stored cursor
            let rest = try await Self.readAll(Self.source(url), from: first.cursor)

            // Then nothing is read twice and nothing is missed
            let ids = (first.records + rest.records).compactMap { $0.record["eventID"]?.stringValue }
            #expect(ids == (await trail.expectedIDs(start: Self.now.timeIntervalSince1970 - 90 * 86400,
                                                     end: Self.now.timeIntervalSince1970)))
        }
    }

    @Test func aFinishedWindowIsFollowedByOneThatOverlapsItByTwentyMinutes() async throws {
        // Given a cursor of a window read completely, ending an hour ago
        let end = Self.now.timeIntervalSince1970 - 3600
        let trail = try Self.trail()
        try await LocalHTTPServer.with(FakeCloudTrailServer.router(trail, verifier: SigV4Verifier(credentials: Self.credentials, Self.otherAccount))) { url in
            let cursor = LookupEventsCursor(start: end - 7200, end: end, nextToken: nil).cursor

            // When the source polls
            let batch = try await Self.source(url).read(after: cursor)

            // Then it asks for [end − 20 min, now]
            let request = try #require(await trail.stats().requests.last)
            #expect(request["StartTime"]?.numberValue == end - 1200)
            #expect(request["EndTime"]?.numberValue == Self.now.timeIntervalSince1970)
            #expect(!batch.hasMore)
        }
    }

    @Test func throttlingAndServerErrorsAreRetriedInsideOnePoll() async throws {
        // Given an endpoint that throttles twice and then fails once with 503
        let trail = try Self.trail()
        await trail.set(throttles: 2, serverErrors: 1)
        try await LocalHTTPServer.with(FakeCloudTrailServer.router(trail, verifier: SigV4Verifier(credentials: Self.credentials, Self.otherAccount))) { url in
            // When the source polls with 4 attempts
            let batch = try await Self.source(url).read(after: nil)

            // Then the fourth attempt succeeds
            #expect(batch.records.count == 50)
            #expect(await trail.stats().throttled == 2)
        }
    }

    @Test func aPollThatStaysThrottledFailsWithAThrottledError() async throws {
        let trail = try Self.trail()
        await trail.set(throttles: 100)
        try await LocalHTTPServer.with(FakeCloudTrailServer.router(trail, verifier: SigV4Verifier(credentials: Self.credentials, Self.otherAccount))) { url in
            let source = Self.source(url, retry: AWSRetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05))
            let error = await #expect(throws: AWSError.self) { try await source.read(after: nil) }
            #expect(error?.code == .throttled)
            #expect(error?.awsCode == "ThrottlingException")
            #expect(await trail.stats().throttled == 3)
        }
    }

    @Test func twoSourcesOfOneAccountAndRegionShareTheRateLimit() async throws {
        // Given two sources of the same account and region sharing the daemon's bucket registry
        // (2 calls a second, no burst beyond one call)
        let trail = try Self.trail()
        let buckets = TokenBucketRegistry()
        try await LocalHTTPServer.with(FakeCloudTrailServer.router(trail, verifier: SigV4Verifier(credentials: Self.credentials, Self.otherAccount))) { url in
            let retry = AWSRetryPolicy(maxAttempts: 4, baseDelay: 0.05, maxDelay: 0.2)
            let a = Self.source(url, buckets: buckets, retry: retry)
            let b = Self.source(url, buckets: buckets, retry: retry)

            // When both poll three times at once
            let clock = ContinuousClock()
            let started = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for source in [a, b, a, b, a, b] { group.addTask { _ = try await source.read(after: nil) } }
                try await group.waitForAll()
            }

            // Then the six calls were paced by one bucket: 2.5 s from the first to the last at
            // least (separate buckets take about 2 s, throttled calls retried included); a
            // loaded machine only makes it longer.
            #expect(clock.now - started >= .milliseconds(2_400))
            #expect(await trail.stats().requests.count >= 6)
        }
    }

    @Test func aMalformedCloudTrailEventIsQuarantinedAndTheRestOfThePageKept() async throws {
        // Given a page whose second event carries a truncated CloudTrailEvent string
        let trail = try Self.trail()
        let window = await trail.expectedIDs(start: Self.now.timeIntervalSince1970 - 90 * 86400, end: Self.now.timeIntervalSince1970)
        let broken = window[1]
        await trail.set(malformed: [broken])
        try await LocalHTTPServer.with(FakeCloudTrailServer.router(trail, verifier: SigV4Verifier(credentials: Self.credentials, Self.otherAccount))) { url in
            // When the source reads the page
            let batch = try await Self.source(url).read(after: nil)

            // Then 49 records are kept and the broken one is quarantined with where it was and why
            #expect(batch.records.count == 49)
            let quarantined = try #require(batch.quarantined.first)
            #expect(batch.quarantined.count == 1)
            #expect(quarantined.location == "lookup:\(Self.account):eu-west-1:\(broken)")
            #expect(quarantined.reason.contains("CloudTrailEvent is not valid JSON"))
            #expect(String(decoding: quarantined.raw, as: UTF8.self).contains("truncated"))
            #expect(quarantined.sourceID == "aws/\(Self.account)/eu-west-1/cloudtrail")
        }
    }

    @Test func aWrongSecretIsRejectedByTheEndpointWithAClearError() async throws {
        let trail = try Self.trail()
        try await LocalHTTPServer.with(FakeCloudTrailServer.router(trail, verifier: SigV4Verifier(credentials: Self.credentials, Self.otherAccount))) { url in
            let wrong = AWSCredentials(accessKeyID: Self.credentials.accessKeyID, secretAccessKey: "not-the-secret")
            let error = await #expect(throws: AWSError.self) { try await Self.source(url, credentials: wrong).read(after: nil) }
            #expect(error?.awsCode == "InvalidSignatureException")
            #expect(error?.status == 403)
            #expect(error.map { "\($0)" }?.contains("not-the-secret") == false)
            #expect(error.map { "\($0)" }?.contains("check the access key") == true)
        }
    }

    @Test func accessDeniedInOneAccountFailsThatAccountsSourceOnly() async throws {
        // Given an endpoint where the second account's audit role lacks cloudtrail:LookupEvents
        let trail = try Self.trail()
        await trail.set(denied: [Self.otherAccount.accessKeyID])
        try await LocalHTTPServer.with(FakeCloudTrailServer.router(trail, verifier: SigV4Verifier(credentials: Self.credentials, Self.otherAccount))) { url in
            let buckets = TokenBucketRegistry()
            let allowed = Self.source(url, buckets: buckets)
            let denied = Self.source(url, account: "444455556666", buckets: buckets, credentials: Self.otherAccount)

            // When both poll
            let error = await #expect(throws: AWSError.self) { try await denied.read(after: nil) }
            let batch = try await allowed.read(after: nil)

            // Then the denied one fails with AWS's code and a hint, the other reads its page
            #expect(error?.awsCode == "AccessDeniedException")
            #expect(error?.code == .serviceError)
            #expect(error?.description.contains("grant the audit role this permission") == true)
            #expect(batch.records.count == 50)
        }
    }

    @Test func aRegionThatDoesNotExistFailsBeforeAnyRequest() async throws {
        let client = AWSClient(http: URLSessionHTTPClient(), credentials: StaticCredentialProvider(Self.credentials),
                               configuration: AWSConfiguration(region: "us-east-1"))
        let source = CloudTrailSource(configuration: .init(account: Self.account, region: "moon-base"), client: client,
                                      buckets: TokenBucketRegistry())
        let error = await #expect(throws: AWSError.self) { try await source.read(after: nil) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("'moon-base' is not an AWS region") == true)
    }

    @Test func aCorruptCursorIsAnErrorNamingTheSource() async throws {
        let source = Self.source(URL(string: "http://127.0.0.1:9")!)
        let error = await #expect(throws: AWSError.self) { try await source.read(after: Cursor("not json")) }
        #expect(error?.code == .invalidCursor)
        #expect(error?.message.contains(source.id) == true)
    }

    @Test func backfillIsCappedAtNinetyDays() {
        let configuration = CloudTrailSource.Configuration(account: Self.account, region: "eu-west-1", backfill: 400 * 86400)
        #expect(configuration.backfill == 90 * 86400)
    }
}
