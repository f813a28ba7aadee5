import ParapetCore

/// The leaf fields of `AuditEvent.normalized` that evaluation reads straight from the event,
/// without building the document. Each yields exactly what the document holds at that path.
enum NormalizedField: String, Sendable {
    case operation = "api.operation"
    case serviceName = "api.service.name"
    case actorUID = "actor.user.uid"
    case actorType = "actor.user.type"
    case actorName = "actor.user.name"
    case provider = "cloud.provider"
    case account = "cloud.account.uid"
    case region = "cloud.region"
    case status = "status"
    case sourceIP = "src_endpoint.ip"
    case userAgent = "http_request.user_agent"
    case errorCode = "status_code"
    case errorMessage = "status_detail"
    case readOnly = "read_only"
    case eventID = "metadata.uid"
    case product = "metadata.product.name"
    case resourceUIDs = "resources.uid"
    case className = "class_name"
    case classUID = "class_uid"
}
