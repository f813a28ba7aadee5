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

    /// The value at this path of `event.normalized` (a list for `resources.uid`), nil when absent.
    func value(of event: AuditEvent) -> JSONValue? {
        func text(_ s: String?) -> JSONValue? { s.map { .string($0) } }
        switch self {
        case .operation: return .string(event.operation)
        case .serviceName: return text(event.serviceName)
        case .actorUID: return text(event.actor.uid)
        case .actorType: return text(event.actor.type)
        case .actorName: return text(event.actor.name)
        case .provider: return .string(event.provider.rawValue)
        case .account: return .string(event.account)
        case .region: return text(event.region)
        case .status: return .string(event.outcome.rawValue)
        case .sourceIP: return text(event.sourceIP)
        case .userAgent: return text(event.userAgent)
        case .errorCode: return text(event.errorCode)
        case .errorMessage: return text(event.errorMessage)
        case .readOnly: return event.readOnly.map { .bool($0) }
        case .eventID: return .string(event.eventID)
        case .product: return .string(event.feed.rawValue)
        case .resourceUIDs: return event.resources.isEmpty ? nil : .array(event.resources.map { .string($0) })
        case .className: return "API Activity"
        case .classUID: return 6003
        }
    }
}
