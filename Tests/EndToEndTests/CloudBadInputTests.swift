import Foundation
import ParapetCore
import ParapetTesting
import Testing

/// One account's failure is that account's alone: an AWS account whose audit role cannot be
/// assumed and an Azure subscription the credentials may not read fail `parapet run --once`
/// (exit 1, each error printed) while every other source's events are stored.
@Suite(.serialized) struct CloudBadInputTests {
    static let deniedAccount = "444455556666"
    static let deniedRole = "arn:aws:iam::444455556666:role/ParapetAudit"
    static let forbiddenSubscription = "0f9e8d7c-6b5a-4f3e-9d2c-1b0a9f8e7d6c"

    @Test func failingSourcesAreReportedAndTheOthersAreStored() async throws {
        let directory = try TemporaryDirectory(prefix: "parapet-e2e-bad")
        defer { directory.remove() }
        let now = Date()
        let trails = try CloudTrailLookupEventsTests.trails(now: now).filter { $0.key == "us-east-1" }
        let gcp = try CloudRecords.gcpAudit(project: CloudFakeEstate.project, start: now.addingTimeInterval(-3 * 3600))
        let azure = try CloudRecords.azureActivity(subscription: FakeAzure.subscription, start: now.addingTimeInterval(-3 * 3600))
        try await CloudFakeEstate.run(in: directory, trails: trails.mapValues { $0.map { $0.serialized() } }, gcp: gcp,
                                      azure: azure) { estate in
            // Given a good account, project and subscription, and two that cannot be read
            await estate.azureFake.forbid(Self.forbiddenSubscription)
            var cli = CloudCLI(directory: directory)
            cli.environment = estate.environment
            try cli.write(config: CloudFakeEstate.commonConfiguration + "\n" + estate.providerConfiguration() + """

                accounts:
                  - { provider: aws, id: "\(CloudTrailLookupEventsTests.account)", team: payments, regions: [us-east-1],
                      source: { type: cloudtrail } }
                  - { provider: aws, id: "\(Self.deniedAccount)", team: platform, regions: [eu-west-1],
                      source: { type: cloudtrail, role_arn: "\(Self.deniedRole)" } }
                  - { provider: gcp, id: \(CloudFakeEstate.project), source: { type: gcp-audit, logs: [activity, system_event, data_access, policy] } }
                  - { provider: azure, id: \(FakeAzure.subscription), source: { type: azure-activity } }
                  - { provider: azure, id: \(Self.forbiddenSubscription), source: { type: azure-activity } }
                """)

            // When the daemon runs one cycle
            let result = try await cli.runOnce()

            // Then it fails, naming each failing source and why
            #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
            let awsSource = "aws/\(Self.deniedAccount)/eu-west-1/cloudtrail"
            let azureSource = "azure/\(Self.forbiddenSubscription)/activity"
            let stderrLines = result.stderr.split(separator: "\n").map(String.init)
            let awsLine = stderrLines.first { $0.hasPrefix("source \(awsSource) failed: ") }
            #expect(awsLine?.contains(Self.deniedRole) == true && awsLine?.contains("AccessDenied") == true, "\(result.stderr)")
            let azureLine = stderrLines.first { $0.hasPrefix("source \(azureSource) failed: ") }
            #expect(azureLine?.contains("AuthorizationFailed") == true, "\(result.stderr)")
            #expect(!result.stderr.contains(FakeAzure.secret))

            // And every other source's events are stored
            let expectedAWS = trails["us-east-1"]?.count ?? 0
            #expect(result.stdout.contains(": \(expectedAWS + gcp.count + azure.count) new events"), "\(result.stdout)")
            #expect(try await cli.events(["--account", CloudTrailLookupEventsTests.account]).count == expectedAWS)
            #expect(try await cli.events(["--account", CloudFakeEstate.project]).count == gcp.count)
            #expect(try await cli.events(["--account", FakeAzure.subscription]).count == azure.count)
            #expect(try await cli.events(["--account", Self.deniedAccount]).isEmpty)

            // And `parapet sources` shows the two unhealthy with their error, the others healthy
            let sources = try await cli.sources()
            #expect(sources.count == 5)
            for id in [awsSource, azureSource] {
                let row = try #require(sources[id], "\(sources.keys)")
                #expect(row["healthy"] == false)
                #expect(row["consecutive_failures"]?.numberValue == 1)
                #expect(row["cursor"] == .null)
            }
            #expect(sources[awsSource]?["last_error"]?.stringValue?.contains("AccessDenied") == true, "\(sources[awsSource] ?? .null)")
            #expect(sources[azureSource]?["last_error"]?.stringValue?.contains("AuthorizationFailed") == true)
            let healthy = sources.filter { $0.key != awsSource && $0.key != azureSource }
            #expect(healthy.count == 3 && healthy.values.allSatisfy { $0["healthy"] == true && $0["last_error"] == .null }, "\(healthy)")
        }
    }

    @Test func aFailingOrganisationDiscoveryIsReported() async throws {
        let directory = try TemporaryDirectory(prefix: "parapet-e2e-discovery")
        defer { directory.remove() }
        try await CloudFakeEstate.run(in: directory, trails: [:], gcp: [], azure: []) { estate in
            // Given an Organizations endpoint that refuses every call
            var cli = CloudCLI(directory: directory)
            cli.environment = estate.environment
            try cli.write(config: CloudFakeEstate.commonConfiguration + """

                aws: { region: us-east-1, endpoints: { organizations: "\(estate.sts.absoluteString)" } }
                discovery: { aws_organizations: { teams: { "Root/Workloads/**": workloads } } }
                """)

            // When the daemon runs one cycle
            let result = try await cli.runOnce()

            // Then the discovery failure is printed and the run fails
            #expect(result.stderr.contains("AWS Organizations"), "stdout: \(result.stdout)\nstderr: \(result.stderr)")
            #expect(result.status == 1)
        }
    }
}
