import Foundation
import ParapetCore
import Testing

@testable import ParapetNotifiers

@Suite struct DeliveryRouterTests {
    let router: DeliveryRouter

    init() throws {
        // Given the routes the daemon builds from the DESIGN example configuration, plus an extra one
        router = try DeliveryRouter(routes: [
            .outputs(url: URL(string: "https://hooks.example.com/governance")!, secretFile: "/run/credentials/secret"),
            .team("payments", url: URL(string: "https://hooks.example.com/payments")!, minSeverity: .medium),
            .team("platform", url: URL(string: "https://hooks.example.com/platform")!),
            Route(name: "secops-slack", url: URL(string: "https://hooks.slack.com/services/T/B/x")!, format: .slack,
                  filter: RouteFilter(minSeverity: .high, policies: ["parapet-aws-*", "sigma-4f6b?c4e"], providers: [.aws])),
        ])
    }

    @Test func aCriticalAWSViolationOfPaymentsGoesEverywhereItBelongs() {
        #expect(router.routes(for: .critical, policyID: "parapet-aws-cloudtrail-tamper", provider: .aws, team: "payments")
            == ["default", "team:payments", "secops-slack"])
    }

    @Test func aTeamsMinimumSeverityHoldsBackMinorViolations() {
        #expect(router.routes(for: .low, policyID: "parapet-aws-cloudtrail-tamper", provider: .aws, team: "payments")
            == ["default"])
        #expect(router.routes(for: .low, policyID: "x", provider: .gcp, team: "platform") == ["default", "team:platform"])
    }

    @Test func anAccountWithoutATeamOnlyReachesUnfilteredRoutes() {
        #expect(router.routes(for: .critical, policyID: "parapet-aws-iam-root", provider: .aws, team: nil)
            == ["default", "secops-slack"])
    }

    @Test func policyGlobsAndProvidersMustBothMatch() {
        #expect(router.routes(for: .high, policyID: "sigma-4f6bxc4e", provider: .aws, team: nil) == ["default", "secops-slack"])
        #expect(router.routes(for: .high, policyID: "sigma-4f6bxxc4e", provider: .aws, team: nil) == ["default"])
        #expect(router.routes(for: .high, policyID: "parapet-aws-x", provider: .azure, team: nil) == ["default"])
    }

    @Test func routesAreFoundByName() {
        #expect(router.route(named: "team:platform")?.url.absoluteString == "https://hooks.example.com/platform")
        #expect(router.route(named: "nope") == nil)
    }

    @Test func duplicateNamesAreRefused() {
        let url = URL(string: "https://a.example/hook")!
        #expect {
            try DeliveryRouter(routes: [.team("payments", url: url), .team("payments", url: url)])
        } throws: { error in
            "\(error)" == "invalid delivery route 'team:payments': two routes have this name"
        }
    }

    @Test func aNonHTTPURLIsRefused() {
        #expect {
            try DeliveryRouter(routes: [Route(name: "x", url: URL(string: "file:///etc/passwd")!)])
        } throws: { error in
            (error as? NotifierError)?.code == .invalidRoute
        }
    }

    @Test func aRouteLoadsItsSecretIntoTheNotifierConfiguration() throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("secret")
        try Data("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n".utf8).write(to: file)
        let route = Route.outputs(url: URL(string: "https://a.example/hook")!, secretFile: file.path, format: .slack)
        let configuration = try route.notifierConfiguration(instance: "prod")
        #expect(configuration.secret?.byteCount == 24)
        #expect(configuration.format == .slack)
        #expect(configuration.instance == "prod")
    }
}
