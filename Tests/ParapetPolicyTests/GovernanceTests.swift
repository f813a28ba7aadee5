import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

@Suite("Governance metadata")
struct GovernanceTests {
    func context(_ id: String, team: String? = nil, ou: String? = nil, region: String? = nil,
                 provider: Provider = .aws, name: String? = nil) -> AccountContext {
        AccountContext(account: Account(provider: provider, id: id, name: name, team: team, ou: ou), region: region)
    }

    @Test("OU globs: * is one segment, ** any number, patterns also match below the root")
    func ouGlobs() {
        #expect(OUPattern.matches("Workloads/**", "Root/Workloads/Prod"))
        #expect(OUPattern.matches("Workloads/**", "Root/Workloads"))
        #expect(OUPattern.matches("Root/Workloads/*", "Root/Workloads/Prod"))
        #expect(!OUPattern.matches("Root/Workloads/*", "Root/Workloads/Prod/Payments"))
        #expect(OUPattern.matches("Root/**/Payments", "Root/Workloads/Prod/Payments"))
        #expect(!OUPattern.matches("Workloads/**", "Root/Sandbox/Workloads2"))
        #expect(!OUPattern.matches("Sandbox", "Root/Workloads"))
    }

    @Test("scope: include lists must all match, any exclusion removes")
    func scope() {
        var scope = PolicyScope()
        scope.ous = ["Workloads/**"]
        scope.excludeAccounts = ["999988887777"]
        scope.regions = ["eu-*"]
        scope.excludeTeams = ["sandbox"]
        #expect(scope.contains(context("1", ou: "Root/Workloads/Prod", region: "eu-west-1")))
        #expect(!scope.contains(context("1", ou: "Root/Workloads/Prod", region: "us-east-1")))
        #expect(scope.contains(context("1", ou: "Root/Workloads/Prod"), eventRegion: "eu-central-1"))
        #expect(!scope.contains(context("999988887777", ou: "Root/Workloads/Prod", region: "eu-west-1")))
        #expect(!scope.contains(context("1", team: "sandbox", ou: "Root/Workloads/Prod", region: "eu-west-1")))
        #expect(!scope.contains(context("1", region: "eu-west-1")), "an unknown OU is not in an OU scope")
        var byName = PolicyScope()
        byName.accounts = ["payments-prod"]
        byName.providers = [.aws]
        #expect(byName.contains(context("111122223333", name: "payments-prod")))
        #expect(!byName.contains(context("111122223333", provider: .gcp, name: "payments-prod")))
        #expect(PolicyScope().contains(context("x")))
    }

    @Test("scope, controls, remediation, exceptions and resource are read from the parapet block")
    func parsesBlock() throws {
        let rule = try RuleHarness(detection: "sel:\n    eventName: PutBucketPolicy\ncondition: sel", parapet: """
            controls: [CIS-AWS-2.1.5]
            scope:
                accounts: ["111122223333"]
                exclude_ous: [Root/Sandbox/**]
                teams: payments
                providers: [aws]
                exclude_regions: [us-west-2]
            remediation: Remove the public grant.
            resource: requestParameters.bucketName
            exceptions:
                - match: { requestParameters.bucketName|startswith: public-assets- }
                  reason: static website
                  owner: web
                  ticket: GOV-7
                  expires: 2099-01-01
            """)
        let policy = rule.policy
        #expect(policy.controls == ["CIS-AWS-2.1.5"])
        #expect(policy.scope.accounts == ["111122223333"] && policy.scope.excludeOUs == ["Root/Sandbox/**"])
        #expect(policy.scope.teams == ["payments"] && policy.scope.providers == [.aws])
        #expect(policy.scope.excludeRegions == ["us-west-2"])
        #expect(policy.remediation == "Remove the public grant.")
        #expect(policy.exceptions.count == 1 && policy.exceptions[0].ticket == "GOV-7")
        #expect(policy.severity == .high)

        let set = PolicySet(policies: [policy])
        let ctx = context("111122223333", team: "payments", ou: "Root/Workloads")
        let now = Date()
        let suppressed = set.evaluate(event(#"{"eventName":"PutBucketPolicy","requestParameters":{"bucketName":"public-assets-1"}}"#), context: ctx, now: now)
        #expect(suppressed.count == 1)
        #expect(suppressed.first?.kind == .suppressed(exceptionReason: "static website", owner: "web", ticket: "GOV-7"))
        #expect(suppressed.first?.resource == "public-assets-1")
        let violation = set.evaluate(event(#"{"eventName":"PutBucketPolicy","requestParameters":{"bucketName":"data"}}"#), context: ctx, now: now)
        #expect(violation.first?.kind == .violation)
        let otherTeam = set.evaluate(event(#"{"eventName":"PutBucketPolicy"}"#), context: context("111122223333", team: "web"), now: now)
        #expect(otherTeam.isEmpty)
    }

    @Test("resolves_on closes with a resolution for the same resource; the default resource is per feed")
    func resolution() throws {
        let rule = try RuleHarness(detection: "sel:\n    eventName: StopLogging\ncondition: sel", parapet: "resolves_on: { eventName: StartLogging }")
        let set = PolicySet(policies: [rule.policy])
        let ctx = context("1")
        let stop = set.evaluate(event(#"{"eventName":"StopLogging","requestParameters":{"name":"trail-a"}}"#), context: ctx, now: Date())
        let start = set.evaluate(event(#"{"eventName":"StartLogging","requestParameters":{"name":"trail-a"}}"#), context: ctx, now: Date())
        #expect(stop.map(\.kind) == [.violation])
        #expect(start.map(\.kind) == [.resolution])
        #expect(stop.first?.resource == "trail-a" && start.first?.resource == "trail-a")
        let noResource = set.evaluate(event(#"{"eventName":"StopLogging"}"#, resources: ["arn:aws:cloudtrail:x"]), context: ctx, now: Date())
        #expect(noResource.first?.resource == "arn:aws:cloudtrail:x")
    }

    @Test("an exception without expires, a bad provider and unknown keys are errors")
    func governanceErrors() {
        let text = """
            title: t
            id: gov-errors
            level: low
            logsource: { product: aws, service: cloudtrail }
            detection: { sel: { eventName: X }, condition: sel }
            parapet:
              scope: { providers: [aws, oracle] }
              exceptions:
                - { match: { eventName: X }, reason: r, ownr: me }
              tests:
                - { name: t, event: { eventName: X }, expect: violation, extra: 1 }
            """
        let messages = diagnostics(of: text).map { "\($0.line):\($0.column): \($0.message)" }
        #expect(messages == [
            "7:23: unknown provider 'oracle' in 'parapet.scope.providers'",
            "9:45: unknown key 'ownr' in an exception",
            "9:7: an exception needs an 'expires' date",
            "11:62: unknown key 'extra' in a test",
        ])
    }

    func event(_ json: String, resources: [String] = []) -> AuditEvent {
        AuditEvent(provider: .aws, feed: .cloudtrail, eventID: "e", time: Date(), account: "1", operation: "",
                   resources: resources, raw: try! JSONValue(parsing: json))
    }
}
