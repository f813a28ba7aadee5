import ParapetCore

/// Sigma's `logsource`, and which feed it selects.
public struct LogSource: Sendable, Hashable, Codable {
    public var product: String?
    public var service: String?
    public var category: String?

    /// Creates a log source.
    public init(product: String? = nil, service: String? = nil, category: String? = nil) {
        self.product = product
        self.service = service
        self.category = category
    }

    /// What a log source resolves to: a feed, every feed (normalised fields), or nothing known.
    enum Resolution: Equatable {
        case feed(Feed)
        case any
        case unknown
    }

    static let supported = "product: aws + service: cloudtrail, product: azure + service: activitylogs, "
        + "product: gcp + service: gcp.audit, or product: any"

    var resolution: Resolution {
        let product = self.product?.lowercased()
        let service = self.service?.lowercased()
        switch (product, service) {
        case ("any"?, nil): return .any
        case ("aws"?, nil), ("aws"?, "cloudtrail"?): return .feed(.cloudtrail)
        case ("azure"?, "activitylogs"?), ("azure"?, "activitylog"?), ("azure"?, "activity"?),
            ("azure"?, "azure.activitylogs"?):
            return .feed(.azureActivity)
        case ("gcp"?, "gcp.audit"?), ("gcp"?, "audit"?), ("gcp"?, "gcp_audit"?), ("gcp"?, "cloudaudit"?):
            return .feed(.gcpAudit)
        default: return .unknown
        }
    }
}
