import ParapetCore

/// Per-feed field mappings, like pySigma processing pipelines: a rule's field name is read from
/// the literal path first, then from every path where real records of the feed carry it.
struct FieldMapping: Sendable {
    /// Rule field → record paths.
    let exact: [String: [String]]
    /// Rule field prefix → record path prefix (`data.` → `` for GCP entries wrapped in CloudEvents).
    let prefixes: [(from: String, to: String)]
    /// Rule fields read as the provider namespace of these paths.
    let providerNamespace: [String: [String]]
    /// Fields an event can be indexed by, most selective first: key name → rule fields that
    /// mean it.
    let indexKeys: [(name: String, fields: [String])]

    /// The sources for `field`: the literal path first, mapped paths after, without repeats.
    func sources(for field: String) -> [FieldSource] {
        var paths = [field]
        paths += exact[field] ?? []
        for (from, to) in prefixes where field.hasPrefix(from) && field.count > from.count {
            let rest = String(field.dropFirst(from.count))
            paths.append(to + rest)
            paths += exact[to + rest] ?? []
        }
        var seen = Set<String>()
        var sources = paths.filter { seen.insert($0).inserted }.map { FieldSource.path(FieldPath($0)) }
        if let derived = providerNamespace[field] {
            sources.append(.providerNamespace(derived.map(FieldPath.init)))
        }
        return sources
    }

    /// The index key a rule field stands for, if any.
    func indexKey(for field: String) -> String? {
        indexKeys.first { $0.fields.contains(field) }?.name
    }

    static func forFeed(_ feed: Feed?) -> FieldMapping {
        switch feed {
        case .cloudtrail?: .cloudTrail
        case .azureActivity?: .azureActivity
        case .gcpAudit?: .gcpAudit
        case nil: .normalized
        }
    }

    static let cloudTrail = FieldMapping(
        exact: [:], prefixes: [], providerNamespace: [:],
        indexKeys: [("eventName", ["eventName"]), ("eventSource", ["eventSource"])])

    static let normalized = FieldMapping(
        exact: [:], prefixes: [], providerNamespace: [:],
        indexKeys: [("api.operation", ["api.operation"]), ("api.service.name", ["api.service.name"])])

    /// Azure Activity Log in both shapes: Event Hub / diagnostic settings (`operationName`,
    /// `category`, `resultType` as strings, `identity.*`) and REST / portal (`operationName.value`,
    /// `category.value`, `status.value`, `claims`, `authorization`), reached also by the
    /// Log Analytics column names SigmaHQ rules use (`OperationNameValue`, `CategoryValue`, …).
    static let azureActivity = FieldMapping(
        exact: [
            "OperationNameValue": ["operationName", "operationName.value"],
            "OperationName": ["operationName.localizedValue", "operationName", "operationName.value"],
            "operationName": ["operationName.value"],
            "CategoryValue": ["category", "category.value"],
            "Category": ["category.localizedValue", "category", "category.value"],
            "category": ["category.value"],
            "ResourceProviderValue": ["resourceProviderName.value", "resourceProviderName"],
            "ResourceProvider": ["resourceProviderName.localizedValue", "resourceProviderName.value", "resourceProviderName"],
            "resourceProviderName": ["resourceProviderName.value"],
            "ActivityStatusValue": ["status.value", "resultType", "status"],
            "ActivityStatus": ["status.localizedValue", "status.value", "resultType", "status"],
            "ActivitySubstatusValue": ["subStatus.value", "resultSignature", "subStatus"],
            "ActivitySubstatus": ["subStatus.localizedValue", "subStatus.value", "resultSignature", "subStatus"],
            "resultType": ["status.value"],
            "resultSignature": ["subStatus.value"],
            "status": ["resultType"],
            "ResourceId": ["resourceId"],
            "_ResourceId": ["resourceId"],
            "ResourceGroup": ["resourceGroupName"],
            "SubscriptionId": ["subscriptionId"],
            "TenantId": ["tenantId"],
            "Caller": ["caller", "identity.claims.http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
                       "identity.claims.http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"],
            "CallerIpAddress": ["callerIpAddress", "httpRequest.clientIpAddress"],
            "callerIpAddress": ["httpRequest.clientIpAddress"],
            "CorrelationId": ["correlationId"],
            "EventDataId": ["eventDataId"],
            "OperationId": ["operationId"],
            "Level": ["level"],
            "Properties": ["properties"],
            "Properties_d": ["properties"],
            "Authorization": ["authorization", "identity.authorization"],
            "Authorization_d": ["authorization", "identity.authorization"],
            "Claims": ["claims", "identity.claims"],
            "Claims_d": ["claims", "identity.claims"],
            "HTTPRequest": ["httpRequest"],
            "EventSubmissionTimestamp": ["submissionTimestamp"],
            "TimeGenerated": ["time", "eventTimestamp"],
        ],
        prefixes: [
            ("identity.claims.", "claims."), ("claims.", "identity.claims."),
            ("identity.authorization.", "authorization."), ("authorization.", "identity.authorization."),
        ],
        providerNamespace: [
            "ResourceProviderValue": ["operationName", "operationName.value"],
            "ResourceProvider": ["operationName", "operationName.value"],
            "resourceProviderName": ["operationName"],
        ],
        indexKeys: [("operationName", ["operationName", "OperationNameValue", "operationName.value"])])

    /// GCP Cloud Audit Logs `LogEntry`: SigmaHQ's `gcp.audit.*` names (Elastic style) and its
    /// `data.protoPayload.*` names (entries wrapped in a CloudEvent or Pub/Sub `data`).
    static let gcpAudit = FieldMapping(
        exact: [
            "gcp.audit.method_name": ["protoPayload.methodName"],
            "gcp.audit.service_name": ["protoPayload.serviceName"],
            "gcp.audit.resource_name": ["protoPayload.resourceName"],
            "gcp.audit.principal_email": ["protoPayload.authenticationInfo.principalEmail"],
            "gcp.audit.authentication_info.principal_email": ["protoPayload.authenticationInfo.principalEmail"],
            "gcp.audit.caller_ip": ["protoPayload.requestMetadata.callerIp"],
            "gcp.audit.request_metadata.caller_ip": ["protoPayload.requestMetadata.callerIp"],
            "gcp.audit.caller_user_agent": ["protoPayload.requestMetadata.callerSuppliedUserAgent"],
            "gcp.audit.authorization_info.permission": ["protoPayload.authorizationInfo.permission"],
            "gcp.audit.authorization_info.granted": ["protoPayload.authorizationInfo.granted"],
            "gcp.audit.authorization_info.resource": ["protoPayload.authorizationInfo.resource"],
            "gcp.audit.status.code": ["protoPayload.status.code"],
            "gcp.audit.status.message": ["protoPayload.status.message"],
            "gcp.audit.type": ["protoPayload.@type"],
            "gcp.audit.num_response_items": ["protoPayload.numResponseItems"],
            "gcp.audit.request": ["protoPayload.request"],
            "gcp.audit.response": ["protoPayload.response"],
            "gcp.audit.resource_location.current_locations": ["protoPayload.resourceLocation.currentLocations"],
            "gcp.audit.log_name": ["logName"],
            "methodName": ["protoPayload.methodName"],
            "serviceName": ["protoPayload.serviceName"],
            "resourceName": ["protoPayload.resourceName"],
            "protoPayload.resource.type": ["resource.type"],
            "protoPayload.logName": ["logName"],
        ],
        prefixes: [("data.", "")],
        providerNamespace: [:],
        indexKeys: [("methodName", ["gcp.audit.method_name", "protoPayload.methodName", "data.protoPayload.methodName", "methodName"])])
}
