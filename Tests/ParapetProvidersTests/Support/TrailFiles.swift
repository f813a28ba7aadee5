import Foundation
import ParapetCore

/// CloudTrail log files built from `aws/s3-logfile-example.json`, re-addressed to an account
/// and region (recipientAccountId, awsRegion and a unique eventID per copy).
enum TrailFiles {
    static func example() throws -> JSONValue {
        try JSONValue(parsing: Data(contentsOf: TestPaths.sample("aws/s3-logfile-example.json")))
    }

    /// The example's records for `account`/`region`, their eventIDs suffixed with `tag`.
    static func file(account: String, region: String, tag: String) throws -> (data: Data, eventIDs: [String]) {
        guard case .array(let records) = try example()["Records"] ?? .null else {
            throw SuiteError(message: "s3-logfile-example.json has no Records")
        }
        var ids: [String] = []
        let copies: [JSONValue] = records.map { record in
            guard case .object(var members) = record else { return record }
            let id = "\(members["eventID"]?.stringValue ?? "event")-\(tag)"
            members["eventID"] = .string(id)
            members["recipientAccountId"] = .string(account)
            members["awsRegion"] = .string(region)
            ids.append(id)
            return .object(members)
        }
        return (Data(JSONValue.object(["Records": .array(copies)]).serialized().utf8), ids)
    }
}
