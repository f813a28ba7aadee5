/// The cloud a record or account belongs to.
public enum Provider: String, Sendable, Codable, CaseIterable, Hashable {
    case aws, gcp, azure
}

/// The activity feed a record came from; decides which normaliser and which policies apply.
public enum Feed: String, Sendable, Codable, CaseIterable, Hashable {
    /// AWS CloudTrail management/data events (`logsource: {product: aws, service: cloudtrail}`).
    case cloudtrail
    /// GCP Cloud Audit Logs LogEntry (`logsource: {product: gcp, service: gcp.audit}`).
    case gcpAudit = "gcp.audit"
    /// Azure Activity Log, either shape (`logsource: {product: azure, service: activitylogs}`).
    case azureActivity = "azure.activitylogs"

    public var provider: Provider {
        switch self {
        case .cloudtrail: .aws
        case .gcpAudit: .gcp
        case .azureActivity: .azure
        }
    }
}
