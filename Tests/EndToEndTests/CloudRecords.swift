import Foundation
import ParapetCore
import ParapetTesting

/// The shared sample records, re-addressed to the emulated estate: the accounts, projects and
/// subscriptions the test created, and times inside the daemon's 24-hour backfill window (the
/// samples are years old). Nothing else in a record is changed.
enum CloudRecords {
    /// `aws/cloudtrail-records.jsonl`: index → record (records without eventName/eventSource, such
    /// as the Insights record, are left out).
    static let cloudTrail: [Int: JSONValue] = {
        let text = (try? String(contentsOf: PackagePaths.sample("aws/cloudtrail-records.jsonl"), encoding: .utf8)) ?? ""
        var records: [Int: JSONValue] = [:]
        for (index, line) in text.split(separator: "\n").enumerated() {
            guard let record = try? JSONValue(parsing: String(line)), record["eventName"]?.stringValue != nil,
                  record["eventSource"]?.stringValue != nil else { continue }
            records[index] = record
        }
        return records
    }()

    /// Line 138: a successful StopLogging (Stratus Red Team); line 341: AuthorizeSecurityGroupIngress
    /// tcp/22 from 0.0.0.0/0 (Panther).
    static let stopLogging = 138
    static let sshOpenToTheWorld = 341

    /// The CloudTrail records at `indices`, attributed to `account` in `region` at `time`.
    static func cloudTrail(_ indices: [Int], account: String, region: String, time: Date) throws -> [JSONValue] {
        try indices.map { index in
            guard var record = cloudTrail[index] else { throw CloudTestFailure("cloudtrail-records.jsonl line \(index) is not usable") }
            record = record.setting(["recipientAccountId"], to: .string(account))
                .setting(["userIdentity", "accountId"], to: .string(account))
                .setting(["awsRegion"], to: .string(region))
                .setting(["eventTime"], to: .string(rfc3339(time)))
            return record
        }
    }

    /// `gcp/audit-entries.jsonl` entries of the audit logs, in `project`, one a minute from
    /// `start`; entries repeating an earlier insertId are left out (the store keys GCP events by
    /// project and insertId, as Logging does).
    static func gcpAudit(project: String, start: Date) throws -> [CloudSamples.Record] {
        var seen: Set<String> = []
        var result: [CloudSamples.Record] = []
        for record in try CloudSamples.load("gcp/audit-entries.jsonl", timeField: "timestamp") {
            guard let insertID = record.json["insertId"]?.stringValue, seen.insert(insertID).inserted,
                  let logName = record.json["logName"]?.stringValue, let logs = logName.range(of: "/logs/cloudaudit.googleapis.com")
            else { continue }
            let time = start.addingTimeInterval(Double(result.count) * 60)
            let json = record.json
                .setting(["logName"], to: .string("projects/\(project)" + logName[logs.lowerBound...]))
                .setting(["resource", "labels", "project_id"], to: .string(project))
                .setting(["timestamp"], to: .string(rfc3339(time)))
                .setting(["receiveTimestamp"], to: .string(rfc3339(time.addingTimeInterval(2))))
            result.append(CloudSamples.Record(json: json, time: time))
        }
        return result
    }

    /// `azure/activity-events-rest-api.jsonl` in `subscription`, one every five minutes from `start`.
    static func azureActivity(subscription: String, start: Date) throws -> [CloudSamples.Record] {
        let pattern = try NSRegularExpression(pattern: "/subscriptions/[^/\"]+", options: [.caseInsensitive])
        return try CloudSamples.load("azure/activity-events-rest-api.jsonl", timeField: "eventTimestamp").enumerated().map { index, record in
            let text = record.json.serialized()
            let moved = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                         withTemplate: "/subscriptions/\(subscription)")
            let time = start.addingTimeInterval(Double(index) * 300)
            let json = try JSONValue(parsing: moved)
                .setting(["subscriptionId"], to: .string(subscription))
                .setting(["eventTimestamp"], to: .string(rfc3339(time)))
                .setting(["submissionTimestamp"], to: .string(rfc3339(time.addingTimeInterval(60))))
            return CloudSamples.Record(json: json, time: time)
        }
    }

    /// `2024-07-31T13:06:24Z`, CloudTrail's own format.
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension JSONValue {
    /// A copy with the member at `path` set (missing objects on the way are created).
    func setting(_ path: [String], to value: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        var members = objectValue ?? [:]
        members[first] = (members[first] ?? .object([:])).setting(Array(path.dropFirst()), to: value)
        return .object(members)
    }
}
