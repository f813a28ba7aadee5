import ParapetCore

/// Names the resource a match is grouped by: the policy's `parapet.resource` field, else the
/// feed's usual resource fields, else the event's first resource, else the account.
enum ResourceNamer {
    static let defaults: [Feed?: [FieldSource]] = [
        .cloudtrail: [
            "requestParameters.bucketName", "requestParameters.name", "requestParameters.trailName",
            "requestParameters.userName", "requestParameters.roleName", "requestParameters.groupName",
            "requestParameters.groupId", "requestParameters.policyArn", "requestParameters.functionName",
            "requestParameters.dBInstanceIdentifier", "requestParameters.dBClusterIdentifier",
            "requestParameters.keyId", "requestParameters.detectorId", "requestParameters.snapshotId",
            "requestParameters.instancesSet.items.instanceId", "requestParameters.clusterName",
            "requestParameters.domainName", "resources.ARN",
        ].map { .path(FieldPath($0)) },
        .gcpAudit: [.path(FieldPath("protoPayload.resourceName"))],
        .azureActivity: [.path(FieldPath("resourceId"))],
        nil: [.path(FieldPath("resources.uid"))],
    ]

    static func resource(for policy: Policy, document: JSONValue, event: AuditEvent?) -> String {
        let sources = policy.resourceSources ?? defaults[policy.feed] ?? []
        for source in sources {
            var found: String?
            source.first(in: document) { value in
                guard let text = value.scalarText, !text.isEmpty else { return false }
                found = text
                return true
            }
            if let found { return found }
        }
        if let first = event?.resources.first { return first }
        return event?.account ?? ""
    }
}
