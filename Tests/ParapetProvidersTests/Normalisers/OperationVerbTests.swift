import Testing
@testable import ParapetProviders

@Suite struct OperationVerbTests {
    @Test(arguments: [
        ("GetObject", true), ("ListBuckets", true), ("DescribeInstances", true), ("beta.compute.instances.aggregatedList", true),
        ("io.k8s.core.v1.nodes.list", true), ("io.k8s.get", true), ("storage.objects.get", true),
        ("CloudResourceManagerOrganizationsV3Service-SearchOrganizations", true), ("testIamPermissions", true),
        ("PutBucketPolicy", false), ("DeleteTrail", false), ("v1.compute.instances.insert", false), ("SetIamPolicy", false),
        ("google.iam.admin.v1.CreateServiceAccountKey", false), ("StopLogging", false),
    ])
    func verbsDecide(operation: String, readOnly: Bool) {
        #expect(OperationVerb.isReadOnly(operation) == readOnly)
    }

    @Test(arguments: ["ConsoleLogin", "AssumeRole", "jobservice.jobcompleted", "Settings", "Getaway", "SignJwt"])
    func otherNamesAreUndecided(operation: String) {
        #expect(OperationVerb.isReadOnly(operation) == nil)
    }
}
