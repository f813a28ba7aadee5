import Foundation
import ParapetCore

enum Fixtures {
    /// A violation document shaped as the policy engine produces it.
    static let violation: JSONValue = [
        "violation_id": "v-42",
        "status": "open",
        "policy": [
            "id": "parapet-aws-cloudtrail-tamper",
            "title": "CloudTrail logging must not be stopped or deleted",
            "controls": ["CT.CLOUDTRAIL.PR.1", "CIS-AWS-4.5"],
        ],
        "severity": "critical",
        "account": ["provider": "aws", "id": "111122223333", "name": "payments-prod", "team": "payments"],
        "actor": ["user": ["uid": "arn:aws:sts::111122223333:assumed-role/Admin/alice", "name": "alice",
                           "type": "AssumedRole"]],
        "event": [
            "id": "3c5a3e7e-0f5e-4a44-9d51-1c2d3e4f5a6b", "time": "2024-09-11T09:28:28Z", "operation": "StopLogging",
            "service": "cloudtrail.amazonaws.com", "region": "eu-west-1", "source_ip": "203.0.113.7",
        ],
        "remediation": "Re-enable the trail (aws cloudtrail start-logging --name <trail>) and find out why it stopped.",
    ]

    static let time = Date(timeIntervalSince1970: 1_726_046_908)  // 2024-09-11T09:28:28Z

    static func notification(id: String = "dlv_01J8Z3", kind: Notification.Kind = .opened,
                             data: JSONValue = violation) -> Notification {
        Notification(id: id, kind: kind, subject: "111122223333", time: time, data: data)
    }

    /// A fresh empty directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("parapet-notifiers-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes a directory made by `temporaryDirectory()`, with what the test wrote in it.
    static func remove(_ directory: URL) {
        try? FileManager.default.removeItem(at: directory)
    }
}
