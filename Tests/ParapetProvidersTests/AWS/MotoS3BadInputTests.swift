import Foundation
import ParapetCore
import Testing

@testable import ParapetProviders

/// Broken log files are quarantined with their s3:// location. (moto cannot check signatures of
/// ListObjectsV2 with a prefix, so this server runs without; AccessDenied on one account is
/// covered by CloudTrailSourceTests.)
@Suite struct MotoS3BadInputTests {
    static let bucket = "trail-bad-input"
    static let good = "111122223333"

    @Test func brokenFilesAreQuarantinedWithTheirS3Location() async throws {
        try await MotoServer.with(noAuthCount: 1_000_000_000) { server in
            // Given an account trail bucket (no organisation) with a truncated gzip, a non-gzip .gz, invalid JSON,
            // a file without Records and one good file
            let moto = MotoFixture(server: server)
            let admin = MotoFixture.dummy
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

            // When the source reads the bucket
            let source = CloudTrailS3Source(configuration: .init(bucket: Self.bucket), client: moto.client(admin),
                                            decompress: GzipTool.decompress)
            let batch = try await source.read(after: nil)

            // Then the good file's records are read and every broken file is quarantined with its s3:// location
            #expect(batch.records.compactMap { $0.record["eventID"]?.stringValue } == goodFile.eventIDs)
            #expect(batch.quarantined.count == broken.count)
            for (key, _, reason) in broken {
                let entry = batch.quarantined.first { $0.location == "s3://\(Self.bucket)/\(key)" }
                #expect(entry?.reason.contains(reason) == true, "\(key): \(entry?.reason ?? "not quarantined")")
            }
        }
    }
}
