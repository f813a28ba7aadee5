import Foundation
import ParapetCore

/// Normalises one GCP Cloud Audit Logs `LogEntry` (protoPayload `AuditLog`).
///
/// - id: `insertId` as is. Logging itself treats entries with the same project, timestamp and
///   insertId as duplicates, audit insertIds are generated per entry, and the store key already
///   holds the project (account), so qualifying it with the log name is not needed.
/// - account: the parent of `logName` (`projects/P/logs/…` → `P`; `organizations/O/…`,
///   `folders/F/…`, `billingAccounts/B/…` keep their prefix, e.g. `organizations/O`, so they
///   never collide with a project id), else `resource.labels.project_id`. The log's project is the
///   project whose audit trail holds the entry (and the one a source polls), even when the call
///   touched a resource of another project.
/// - region: `resource.labels.location`, `.zone` or `.region`, else the first
///   `protoPayload.resourceLocation.currentLocations`.
/// - read-only: `activity` and `system_event` logs are writes (false); otherwise the verb of the
///   method name decides (get/list/… → true, create/set/delete/… → false); a `data_access` entry
///   whose verb says neither counts as a read (DATA_READ/ADMIN_READ are the bulk of that log);
///   anything else (e.g. `policy` denials of unknown verbs) is unknown.
/// - outcome: `protoPayload.status.code` absent or 0 → success, else failure with the canonical
///   gRPC code name (`PERMISSION_DENIED`) and `status.message`.
enum GCPAuditNormaliser {
    static func normalise(_ record: JSONValue, fallbackAccount: String? = nil) throws -> AuditEvent {
        let fields = RecordFields(record)
        guard case .object? = fields.value(.protoPayload) else {
            throw NormaliseError(fields.value(.protoPayload) == nil
                ? "missing field 'protoPayload'" : "field 'protoPayload' is not an object")
        }
        let insertID = try fields.requiredString(.insertId)
        let time = try fields.requiredTime(.timestamp)
        let method = try fields.requiredString(.protoPayloadMethodName)
        let logName = fields.string(.logName)
        guard let account = logName.flatMap(logParent) ?? fields.text(.resourceLabelsProjectId) ?? fallbackAccount else {
            throw NormaliseError(logName == nil
                ? "missing field 'logName' (and no 'resource.labels.project_id')"
                : "field 'logName' names no project or organisation: '\(RecordFields.clip(logName!))'")
        }

        let statusCode = fields.value(.protoPayloadStatusCode)?.numberValue.map { Int($0) } ?? 0
        let outcome: AuditEvent.Outcome = statusCode == 0 ? .success : .failure
        let logID = logName.map(self.logID) ?? ""

        return AuditEvent(
            provider: .gcp, feed: .gcpAudit, eventID: insertID, time: time, account: account,
            region: region(fields), operation: method, serviceName: fields.string(.protoPayloadServiceName),
            actor: actor(fields),
            sourceIP: fields.string(.protoPayloadRequestMetadataCallerIp).flatMap(IPAddressText.firstAddress(in:)),
            userAgent: fields.string(.protoPayloadRequestMetadataCallerSuppliedUserAgent),
            outcome: outcome,
            errorCode: outcome == .failure ? canonicalCodeName(statusCode) : nil,
            errorMessage: outcome == .failure ? fields.string(.protoPayloadStatusMessage) : nil,
            readOnly: readOnly(logID: logID, method: method),
            resources: fields.string(.protoPayloadResourceName).map { [$0] } ?? [],
            raw: record)
    }

    /// `projects/P/logs/x` → `P`; `organizations/O/logs/x` → `organizations/O`; `projects/P` → `P`.
    static func logParent(_ logName: String) -> String? {
        // Split on bytes: '/' is ASCII, so these indices are valid String indices too.
        let utf8 = logName.utf8
        guard let firstSlash = utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let start = utf8.index(after: firstSlash)
        let end = utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? utf8.endIndex
        guard start < end else { return nil }
        let kind = logName[..<firstSlash]
        switch kind {
        case "projects": return String(logName[start..<end])
        case "organizations", "folders", "billingAccounts": return String(logName[..<end])
        default: return nil
        }
    }

    /// `…/logs/cloudaudit.googleapis.com%2Fdata_access` → `data_access`.
    static func logID(_ logName: String) -> String {
        if let id = logName.utf8.withContiguousStorageIfAvailable(logID(in:)) { return id }
        return Array(logName.utf8).withUnsafeBufferPointer(logID(in:))
    }

    private static let logsSegment = Array("/logs/".utf8)
    private static let encodedSlash = Array("%2f".utf8)

    /// `logID` on the log name's UTF-8, read in place.
    private static func logID(in bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let logs = find(logsSegment, in: bytes, from: 0, ignoringCase: false) else { return "" }
        var start = logs + 6
        if let encoded = find(encodedSlash, in: bytes, from: start, ignoringCase: true) {
            start = encoded + 3
        } else if let slash = bytes[start...].lastIndex(of: UInt8(ascii: "/")) {
            start = slash + 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
    }

    /// The first index at or after `from` where `needle` (lower-case when `ignoringCase`) occurs.
    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int, ignoringCase: Bool) -> Int? {
        guard bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
        outer: for i in from...(bytes.count - needle.count) {
            for j in needle.indices {
                var byte = bytes[i + j]
                if ignoringCase, byte >= 65, byte <= 90 { byte |= 0x20 }
                if byte != needle[j] { continue outer }
            }
            return i
        }
        return nil
    }

    static func readOnly(logID: String, method: String) -> Bool? {
        switch logID {
        case "activity", "system_event": return false
        case "data_access": return OperationVerb.isReadOnly(method) ?? true
        default: return OperationVerb.isReadOnly(method)
        }
    }

    static func region(_ fields: RecordFields) -> String? {
        if let region = fields.string(.resourceLabelsLocation) ?? fields.string(.resourceLabelsZone)
            ?? fields.string(.resourceLabelsRegion)
        {
            return region
        }
        if case .array(let locations)? = fields.value(.protoPayloadResourceLocationCurrentLocations) {
            return locations.first?.stringValue
        }
        return nil
    }

    /// uid/name = `principalEmail` (else `principalSubject`); type from the principal's form.
    static func actor(_ fields: RecordFields) -> AuditEvent.Actor {
        let email = fields.string(.protoPayloadAuthenticationInfoPrincipalEmail)
        let subject = fields.string(.protoPayloadAuthenticationInfoPrincipalSubject)
        guard let principal = email ?? subject else { return AuditEvent.Actor() }
        let type: String
        if principal.hasSuffix(".gserviceaccount.com") || principal.hasPrefix("system:serviceaccount:")
            || principal.hasPrefix("serviceAccount:")
        {
            type = "ServiceAccount"
        } else if principal == "system:anonymous" {
            type = "Anonymous"
        } else if principal.hasPrefix("system:") {
            type = "System"
        } else if email == nil {
            type = "Principal"
        } else {
            type = "User"
        }
        return AuditEvent.Actor(uid: principal, type: type, name: email)
    }

    /// google.rpc.Code names.
    static func canonicalCodeName(_ code: Int) -> String {
        codeNames.indices.contains(code) ? codeNames[code] : String(code)
    }

    private static let codeNames = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]
}
