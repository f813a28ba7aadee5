import Foundation
import ParapetCore
import ParapetStore

/// Builders for events, pages, findings and temporary database files.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let source = "aws/111122223333/eu-west-1/cloudtrail"

    /// A path inside a new temporary directory (the directory itself is not created).
    static func databasePath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("parapet-store-tests-\(UUID().uuidString)", isDirectory: true)
            .appendingPathComponent("parapet.db").path
    }

    /// Deletes the temporary directory of a path made by `databasePath()` (database, WAL and SHM files).
    static func removeDatabase(at path: String) {
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    static func event(
        _ id: String, at offset: TimeInterval = 0, account: String = "111122223333", operation: String = "StopLogging",
        provider: Provider = .aws
    ) -> AuditEvent {
        let feed: Feed = switch provider {
        case .aws: .cloudtrail
        case .gcp: .gcpAudit
        case .azure: .azureActivity
        }
        return AuditEvent(
            provider: provider, feed: feed, eventID: id, time: t0.addingTimeInterval(offset), account: account,
            region: "eu-west-1", operation: operation, serviceName: "cloudtrail.amazonaws.com",
            actor: .init(uid: "arn:aws:iam::\(account):user/alice", type: "IAMUser", name: "alice"),
            sourceIP: "192.0.2.10", outcome: .success, resources: ["arn:aws:cloudtrail:eu-west-1:\(account):trail/main"],
            raw: ["eventID": .string(id), "eventName": .string(operation)])
    }

    static func page(_ events: [AuditEvent], cursor: String?, quarantined: [QuarantinedRecord] = []) -> ActivityPage {
        ActivityPage(events: events, quarantined: quarantined, cursor: cursor.map(Cursor.init(rawValue:)))
    }

    static func finding(
        _ kind: Finding.Kind, for event: AuditEvent, policy: String = "parapet-aws-cloudtrail-tamper",
        severity: Severity = .critical, resource: String = "trail/main", routes: [String] = ["payments", "governance"],
        team: String? = "payments", note: String? = nil
    ) -> Finding {
        var account: JSONObject = ["id": .string(event.account), "name": "payments-prod", "ou": "Root/Workloads/Prod"]
        if let team { account["team"] = .string(team) }
        let data: JSONValue = [
            "policy": ["id": .string(policy), "title": "CloudTrail logging must not be stopped", "severity": .string(severity.rawValue)],
            "account": .object(account),
            "operation": .string(event.operation),
            "event": ["id": .string(event.eventID), "time": .string(ISO8601.string(from: event.time)), "provider": "aws"],
        ]
        return Finding(
            kind: kind, policyID: policy, policyTitle: "CloudTrail logging must not be stopped", severity: severity,
            event: event.key, resource: resource, note: note, routes: routes, data: data)
    }

    /// A policy: StopLogging opens a violation, StartLogging resolves, anything by "breakglass" is suppressed.
    static func trailPolicy(_ events: [AuditEvent]) -> [Finding] {
        events.compactMap { event in
            switch event.operation {
            case "StopLogging": finding(.violation, for: event)
            case "StartLogging": finding(.resolution, for: event)
            case "BreakGlassStop": finding(.suppressed, for: event, note: "break-glass runbook (owner platform, GOV-12)")
            default: nil
            }
        }
    }

    /// The real CloudTrail records in `../shared/samples/aws/cloudtrail-records.jsonl`, as events.
    static func sampleCloudTrailEvents() throws -> [AuditEvent] {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = packageRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/samples/aws/cloudtrail-records.jsonl")
        let text = try String(contentsOf: file, encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            let raw = try JSONValue(parsing: String(line))
            guard let id = raw["eventID"]?.stringValue, let name = raw["eventName"]?.stringValue,
                let time = raw["eventTime"]?.stringValue.flatMap(ISO8601.date(from:))
            else { return nil }
            return AuditEvent(
                provider: .aws, feed: .cloudtrail, eventID: id, time: time,
                account: raw.value(atPath: "recipientAccountId")?.stringValue
                    ?? raw.value(atPath: "userIdentity.accountId")?.stringValue ?? "unknown",
                region: raw["awsRegion"]?.stringValue, operation: name, serviceName: raw["eventSource"]?.stringValue,
                actor: .init(uid: raw.value(atPath: "userIdentity.arn")?.stringValue,
                             type: raw.value(atPath: "userIdentity.type")?.stringValue),
                sourceIP: raw["sourceIPAddress"]?.stringValue, userAgent: raw["userAgent"]?.stringValue,
                readOnly: raw["readOnly"]?.boolValue, raw: raw)
        }
    }
}

/// An error a test's policy throws to abort an ingest.
struct PolicyCrash: Error {}
