import ParapetCore

/// Names the resource a match is grouped by: the policy's `parapet.resource` field, else the
/// feed's usual resource fields, else the event's first resource, else the account.
enum ResourceNamer {
    /// CloudTrail `requestParameters` members that name the resource, most specific first.
    static let cloudTrailParameters = [
        "bucketName", "name", "trailName", "userName", "roleName", "groupName", "groupId", "policyArn",
        "functionName", "dBInstanceIdentifier", "dBClusterIdentifier", "keyId", "detectorId", "snapshotId",
        "clusterName", "domainName",
    ]
    static let fallbacks: [Feed?: [FieldSource]] = [
        .cloudtrail: [.path(FieldPath("requestParameters.instancesSet.items.instanceId")), .path(FieldPath("resources.ARN"))],
        .gcpAudit: [.path(FieldPath("protoPayload.resourceName"))],
        .azureActivity: [.path(FieldPath("resourceId"))],
        nil: [.path(FieldPath("resources.uid"))],
    ]

    static func resource(for policy: Policy, document: JSONValue, event: AuditEvent?) -> String {
        if let sources = policy.resourceSources {
            if let found = firstText(sources, document) { return found }
        } else {
            if policy.feed == .cloudtrail, case .object(let parameters)? = document["requestParameters"] {
                for key in cloudTrailParameters {
                    if let text = parameters[key]?.scalarText, !text.isEmpty { return text }
                }
            }
            if let found = firstText(fallbacks[policy.feed] ?? [], document) { return found }
        }
        if let first = event?.resources.first { return first }
        return event?.account ?? ""
    }

    private static func firstText(_ sources: [FieldSource], _ document: JSONValue) -> String? {
        for source in sources {
            var found: String?
            source.first(in: document) { value in
                guard let text = value.scalarText, !text.isEmpty else { return false }
                found = text
                return true
            }
            if let found { return found }
        }
        return nil
    }
}
