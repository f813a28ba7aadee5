import Foundation
import ParapetCore
import ParapetTesting
import Testing

/// `parapet run --once` with a `cloudtrail` source (LookupEvents) for one account in two regions,
/// against a fake CloudTrail that answers per region, pages by 50 and throttles above 2 calls/s.
@Suite(.serialized) struct CloudTrailLookupEventsTests {
    static let account = "111122223333"

    /// Region → the account's records there (the StopLogging and the SSH opening in us-east-1).
    static func trails(now: Date) throws -> [String: [JSONValue]] {
        func records(_ indices: [Int], _ region: String) throws -> [JSONValue] {
            try indices.filter { CloudRecords.cloudTrail[$0] != nil }.enumerated().map { n, index in
                try CloudRecords.cloudTrail([index], account: account, region: region,
                                            time: now.addingTimeInterval(-7200 + Double(n) * 60))[0]
            }
        }
        return ["us-east-1": try records(Array(0..<58) + [CloudRecords.stopLogging, CloudRecords.sshOpenToTheWorld], "us-east-1"),
                "eu-west-1": try records(Array(160..<220), "eu-west-1")]
    }

    @Test func bothRegionsAreReadOnceAndJudged() async throws {
        let directory = try TemporaryDirectory(prefix: "parapet-e2e-lookup")
        defer { directory.remove() }
        // Given one account's trail in two regions
        let trails = try Self.trails(now: Date())
        let lines = trails.mapValues { $0.map { $0.serialized() } }
        try await CloudFakeEstate.run(in: directory, trails: lines, gcp: [], azure: []) { estate in
            // And a configuration with the account's LookupEvents source in both regions
            var cli = CloudCLI(directory: directory)
            cli.environment = estate.environment
            try cli.write(config: CloudFakeEstate.commonConfiguration + "\n" + estate.providerConfiguration() + """

                accounts:
                  - { provider: aws, id: "\(Self.account)", name: payments-prod, team: payments, ou: Root/Workloads/Payments,
                      regions: [us-east-1, eu-west-1], source: { type: cloudtrail } }
                """)

            // When the daemon runs one cycle
            let first = try await cli.runOnce()

            // Then every record of both regions is stored once, for the account, by its region's source
            let expected = trails.values.flatMap { $0 }
            #expect(first.status == 0, "stdout: \(first.stdout)\nstderr: \(first.stderr)")
            #expect(first.stdout.contains("polled 2 sources: \(expected.count) new events"), "\(first.stdout)")
            let events = try await cli.events()
            #expect(events.rawEventIDs.sorted() == expected.compactMap { $0["eventID"]?.stringValue }.sorted())
            #expect(events.allSatisfy { $0["raw"]?["recipientAccountId"] == .string(Self.account) })
            for (region, records) in trails {
                let fromSource = events.filter { $0["source_id"] == .string("aws/\(Self.account)/\(region)/cloudtrail") }
                #expect(fromSource.count == records.count, "region \(region)")
            }
            let sources = try await cli.sources()
            #expect(Set(sources.keys) == ["aws/\(Self.account)/us-east-1/cloudtrail", "aws/\(Self.account)/eu-west-1/cloudtrail"])
            #expect(sources.values.allSatisfy { $0["healthy"] == true && $0["quarantined"]?.numberValue == 0 })

            // And the guardrails fire with the configured team and OU
            let violations = try await cli.violations()
            for policy in ["parapet-aws-cloudtrail-logging-stopped", "parapet-aws-sg-ssh-open-to-internet"] {
                let violation = try #require(violations.of(policy: policy).first, "\(policy) in \(violations)")
                #expect(violation.value(atPath: "account.id") == .string(Self.account))
                #expect(violation.value(atPath: "account.team") == "payments")
                #expect(violation.value(atPath: "account.ou") == "Root/Workloads/Payments")
                #expect(violation["region"] == "us-east-1")
            }

            // When it runs again, Then the overlap is re-read and nothing is added
            let second = try await cli.runOnce()
            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(second.stdout.contains(": 0 new events"), "\(second.stdout)")
            #expect(try await cli.events().count == expected.count)
            #expect(try await cli.violations().count == violations.count)
        }
    }
}
