import Foundation
import ParapetCore

/// Normalises one AWS CloudTrail record (management, data, console sign-in or Insights event).
///
/// - id: `eventID`; account: `recipientAccountId`, else `userIdentity.accountId`, else the
///   EventBridge envelope's `account` (passed as `fallbackAccount`).
/// - operation/service: `eventName`/`eventSource`, or for Insights records (`eventType:
///   AwsCloudTrailInsight`) `insightDetails.eventName`/`.eventSource`.
/// - read-only: `readOnly` when present, else the verb of `eventName` (Get/List/Describe… → true,
///   Create/Delete/Put… → false, others unknown); Insights records are neither.
/// - outcome: failure when `errorCode` is non-empty (and not a 2xx status, which one Grafana sample
///   writes), success otherwise; unknown for Insights.
enum CloudTrailNormaliser {
    static func normalise(_ record: JSONValue, fallbackAccount: String? = nil) throws -> AuditEvent {
        let fields = RecordFields(record)
        let eventID = try fields.requiredString(.eventID)
        let time = try fields.requiredTime(.eventTime)
        let isInsight = fields.string(.eventType) == "AwsCloudTrailInsight" || fields.value(.insightDetails) != nil
        let operation: String
        let service: String?
        if isInsight, fields.string(.eventName) == nil {
            operation = try fields.requiredString(.insightDetailsEventName)
            service = fields.string(.insightDetailsEventSource)
        } else {
            operation = try fields.requiredString(.eventName)
            service = fields.string(.eventSource)
        }
        guard let account = fields.text(.recipientAccountId) ?? fields.text(.userIdentityAccountId) ?? fallbackAccount
        else { throw NormaliseError("missing field 'recipientAccountId' (and no 'userIdentity.accountId')") }

        let errorCode = fields.text(.errorCode)
        let outcome: AuditEvent.Outcome
        if isInsight {
            outcome = .unknown
        } else if let errorCode, !isSuccessStatus(errorCode) {
            outcome = .failure
        } else {
            outcome = .success
        }
        let readOnly = isInsight ? nil : (fields.bool(.readOnly) ?? OperationVerb.isReadOnly(operation))

        return AuditEvent(
            provider: .aws, feed: .cloudtrail, eventID: eventID, time: time, account: account,
            region: fields.string(.awsRegion), operation: operation, serviceName: service,
            actor: actor(fields), sourceIP: fields.string(.sourceIPAddress).flatMap(IPAddressText.firstAddress(in:)),
            userAgent: fields.string(.userAgent), outcome: outcome,
            errorCode: outcome == .failure ? errorCode : nil,
            errorMessage: fields.string(.errorMessage), readOnly: readOnly,
            resources: resources(fields.value(.resources)), raw: record)
    }

    /// `actor.user`: uid = the identity's ARN (else principalId, else the invoking service);
    /// name = `userName`, else the last segment of the ARN (the role session, `root`).
    static func actor(_ fields: RecordFields) -> AuditEvent.Actor {
        let arn = fields.string(.userIdentityArn)
        let invokedBy = fields.string(.userIdentityInvokedBy)
        let uid = arn ?? fields.string(.userIdentityPrincipalId) ?? invokedBy
        let name = fields.string(.userIdentityUserName) ?? arn.map(lastARNSegment) ?? invokedBy
        return AuditEvent.Actor(uid: uid, type: fields.string(.userIdentityType), name: name)
    }

    static func lastARNSegment(_ arn: String) -> String {
        if let slash = arn.lastIndex(of: "/") { return String(arn[arn.index(after: slash)...]) }
        if let colon = arn.lastIndex(of: ":") { return String(arn[arn.index(after: colon)...]) }
        return arn
    }

    /// `resources[].ARN` (also spelled `arn` in some samples).
    static func resources(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { item in
            guard case .object(let members) = item else { return nil }
            return (members["ARN"] ?? members["arn"])?.stringValue
        }
    }

    private static func isSuccessStatus(_ code: String) -> Bool {
        code.utf8.count == 3 && code.hasPrefix("2") && Int(code) != nil
    }
}
