import Crypto
import Foundation
import ParapetCore

/// Normalises one Azure Activity Log record in the diagnostic-setting / Event Hub schema
/// (`time`, `resourceId`, `operationName`, `category`, `resultType`, `identity`, …).
///
/// - id: this schema carries no event id. `properties.eventDataId` is used when present; otherwise
///   the id is `azh-` + the first 32 hex digits of SHA-256 over the record's canonical JSON
///   (sorted keys, compact). The same record delivered twice (Event Hub, storage export, a re-read
///   file) gets the same id whatever its formatting; records differing in any field stay distinct
///   (the samples hold 11 Panther records that share correlationId, operation, resource, result and
///   time but differ elsewhere). Such ids do not match the `eventDataId` of the same event read
///   through the REST API.
/// - account: the subscription in `resourceId` (`/subscriptions/<id>/…`, any casing, id lower-cased);
///   for tenant-level records `tenants/<id>` from `resourceId` or `tenantId`.
/// - service: the resource provider, i.e. the namespace of `operationName` (`Microsoft.Compute`).
/// - read-only: from the operation's last segment: `read` → true; `write`, `delete`, `action` → false.
/// - outcome: resultType Success/Succeeded → success, Failure/Failed → failure, other stages
///   (Start, Accepted, Active…) → unknown.
enum AzureActivityNormaliser {
    static func normalise(_ record: JSONValue, fallbackAccount: String? = nil) throws -> AuditEvent {
        let fields = RecordFields(record)
        let operation = try fields.requiredString(.operationName)
        let timeText = try fields.requiredString(.time)
        let time = try AzureTime.date(from: timeText, field: "time")
        let resourceID = fields.string(.resourceId)
        guard let account = resourceID.flatMap(AzureResourceID.account(in:)) ?? fields.string(.tenantId).map({ "tenants/\($0.lowercased())" }) ?? fallbackAccount
        else {
            throw NormaliseError(resourceID == nil
                ? "missing field 'resourceId'"
                : "field 'resourceId' names no subscription: '\(RecordFields.clip(resourceID!))'")
        }
        let outcome = outcomeOf(fields.string(.resultType) ?? fields.string(.statusText), httpStatus: fields.value(.statusCode))
        let eventID = fields.string(.propertiesEventDataId)
            ?? hashedID(record.serialized())

        return AuditEvent(
            provider: .azure, feed: .azureActivity, eventID: eventID, time: time, account: account,
            region: fields.string(.location), operation: operation,
            serviceName: AzureResourceID.providerNamespace(of: operation),
            actor: actor(fields, claims: .identityClaims, evidence: .identityAuthorizationEvidence, caller: nil),
            sourceIP: fields.string(.callerIpAddress).flatMap(IPAddressText.firstAddress(in:)),
            userAgent: fields.string(.propertiesUserAgentHeader) ?? fields.string(.propertiesUserAgent),
            outcome: outcome,
            errorCode: outcome == .failure ? (fields.text(.propertiesStatusCode) ?? fields.string(.resultSignature)) : nil,
            errorMessage: outcome == .failure ? (fields.string(.resultDescription) ?? fields.string(.propertiesStatusMessage)) : nil,
            readOnly: readOnly(operation), resources: resourceID.map { [$0] } ?? [], raw: record)
    }

    /// From the result (`resultType`, `status.value`), else from an HTTP `statusCode` (resource logs).
    static func outcomeOf(_ status: String?, httpStatus: JSONValue? = nil) -> AuditEvent.Outcome {
        switch status?.lowercased() {
        case "success", "succeeded": return .success
        case "failure", "failed": return .failure
        case nil:
            guard let code = httpStatus?.numberValue else { return .unknown }
            if (200..<400).contains(code) { return .success }
            return code >= 400 ? .failure : .unknown
        default: return .unknown
        }
    }

    /// `…/read` → true; `…/write`, `…/delete`, `…/action` → false; a bare name (`GetBlob` in
    /// storage resource logs) is judged by its verb.
    static func readOnly(_ operation: String) -> Bool? {
        guard let slash = operation.lastIndex(of: "/") else { return OperationVerb.isReadOnly(operation) }
        switch operation[operation.index(after: slash)...].lowercased() {
        case "read": return true
        case "write", "delete", "action": return false
        default: return nil
        }
    }

    static func hashedID(_ canonicalJSON: String) -> String {
        let digest = SHA256.hash(data: Data(canonicalJSON.utf8))
        let hex = digest.prefix(16).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }
        return "azh-" + hex.joined()
    }

    static let upnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"
    static let nameClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
    static let objectIDClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier"
    static let spnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/spn"

    /// uid = the caller's object id (claim, else `authorization.evidence.principalId`, else `appid`,
    /// else the caller); name = UPN / name claim / `caller`; type = `evidence.principalType`, else
    /// User when a UPN is present, ServicePrincipal when only an app id or SPN is.
    static func actor(_ fields: RecordFields, claims claimsPath: FieldPath, evidence: AzureEvidencePaths, caller: String?) -> AuditEvent.Actor {
        let claims = fields.value(claimsPath)?.objectValue ?? [:]
        func claim(_ key: String) -> String? {
            guard let text = claims[key]?.stringValue, !text.isEmpty else { return nil }
            return text
        }
        let upn = claim(upnClaim) ?? claim("upn")
        let appID = claim("appid")
        let objectID = claim(objectIDClaim) ?? claim("oid") ?? fields.string(evidence.principalID)
        let name = upn ?? claim(nameClaim) ?? caller ?? claim(spnClaim) ?? claim("name")
        let type = fields.string(evidence.principalType)
            ?? (upn != nil ? "User" : (appID != nil || claim(spnClaim) != nil ? "ServicePrincipal" : nil))
        return AuditEvent.Actor(uid: objectID ?? appID ?? name, type: type, name: name)
    }
}
