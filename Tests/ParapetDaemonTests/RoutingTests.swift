import Foundation
import ParapetCore
import Testing
@testable import ParapetDaemon

@Suite struct RoutingTests {
    func configuration() throws -> ParapetConfiguration {
        try ParapetConfiguration.parse("""
            teams:
              payments: { webhook: https://hooks.example.com/payments, min_severity: high }
              platform: { webhook: https://hooks.example.com/platform, format: slack }
              analytics: {}
            outputs:
              webhook: { url: https://hooks.example.com/governance, providers: [aws, gcp] }
              log: /var/log/parapet/violations.jsonl
              routes:
                cloudtrail: { url: https://hooks.example.com/ct, policies: ["parapet-aws-cloudtrail-*"] }
            """, file: "/etc/parapet/parapet.yaml")
    }

    @Test func aViolationGoesToEveryMatchingRoute() throws {
        let routing = Routing(configuration: try configuration())
        let routes = routing.routes(severity: .critical, policyID: "parapet-aws-cloudtrail-tamper", provider: .aws, team: "payments")
        #expect(Set(routes) == ["log", "webhook", "route:cloudtrail", "team:payments"])
    }

    @Test func teamRoutesOnlyGetTheirTeamsAccountsAtTheirMinimumSeverity() throws {
        let routing = Routing(configuration: try configuration())
        #expect(!routing.routes(severity: .medium, policyID: "x", provider: .aws, team: "payments").contains("team:payments"))
        #expect(!routing.routes(severity: .critical, policyID: "x", provider: .aws, team: "platform").contains("team:payments"))
        #expect(routing.routes(severity: .low, policyID: "x", provider: .azure, team: "platform").contains("team:platform"))
        // analytics has no webhook: no route
        #expect(routing.routes(severity: .critical, policyID: "x", provider: .gcp, team: "analytics") == ["log", "webhook"])
    }

    @Test func providerFiltersApply() throws {
        let routing = Routing(configuration: try configuration())
        #expect(!routing.routes(severity: .critical, policyID: "x", provider: .azure, team: nil).contains("webhook"))
    }

    @Test(arguments: [
        ("Root/Workloads/**", "Root/Workloads/Payments/Prod", true),
        ("Root/Workloads/**", "Root/Workloads", true),
        ("Root/Workloads/*", "Root/Workloads/Payments", true),
        ("Root/Workloads/*", "Root/Workloads/Payments/Prod", false),
        ("parapet-aws-*", "parapet-aws-cloudtrail-tamper", true),
        ("parapet-aws-*", "parapet-gcp-x", false),
        ("a?c", "abc", true),
    ])
    func globs(pattern: String, text: String, expected: Bool) {
        #expect(Glob.matches(pattern, text) == expected)
    }
}
