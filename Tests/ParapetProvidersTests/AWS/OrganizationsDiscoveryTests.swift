import Foundation
import ParapetCore
import Testing

@testable import ParapetProviders

@Suite struct OrganizationsDiscoveryTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIATEST", secretAccessKey: "secret")

    @Test func anEmptyPageWithANextTokenIsFollowed() async throws {
        // Given an Organizations endpoint whose first ListAccountsForParent page is empty but carries a NextToken
        let http = ScriptedHTTPClient { request in
            let target = request.header("X-Amz-Target") ?? ""
            let body = try JSONValue(parsing: request.body ?? Data())
            let answer: String
            switch (target.split(separator: ".").last.map(String.init) ?? "", body["NextToken"]?.stringValue) {
            case ("ListRoots", _): answer = #"{"Roots":[{"Id":"r-root","Name":"Root"}]}"#
            case ("ListAccountsForParent", nil): answer = #"{"Accounts":[],"NextToken":"page-2"}"#
            case ("ListAccountsForParent", "page-2"):
                answer = #"{"Accounts":[{"Id":"111122223333","Name":"a","Email":"a@example.com","Status":"ACTIVE"}]}"#
            case ("ListOrganizationalUnitsForParent", _): answer = #"{"OrganizationalUnits":[]}"#
            default: return ParapetCore.HTTPResponse(status: 400, body: Data(#"{"__type":"InvalidInputException"}"#.utf8))
            }
            return ParapetCore.HTTPResponse(status: 200, body: Data(answer.utf8))
        }
        let client = AWSClient(http: http, credentials: StaticCredentialProvider(Self.credentials),
                               configuration: AWSConfiguration(region: "eu-west-1"))

        // When discovery runs
        let accounts = try await OrganizationsDiscovery(configuration: .init(), client: client).discover()

        // Then the account on the second page is found, and requests went to the global endpoint, signed for us-east-1
        #expect(accounts.map(\.id) == ["111122223333"])
        #expect(accounts.first?.ou == "Root")
        #expect(accounts.first?.tags["email"] == "a@example.com")
        let sent = await http.sent
        #expect(sent.allSatisfy { $0.url.host == "organizations.us-east-1.amazonaws.com" })
        #expect(sent.allSatisfy { $0.header("Authorization")?.contains("/us-east-1/organizations/aws4_request") == true })
        #expect(sent.allSatisfy { $0.header("Content-Type") == "application/x-amz-json-1.1" })
    }

    @Test func ouGlobsMatchTheirSubtreeAndTheMostSpecificWins() {
        let payments = OUPathGlob("Root/Workloads/Payments/**")
        #expect(payments.matches("Root/Workloads/Payments"))
        #expect(payments.matches("Root/Workloads/Payments/Prod/EU"))
        #expect(!payments.matches("Root/Workloads/PaymentsLegacy"))
        #expect(!payments.matches("Root/Workloads"))
        #expect(OUPathGlob("Workloads/*").matches("Root/Workloads/Prod"))
        #expect(!OUPathGlob("Workloads/*").matches("Root/Workloads/Prod/EU"))
        #expect(OUPathGlob("**").matches("Root"))
        #expect(payments.specificity > OUPathGlob("Root/Workloads/**").specificity)
    }
}
