import Foundation
import ParapetCore
import Testing

@testable import ParapetProviders

/// A Control Tower–shaped organisation in moto: discovery walks it, and the S3 source reads the
/// organisation trail of two of its accounts in two regions from the log-archive bucket.
@Suite struct MotoOrganizationsAndS3Tests {
    static let organizationID = "o-abc123def4"
    static let bucket = "aws-controltower-logs-123456789012-us-east-1"

    @Test func discoveryFindsAccountsOUsAndTeamsAndTheS3SourceReadsTheirTrail() async throws {
        try await MotoServer.with(noAuthCount: MotoFixture.unauthenticatedSetupCalls) { server in
            let moto = MotoFixture(server: server)
            let admin = try await moto.createAdmin()
            let org = try await Self.buildOrganisation(moto, admin)

            // When discovery walks the organisation (through a role in the management account, one result per page)
            let adminARN = try await STSClient(client: moto.client(admin)).callerIdentity().arn
            let orgRead = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["organizations:List*","organizations:Describe*"],"Resource":"*"}]}"#
            let role = try await moto.createRole(name: "ParapetDiscovery", trusting: adminARN, policy: orgRead, as: admin)
            let discovery = OrganizationsDiscovery(
                configuration: .init(teams: ["Root/Workloads/Payments/**": "payments", "Root/Workloads/**": "workloads"],
                                     teamTagKey: "team", roleARN: role, pageSize: 1),
                client: moto.client(admin))
            let accounts = try await discovery.discover()

            // Then every account is there with its OU path, email, status and team
            let byName = Dictionary(uniqueKeysWithValues: accounts.compactMap { a in a.name.map { ($0, a) } })
            #expect(accounts.count == 5)  // the management account and four created ones
            let payments = try #require(byName["payments-prod"])
            #expect(payments.id == org.payments)
            #expect(payments.ou == "Root/Workloads/Payments")
            #expect(payments.team == "payments")
            #expect(payments.tags["email"] == "payments-prod@example.com")
            #expect(payments.status == "ACTIVE")
            #expect(byName["shop-prod"]?.ou == "Root/Workloads/Prod")
            #expect(byName["shop-prod"]?.team == "workloads")
            #expect(byName["log-archive"]?.ou == "Root/Security")
            #expect(byName["log-archive"]?.team == "platform")  // from its `team` tag
            #expect(byName["log-archive"]?.tags["cost-centre"] == "42")
            #expect(byName["retired"]?.status == "SUSPENDED")
            #expect(accounts.contains { $0.id == "123456789012" && $0.ou == "Root" })

            // Given the log-archive bucket with a trail file per account × region, the real .json.gz, and a digest
            // (signature checking off from here: moto cannot verify ListObjectsV2 with a prefix, see MotoServer)
            try await server.stopCheckingSignatures()
            let s3 = S3Client(client: moto.client(admin), region: "us-east-1")
            try await s3.createBucket(Self.bucket)
            let layout = CloudTrailLogKey(prefix: Self.organizationID, organizationID: Self.organizationID)
            let now = Date()
            var expected: [String: String] = [:]  // eventID → account
            for account in [org.payments, org.shop] {
                for region in ["eu-west-1", "us-east-1"] {
                    for (n, minutesAgo) in [90.0, 60.0].enumerated() {
                        let file = try TrailFiles.file(account: account, region: region, tag: "\(account)-\(region)-\(n)")
                        let key = layout.key(account: account, region: region, date: now.addingTimeInterval(-minutesAgo * 60),
                                             unique: "u\(n)", gzip: false)
                        try await s3.put(bucket: Self.bucket, key: key, body: file.data)
                        for id in file.eventIDs { expected[id] = account }
                    }
                }
            }
            let gzipped = try Data(contentsOf: TestPaths.sample("aws/s3-logfile-example.json.gz"))
            try await s3.put(bucket: Self.bucket, key: layout.key(account: "111111111111", region: "eu-central-1",
                                                                  date: now.addingTimeInterval(-3600), unique: "real"),
                             body: gzipped)
            for id in ["a0ed971f-389f-406a-9fcf-887c5ca6903a"] { expected[id] = "111111111111" }
            let plain = try JSONValue(parsing: Data(contentsOf: TestPaths.sample("aws/s3-logfile-example.json")))
            for record in plain["Records"]?.arrayValue ?? [] {
                if let id = record["eventID"]?.stringValue { expected[id] = "111111111111" }
            }
            try await s3.put(bucket: Self.bucket,
                             key: layout.accountsFolder + "\(org.payments)/CloudTrail-Digest/us-east-1/digest.json.gz",
                             body: try Data(contentsOf: TestPaths.sample("aws/cloudtrail-digest-example.json")))

            // When the S3 source reads until it has nothing more (3 files a poll)
            let configuration = CloudTrailS3Source.Configuration(
                bucket: Self.bucket, prefix: Self.organizationID, organizationID: Self.organizationID, maxObjectsPerPoll: 3)
            let source = CloudTrailS3Source(configuration: configuration, client: moto.client(admin),
                                            decompress: GzipTool.decompress)
            let first = try await Self.readAll(source, from: nil)

            // Then every record was read once and attributed to its recipient account
            #expect(first.quarantined.isEmpty)
            let ids = first.records.compactMap { $0.record["eventID"]?.stringValue }
            #expect(ids.count == expected.count)
            #expect(Set(ids) == Set(expected.keys))
            for record in first.records {
                #expect(record.account == expected[record.record["eventID"]?.stringValue ?? ""])
                #expect(record.location.hasPrefix("s3://\(Self.bucket)/\(Self.organizationID)/AWSLogs/\(Self.organizationID)/"))
            }
            #expect(first.polls > 1)

            // When a restarted source continues from the stored cursor, Then there is nothing new
            let restarted = CloudTrailS3Source(configuration: configuration, client: moto.client(admin),
                                               decompress: GzipTool.decompress)
            let again = try await restarted.read(after: first.cursor)
            #expect(again.records.isEmpty)
            #expect(!again.hasMore)

            // When a new file arrives, and a late one dated ten minutes before the last file read,
            // Then both are read, and nothing else
            let newFile = try TrailFiles.file(account: org.shop, region: "us-east-1", tag: "new")
            try await s3.put(bucket: Self.bucket, key: layout.key(account: org.shop, region: "us-east-1", date: now,
                                                                  unique: "new", gzip: false), body: newFile.data)
            let lateFile = try TrailFiles.file(account: org.payments, region: "eu-west-1", tag: "late")
            try await s3.put(bucket: Self.bucket, key: layout.key(account: org.payments, region: "eu-west-1",
                                                                  date: now.addingTimeInterval(-70 * 60), unique: "late",
                                                                  gzip: false), body: lateFile.data)
            let next = try await Self.readAll(restarted, from: first.cursor)
            #expect(Set(next.records.compactMap { $0.record["eventID"]?.stringValue }) == Set(newFile.eventIDs + lateFile.eventIDs))
            #expect(next.records.count == newFile.eventIDs.count + lateFile.eventIDs.count)
        }
    }

    /// Root ─ Security ─ log-archive (tagged team=platform)
    ///      └ Workloads ─ Payments ─ payments-prod
    ///                  └ Prod ─ shop-prod
    ///      └ retired (closed: SUSPENDED)
    static func buildOrganisation(_ moto: MotoFixture, _ admin: AWSCredentials) async throws -> (payments: String, shop: String) {
        _ = try await moto.organizations("CreateOrganization", ["FeatureSet": "ALL"], as: admin)
        let root = try #require(try await moto.organizations("ListRoots", [:], as: admin)["Roots"]?.arrayValue?.first?["Id"]?.stringValue)
        func ou(_ name: String, under parent: String) async throws -> String {
            let answer = try await moto.organizations("CreateOrganizationalUnit", ["ParentId": .string(parent), "Name": .string(name)],
                                                      as: admin)
            return try #require(answer["OrganizationalUnit"]?["Id"]?.stringValue)
        }
        func account(_ name: String, in parent: String?) async throws -> String {
            let answer = try await moto.organizations("CreateAccount", ["AccountName": .string(name),
                                                                        "Email": .string("\(name)@example.com")], as: admin)
            let id = try #require(answer["CreateAccountStatus"]?["AccountId"]?.stringValue)
            if let parent {
                _ = try await moto.organizations("MoveAccount", ["AccountId": .string(id), "SourceParentId": .string(root),
                                                                 "DestinationParentId": .string(parent)], as: admin)
            }
            return id
        }
        let security = try await ou("Security", under: root)
        let workloads = try await ou("Workloads", under: root)
        let paymentsOU = try await ou("Payments", under: workloads)
        let prod = try await ou("Prod", under: workloads)
        let logArchive = try await account("log-archive", in: security)
        _ = try await moto.organizations("TagResource", ["ResourceId": .string(logArchive), "Tags": [
            ["Key": "team", "Value": "platform"], ["Key": "cost-centre", "Value": "42"]]], as: admin)
        let payments = try await account("payments-prod", in: paymentsOU)
        let shop = try await account("shop-prod", in: prod)
        let retired = try await account("retired", in: nil)
        _ = try await moto.organizations("CloseAccount", ["AccountId": .string(retired)], as: admin)
        return (payments, shop)
    }

    static func readAll(_ source: CloudTrailS3Source, from cursor: Cursor?) async throws
        -> (records: [CloudTrailRawRecord], quarantined: [QuarantinedRecord], cursor: Cursor?, polls: Int)
    {
        var cursor = cursor
        var records: [CloudTrailRawRecord] = []
        var quarantined: [QuarantinedRecord] = []
        var polls = 0
        while polls < 50 {
            let batch = try await source.read(after: cursor)
            records += batch.records
            quarantined += batch.quarantined
            cursor = batch.cursor
            polls += 1
            if !batch.hasMore { break }
        }
        return (records, quarantined, cursor, polls)
    }
}
