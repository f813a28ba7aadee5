import Foundation
import ParapetCore
import Testing
@testable import ParapetDaemon

@Suite struct ConfigurationTests {
    let file = "/etc/parapet/parapet.yaml"

    @Test func theDesignExampleDecodesIntoTypedSettings() throws {
        let configuration = try ParapetConfiguration.parse("""
            database: /var/lib/parapet/parapet.db
            policies: [/usr/share/parapet/policies, /etc/parapet/policies]
            poll: { interval: 60s, concurrency: 16, backfill: 24h }
            http: { listen: 127.0.0.1:9477 }
            teams:
              payments: { webhook: https://hooks.example.com/payments, min_severity: medium }
              platform: { webhook: https://hooks.example.com/platform }
            outputs:
              webhook: { url: https://hooks.example.com/governance, secret_file: /run/credentials/parapet.service/webhook-secret }
              log: { path: /var/log/parapet/violations.jsonl }
            aws: { region: us-east-1 }
            discovery:
              aws_organizations: { refresh: 15m, teams: { "Root/Workloads/Payments/**": payments } }
            sources:
              - { type: cloudtrail-s3, bucket: aws-controltower-logs-123456789012-us-east-1, prefix: o-abc123, organization_id: o-abc123 }
            accounts:
              - { provider: aws, id: "111122223333", name: payments-prod, team: payments, ou: Root/Workloads/Prod,
                  regions: [eu-west-1, us-east-1],
                  source: { type: cloudtrail, role_arn: "arn:aws:iam::111122223333:role/ParapetAudit" } }
              - { provider: gcp, id: payments-analytics, team: payments, source: { type: gcp-audit, logs: [activity, system_event] } }
              - { provider: aws, id: "444455556666", team: platform, source: { type: file, path: /srv/trail-export/ } }
            """, file: file)
        #expect(configuration.poll.interval == 60)
        #expect(configuration.poll.backfill == 86400)
        #expect(configuration.teams["payments"]?.minSeverity == .medium)
        #expect(configuration.outputs.webhook?.secretFile == "/run/credentials/parapet.service/webhook-secret")
        #expect(configuration.outputs.log == "/var/log/parapet/violations.jsonl")
        #expect(configuration.discovery.awsOrganizations?.refresh == 900)
        #expect(configuration.discovery.awsOrganizations?.teams.first?.team == "payments")
        #expect(configuration.sources.first?.type == .cloudtrailS3)
        #expect(configuration.accounts.count == 3)
        #expect(configuration.accounts[0].regions == ["eu-west-1", "us-east-1"])
        #expect(configuration.accounts[0].source?.roleARN == "arn:aws:iam::111122223333:role/ParapetAudit")
        #expect(configuration.accounts[1].source?.logs == ["activity", "system_event"])
    }

    @Test func defaultsApplyWhenKeysAreAbsent() throws {
        let configuration = try ParapetConfiguration.parse("{}", file: file)
        #expect(configuration.database == "/var/lib/parapet/parapet.db")
        #expect(configuration.policies == ["/usr/share/parapet/policies", "/etc/parapet/policies"])
        #expect(configuration.poll.concurrency == 16)
        #expect(configuration.http.listen == "127.0.0.1:9477")
        #expect(configuration.delivery.maxAge == 86400)
        #expect(configuration.delivery.groupWindow == 3600)
    }

    @Test func relativePathsAreRelativeToTheConfigurationFile() throws {
        let configuration = try ParapetConfiguration.parse(
            "database: state/p.db\npolicies: [rules]\noutputs: { log: '-' }\n", file: "/srv/parapet/parapet.yaml")
        #expect(configuration.database == "/srv/parapet/state/p.db")
        #expect(configuration.policies == ["/srv/parapet/rules"])
        #expect(configuration.outputs.log == "-")
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try ParapetConfiguration.parse(yaml, file: file)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test func anUnknownKeyNamesFileLineColumnAndSuggests() {
        #expect(error("poll:\n  intervall: 60s\n") == "/etc/parapet/parapet.yaml:2:3: unknown key 'poll.intervall' — did you mean 'interval'? (known keys: backfill, concurrency, interval, overlap, timeout)")
        #expect(error("databse: x\n").hasPrefix("/etc/parapet/parapet.yaml:1:1: unknown key 'databse' — did you mean 'database'?"))
    }

    @Test func wrongTypesAndBadValuesAreErrors() {
        #expect(error("poll: { interval: soon }\n") == "/etc/parapet/parapet.yaml:1:19: 'poll.interval' must be a duration such as 60s, 15m, 24h or 90d, found 'soon'")
        #expect(error("poll: { concurrency: many }\n").contains("'poll.concurrency' must be an integer"))
        #expect(error("poll: [1, 2]\n").contains("'poll' must be a mapping"))
        #expect(error("poll: { backfill: 120d }\n").contains("at most 90d"))
        #expect(error("teams: { a: { webhook: not-a-url } }\n").contains("'teams.a.webhook' must be an http(s) URL"))
        #expect(error("teams: { a: { min_severity: urgent } }\n").contains("must be one of informational, low, medium, high, critical"))
    }

    @Test func missingRequiredKeysAreErrors() {
        #expect(error("accounts:\n  - { id: '111122223333' }\n").contains("needs a 'provider'"))
        #expect(error("accounts:\n  - { provider: aws }\n").contains("needs an 'id'"))
        #expect(error("sources:\n  - { type: cloudtrail-s3 }\n").contains("needs a 'bucket'"))
        #expect(error("sources:\n  - { bucket: b }\n").contains("needs a 'type'"))
        #expect(error("sources:\n  - { type: cloudtrial-s3, bucket: b }\n").contains("did you mean 'cloudtrail-s3'"))
        #expect(error("outputs: { webhook: { secret_file: /x } }\n").contains("needs a 'url'"))
    }

    @Test func anAWSAccountIdMustBeTwelveDigits() {
        #expect(error("accounts:\n  - { provider: aws, id: 111122223 }\n").contains("must be 12 digits"))
    }

    @Test func anAccountMustNameADefinedTeam() {
        let message = error("teams: { payments: {} }\naccounts:\n  - { provider: gcp, id: p1, team: paymnets }\n")
        #expect(message.contains("names team 'paymnets', which is not defined"))
    }

    @Test func gcpAndAzureDiscoveryDecodeTheirTeamRules() throws {
        let configuration = try ParapetConfiguration.parse("""
            teams: { payments: {}, platform: {}, legacy: {} }
            discovery:
              gcp_projects:
                parents: [organizations/1234]
                teams: { "engineering/payments/**": payments, "engineering/platform/*": platform, "folders/77": legacy }
                team_label: team
                max_depth: 6
              azure_subscriptions:
                team_tag: team
                teams: { "Contoso/Engineering/Payments/**": payments }
                management_groups: false
            """, file: file)
        let gcp = try #require(configuration.discovery.gcpProjects)
        #expect(Set(gcp.teams.map(\.glob)) == ["engineering/payments/**", "engineering/platform/*", "folders/77"])
        #expect(gcp.teamLabel == "team")
        #expect(gcp.maxDepth == 6)
        let azure = try #require(configuration.discovery.azureSubscriptions)
        #expect(azure.teams.map(\.team) == ["payments"])
        #expect(azure.teamTag == "team")
        #expect(azure.managementGroups == false)
        #expect(try ParapetConfiguration.parse("discovery: { azure_subscriptions: }\n", file: file).discovery.azureSubscriptions?.managementGroups == true)
    }

    @Test func aBadDiscoveryTeamsEntryNamesFileLineAndWhatToWrite() {
        // Given a glob with a partial-segment wildcard, on line 5
        let glob = error("""
            teams: { payments: {} }
            discovery:
              gcp_projects:
                parents: [organizations/1234]
                teams: { "engineering/pay*/**": payments }
            """)
        #expect(glob == "/etc/parapet/parapet.yaml:5:37: 'discovery.gcp_projects.teams' entry 'engineering/pay*/**': 'pay*': '*' and '**' must be whole path segments ('engineering/*', 'engineering/**')")
        // Given a team value that is not a name
        let value = error("discovery:\n  azure_subscriptions:\n    teams: { \"Contoso/**\": [payments] }\n")
        #expect(value.hasPrefix("/etc/parapet/parapet.yaml:3:28: 'discovery.azure_subscriptions.teams.Contoso/**' must be a string"), "\(value)")
        // Given a team that is not defined under teams
        let undefined = error("teams: { payments: {} }\ndiscovery:\n  aws_organizations:\n    teams: { \"Root/**\": paymnets }\n")
        #expect(undefined == "/etc/parapet/parapet.yaml:4:25: 'discovery.aws_organizations.teams' entry 'Root/**': team 'paymnets' is not defined under 'teams' (defined: payments)")
        // Given a parent that is not a resource name
        #expect(error("discovery:\n  gcp_projects: { parents: [engineering] }\n").contains("'engineering' is not a parent; write folders/NUMBER or organizations/NUMBER"))
        #expect(error("discovery:\n  gcp_projects: { parents: [folders/1], max_depth: 11 }\n").contains("must be between 0 and 10"))
    }

    @Test func aFileSourcePageSizeIsReadAndBounded() throws {
        // Given a file source with records_per_poll, Then it is read
        let yaml = "accounts:\n  - { provider: aws, id: \"111122223333\", source: { type: file, path: logs, records_per_poll: 500 } }\n"
        let configuration = try ParapetConfiguration.parse(yaml, file: file)
        #expect(configuration.accounts.first?.source?.recordsPerPoll == 500)
        // Given a value out of range, Then the error names the line and the bounds
        let small = error(yaml.replacingOccurrences(of: "500", with: "10"))
        #expect(small.hasPrefix("/etc/parapet/parapet.yaml:2:"), "\(small)")
        #expect(small.contains("must be between 100 and 100000, found 10"), "\(small)")
    }

    @Test func aYAMLSyntaxErrorIsReported() {
        #expect(error("poll: { interval: 60s\n").contains("YAML syntax error"))
    }

    @Test func aMissingFileIsReportedWithItsPath() {
        #expect(throws: ConfigurationError.self) { try ParapetConfiguration.load(file: "/nonexistent/parapet.yaml") }
        do {
            _ = try ParapetConfiguration.load(file: "/nonexistent/parapet.yaml")
        } catch {
            #expect(String(describing: error).hasPrefix("/nonexistent/parapet.yaml: cannot read the configuration file"))
        }
    }
}

@Suite struct DurationAndDirectoryTests {
    @Test func accountIdsAreFoundWithoutRegardToCase() {
        let directory = AccountDirectory(configured: [
            Account(provider: .azure, id: "0B1F6471-1BF0-4DDA-AEC3-CB9272F09590", team: "data"),
            Account(provider: .gcp, id: "proj-ärger", team: "ops"),
            Account(provider: .aws, id: "111122223333", team: "payments"),
        ])
        #expect(directory.account(provider: .azure, id: "0b1f6471-1bf0-4dda-aec3-cb9272f09590")?.team == "data")
        #expect(directory.account(provider: .azure, id: "0B1F6471-1bf0-4DDA-aec3-CB9272F09590")?.team == "data")
        #expect(directory.account(provider: .gcp, id: "PROJ-ÄRGER")?.team == "ops")
        #expect(directory.account(provider: .aws, id: "111122223333")?.team == "payments")
        #expect(directory.account(provider: .gcp, id: "111122223333") == nil, "the provider is part of the key")
    }

    @Test func configuredAccountsOverrideDiscoveredOnes() {
        let discovered = Account(provider: .aws, id: "111122223333", name: "from-org", team: "unknown", ou: "Root/Workloads")
        let configured = Account(provider: .aws, id: "111122223333", team: "payments")
        let directory = AccountDirectory(configured: [configured], discovered: [discovered])
        let account = directory.account(provider: .aws, id: "111122223333")
        #expect(account?.team == "payments")
        #expect(account?.name == "from-org")
        #expect(account?.ou == "Root/Workloads")
    }
}
