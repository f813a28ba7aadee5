import Foundation
import ParapetCore

/// The REST / portal ("EventData") shape of the Azure Activity Log, returned by
/// `GET …/providers/Microsoft.Insights/eventtypes/management/values`: `operationName`, `status`,
/// `category`, … are `{value, localizedValue}` objects, times are `eventTimestamp` /
/// `submissionTimestamp`, and the caller is spread over `caller`, `claims`, `authorization` and
/// `httpRequest.clientIpAddress`.
///
/// - id: `eventDataId`. account: `subscriptionId`, else the subscription in `resourceId`/`id`.
/// - service: the namespace of the operation (as for the Event Hub shape).
/// - outcome: from `status.value`; error code `subStatus.value` (else `properties.statusCode`) on failure.
extension AzureActivityNormaliser {
    static func normaliseREST(_ record: JSONValue, fallbackAccount: String? = nil) throws -> AuditEvent {
        let fields = RecordFields(record)
        let eventID = try fields.requiredString(.eventDataId)
        let operation = try localized(fields, .operationName, value: .operationNameValue)
        let time = try AzureTime.date(from: try fields.requiredString(.eventTimestamp), field: "eventTimestamp")
        let resourceID = fields.string(.resourceId)
        guard let account = fields.string(.subscriptionId)?.lowercased()
            ?? resourceID.flatMap(AzureResourceID.account(in:))
            ?? fields.string(.id).flatMap(AzureResourceID.account(in:)) ?? fallbackAccount
        else { throw NormaliseError("missing field 'subscriptionId' (and no subscription in 'resourceId')") }
        let status = fields.string(.statusValue)
        let outcome = outcomeOf(status)

        return AuditEvent(
            provider: .azure, feed: .azureActivity, eventID: eventID, time: time, account: account,
            region: fields.string(.propertiesRegion) ?? fields.string(.propertiesResourceLocation),
            operation: operation,
            serviceName: AzureResourceID.providerNamespace(of: operation) ?? fields.string(.resourceProviderNameValue),
            actor: actor(fields, claims: .claims, evidence: .authorizationEvidence, caller: fields.string(.caller)),
            sourceIP: (fields.string(.httpRequestClientIpAddress) ?? fields.string(.claimsIpaddr))
                .flatMap(IPAddressText.firstAddress(in:)),
            userAgent: nil, outcome: outcome,
            errorCode: outcome == .failure ? (fields.string(.subStatusValue) ?? fields.text(.propertiesStatusCode)) : nil,
            errorMessage: outcome == .failure ? fields.string(.propertiesStatusMessage) : nil,
            readOnly: readOnly(operation), resources: resourceID.map { [$0] } ?? [], raw: record)
    }

    /// A `{value, localizedValue}` field's value (a plain string is accepted too).
    static func localized(_ fields: RecordFields, _ name: FieldPath, value: FieldPath) throws -> String {
        switch fields.value(name) {
        case nil: throw NormaliseError("missing field '\(name.text)'")
        case .string?: return try fields.requiredString(name)
        case .object?: return try fields.requiredString(value)
        case let other?: throw NormaliseError("field '\(name.text)' is neither a string nor {value, localizedValue}: \(RecordFields.preview(other))")
        }
    }
}
