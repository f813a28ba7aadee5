import Foundation
import ParapetCore
import Testing
@testable import ParapetProviders

@Suite("Azure management-group paths")
struct AzureManagementGroupPathsTests {
    static func group(_ name: String, _ displayName: String, parent: String?) -> JSONValue {
        var properties: JSONObject = ["displayName": .string(displayName)]
        if let parent { properties["parent"] = ["id": .string("/providers/Microsoft.Management/managementGroups/\(parent)")] }
        return ["id": .string("/providers/Microsoft.Management/managementGroups/\(name)"), "type": "Microsoft.Management/managementGroups",
                "name": .string(name), "properties": .object(properties)]
    }

    static func subscription(_ id: String, parent: String) -> JSONValue {
        ["id": .string("/subscriptions/\(id)"), "type": "/subscriptions", "name": .string(id),
         "properties": ["displayName": "sub", "parent": ["id": .string("/providers/Microsoft.Management/managementGroups/\(parent)")]]]
    }

    @Test("without chains in the answer, the path is rebuilt from the parent links")
    func rebuildsFromParentLinks() {
        let entities = [Self.group("root", "Tenant Root Group", parent: nil), Self.group("eng", "Engineering", parent: "root"),
                        Self.group("pay", "Payments", parent: "eng"), Self.subscription("AAAA-1", parent: "pay")]
        #expect(AzureManagementGroupPaths.paths(entities) == ["aaaa-1": "Tenant Root Group/Engineering/Payments"])
    }

    @Test("a loop in the parent links ends")
    func loopEnds() {
        let entities = [Self.group("a", "A", parent: "b"), Self.group("b", "B", parent: "a"), Self.subscription("s1", parent: "a")]
        #expect(AzureManagementGroupPaths.paths(entities) == ["s1": "B/A"])
    }

    @Test("the documented chain is used when present")
    func usesTheChain() {
        let subscription: JSONValue = ["id": "/subscriptions/s2", "type": "/subscriptions", "name": "s2",
                                       "properties": ["parentDisplayNameChain": ["Tenant Root Group", "Contoso"], "parentNameChain": ["t", "c"]]]
        #expect(AzureManagementGroupPaths.paths([subscription]) == ["s2": "Tenant Root Group/Contoso"])
    }
}
