import Foundation
import ParapetCore
import Testing

@testable import ParapetProviders

/// Broken log files are quarantined with their s3:// location; an account the reader may not
/// read fails its own source only.
@Suite struct MotoS3BadInputTests {
    static let bucket = "trail-bad-input"
    static let good = "111122223333"
    static let denied = "444455556666"

    @Test func brokenFilesAreQuarantinedAndADeniedAccountFailsOnlyItsOwnSource() async throws {
        try await MotoServer.with(noAuthCount: MotoFixture.unauthenticatedSetupCalls) { server in
            // Given an account trail bucket (no organisation) with a truncated gzip, a non-gzip .gz, invalid JSON,
            // a file without Records and one good file, and a reader denied GetObject on the second account
            let moto = MotoFixture(server: server)
            let admin = try await moto.createAdmin()
            let s3 = S3Client(client: moto.client(admin), region: "us-east-1")
            try await s3.createBucket(Self.bucket)
            let layout = CloudTrailLogKey(prefix: nil, organizationID: nil)
            let now = Date()
            func key(_ account: String, _ minutesAgo: Double, _ unique: String, gzip: Bool) -> String {
                layout.key(account: account, region: "eu-west-1", date: now.addingTimeInterval(-minutesAgo * 60), unique: unique,
                           gzip: gzip)
            }
            let gz = try Data(contentsOf: TestPaths.sample("aws/s3-logfile-example.json.gz"))
            let broken: [(String, Data, String)] = [
                (key(Self.good, 50, "truncated", gzip: true), gz.prefix(gz.count / 2), "cannot gunzip"),
                (key(Self.good, 45, "notgzip", gzip: true), Data("{\"Records\":[]}".utf8), "not gzip data"),
                (key(Self.good, 40, "invalid", gzip: false), Data("{\"Records\": [".utf8), "not valid JSON"),
                (key(Self.good, 35, "norecords", gzip: false), Data("{\"records\": []}".utf8), "no Records array"),
            ]
            for (key, body, _) in broken { try await s3.put(bucket: Self.bucket, key: key, body: body) }
            let goodFile = try TrailFiles.file(account: Self.good, region: "eu-west-1", tag: "good")
            try await s3.put(bucket: Self.bucket, key: key(Self.good, 30, "good", gzip: false), body: goodFile.data)
            let deniedFile = try TrailFiles.file(account: Self.denied, region: "eu-west-1", tag: "denied")
            let deniedKey = key(Self.denied, 30, "secret", gzip: false)
            try await s3.put(bucket: Self.bucket, key: deniedKey, body: deniedFile.data)
            let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},"#
                + #"{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::\#(Self.bucket)/AWSLogs/\#(Self.denied)/*"}]}"#
            let reader = try await moto.createUser(name: "trail-reader", policy: policy, as: admin)

            // When one source per account reads the bucket as the reader
            func source(_ account: String) -> CloudTrailS3Source {
                CloudTrailS3Source(configuration: .init(bucket: Self.bucket, accounts: [account]), client: moto.client(reader),
                                   decompress: GzipTool.decompress)
            }
            let batch = try await source(Self.good).read(after: nil)

            // Then the good file's records are read and every broken file is quarantined with its s3:// location
            #expect(batch.records.compactMap { $0.record["eventID"]?.stringValue } == goodFile.eventIDs)
            #expect(batch.quarantined.count == broken.count)
            for (key, _, reason) in broken {
                let entry = batch.quarantined.first { $0.location == "s3://\(Self.bucket)/\(key)" }
                #expect(entry?.reason.contains(reason) == true, "\(key): \(entry?.reason ?? "not quarantined")")
            }

            // And the denied account's source fails with AWS's code and the object it could not read
            let error = await #expect(throws: AWSError.self) { try await source(Self.denied).read(after: nil) }
            #expect(error?.awsCode == "AccessDenied")
            #expect(error?.message.contains(deniedKey) == true)
        }
    }
}
