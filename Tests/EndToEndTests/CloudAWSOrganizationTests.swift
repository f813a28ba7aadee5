import Foundation
import ParapetCore
import ParapetTesting
import Testing

/// `parapet run --once` against a Control Tower–shaped AWS estate in moto_server: accounts and OUs
/// discovered from Organizations, the organisation trail read from the log-archive bucket.
@Suite(.serialized) struct CloudAWSOrganizationTests {
    @Test func theOrganisationTrailIsReadOnceAttributedAndJudged() async throws {
        let directory = try TemporaryDirectory(prefix: "parapet-e2e-aws")
        defer { directory.remove() }
        // moto 5.2.1 cannot verify the S3 signature of a ListObjectsV2 whose prefix holds '/', and the
        // organisation-trail source lists `o-…/AWSLogs/o-…/ACCOUNT/CloudTrail/` folders, so signature
        // checking is off for the whole run (the provider tests check the signer against moto).
        try await MotoServer.with(noAuthCount: 1_000_000_000) { server in
            // Given an organisation with OUs, four accounts (one suspended) and a log-archive bucket
            let org = try await CloudMotoOrganisation.create(on: server, in: directory)
            let payments = try #require(org.accounts["payments-prod"])
            let platform = try #require(org.accounts["platform-prod"])
            let logArchive = try #require(org.accounts["log-archive"])
            // And trail files for three accounts in two regions, built from the sample records
            let staging = directory.file("staging")
            let now = Date()
            var expected: [String: String] = [:]  // eventID → account
            let plan: [(account: String, region: String, indices: [Int])] = [
                (payments, "us-east-1", Array(0..<12) + [CloudRecords.stopLogging]),
                (payments, "eu-west-1", Array(12..<24)),
                (platform, "us-east-1", Array(24..<36) + [CloudRecords.sshOpenToTheWorld]),
                (platform, "eu-west-1", Array(36..<48)),
                (logArchive, "us-east-1", Array(48..<60)),
            ]
            for (n, file) in plan.enumerated() {
                let delivered = now.addingTimeInterval(Double(-180 + 10 * n) * 60)
                let records = try CloudRecords.cloudTrail(
                    file.indices.filter { CloudRecords.cloudTrail[$0] != nil }, account: file.account, region: file.region,
                    time: delivered.addingTimeInterval(-300))
                try org.stage(records, key: org.key(account: file.account, region: file.region, delivered: delivered, unique: "f\(n)"),
                              in: staging)
                for record in records { expected[record["eventID"]?.stringValue ?? ""] = file.account }
            }
            try await org.upload(staging, in: directory)

            // And a configuration naming the emulator, the OU → team globs, the trail and the built-in policies
            var cli = CloudCLI(directory: directory)
            cli.environment = ["AWS_ACCESS_KEY_ID": CloudMotoOrganisation.accessKey,
                               "AWS_SECRET_ACCESS_KEY": CloudMotoOrganisation.secretKey]
            try cli.write(config: """
                database: state/parapet.db
                policies: [\(PackagePaths.root.appendingPathComponent("policies").path)]
                placeholders: { allowed_regions: [us-east-1, eu-west-1] }
                http: { listen: off }
                aws: { endpoint_url: "\(server.endpoint.absoluteString)", region: us-east-1 }
                discovery:
                  aws_organizations:
                    teams:
                      "Root/Workloads/Payments/**": payments
                      "Root/Workloads/Platform/**": platform
                      "Root/Security/**": security
                sources:
                  - { type: cloudtrail-s3, bucket: \(CloudMotoOrganisation.bucket), prefix: \(org.organizationID), organization_id: \(org.organizationID) }
                """)

            // When the daemon runs one cycle
            let first = try await cli.runOnce()

            // Then it succeeds and every record is stored exactly once, attributed to its account
            #expect(first.status == 0, "stdout: \(first.stdout)\nstderr: \(first.stderr)")
            #expect(first.stdout.contains(": \(expected.count) new events"), "\(first.stdout)")
            let events = try await cli.events()
            #expect(events.count == expected.count)
            #expect(events.rawEventIDs.sorted() == expected.keys.sorted())
            for account in [payments, platform, logArchive] {
                let stored = try await cli.events(["--account", account]).rawEventIDs
                #expect(Set(stored) == Set(expected.filter { $0.value == account }.keys), "account \(account)")
            }
            let sourceID = "aws/s3/\(CloudMotoOrganisation.bucket)/\(org.organizationID)/AWSLogs/\(org.organizationID)/cloudtrail"
            let sources = try await cli.sources()
            #expect(Set(sources.keys) == [sourceID])
            #expect(sources[sourceID]?["healthy"] == true)
            #expect(sources[sourceID]?["quarantined"]?.numberValue == 0)
            #expect(sources[sourceID]?["events_inserted"]?.numberValue == Double(expected.count))

            // And the built-in guardrails flag StopLogging and SSH open to the world, with the team from
            // the OU glob and the OU path from Organizations
            let violations = try await cli.violations()
            let stop = try #require(violations.of(policy: "parapet-aws-cloudtrail-logging-stopped").first, "\(violations)")
            #expect(stop.value(atPath: "account.id") == .string(payments))
            #expect(stop.value(atPath: "account.team") == "payments")
            #expect(stop.value(atPath: "account.ou") == "Root/Workloads/Payments")
            #expect(stop.value(atPath: "account.name") == "payments-prod")
            let ssh = try #require(violations.of(policy: "parapet-aws-sg-ssh-open-to-internet").first, "\(violations)")
            #expect(ssh.value(atPath: "account.id") == .string(platform))
            #expect(ssh.value(atPath: "account.team") == "platform")
            #expect(ssh.value(atPath: "account.ou") == "Root/Workloads/Platform")
            for violation in violations where violation.value(atPath: "account.id") == .string(logArchive) {
                #expect(violation.value(atPath: "account.team") == "security")
                #expect(violation.value(atPath: "account.ou") == "Root/Security")
            }

            // When it runs again, Then nothing is added
            let second = try await cli.runOnce()
            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(second.stdout.contains(": 0 new events"), "\(second.stdout)")
            #expect(try await cli.events().count == expected.count)
            #expect(try await cli.violations().count == violations.count)

            // When CloudTrail delivers a new file to the bucket
            let newRecords = try CloudRecords.cloudTrail(Array(60..<70).filter { CloudRecords.cloudTrail[$0] != nil },
                                                         account: payments, region: "eu-west-1", time: now.addingTimeInterval(-60))
            try org.stage(newRecords, key: org.key(account: payments, region: "eu-west-1", delivered: now, unique: "new"), in: staging)
            try await org.upload(staging, in: directory)
            let third = try await cli.runOnce()

            // Then the third run reads it, and only it
            #expect(third.status == 0, "stderr: \(third.stderr)")
            #expect(third.stdout.contains(": \(newRecords.count) new events"), "\(third.stdout)")
            let after = try await cli.events()
            #expect(after.count == expected.count + newRecords.count)
            #expect(Set(try await cli.events(["--account", payments]).rawEventIDs)
                    .isSuperset(of: newRecords.compactMap { $0["eventID"]?.stringValue }))
        }
    }
}
