import Foundation
import ParapetCore

/// The state and behaviour of a CloudTrail `LookupEvents` endpoint as documented: a
/// StartTime/EndTime window, newest first, `MaxResults` (≤ 50), `NextToken` valid only with the
/// same parameters, more than 2 calls a second answered with `ThrottlingException`.
public actor FakeCloudTrail {
    /// An HTTP status and JSON body.
    public struct Answer: Sendable {
        public var status: Int
        public var body: String
    }

    let records: [(time: Double, id: String, line: String, name: String, source: String)]
    var malformed: Set<String> = []
    var forcedThrottles = 0
    var forcedServerErrors = 0
    /// Access keys whose principal may not call LookupEvents.
    var deniedKeys: Set<String> = []
    /// The limit as a token bucket: 2 a second, bursts of 3 — one more than the client's own
    /// burst, so a client spacing its calls by half a second passes even when a loaded machine
    /// delays one call into the next (six unshared calls at once still get throttled).
    private var tokens = 3.0
    private var refilled = ContinuousClock.now
    private(set) var throttled = 0
    private(set) var requests: [JSONValue] = []

    /// Records from a JSON-lines file (each line a CloudTrail record).
    public init(jsonLines: URL) throws {
        try self.init(lines: String(decoding: try Data(contentsOf: jsonLines), as: UTF8.self).split(separator: "\n").map(String.init))
    }

    /// Records given as JSON text, one CloudTrail record each (lines without eventTime or eventID are skipped).
    public init(lines: [String]) throws {
        var records: [(Double, String, String, String, String)] = []
        for line in lines {
            let record = try JSONValue(parsing: String(line))
            guard let time = record["eventTime"]?.stringValue.flatMap(ISO8601.date(from:)),
                  let id = record["eventID"]?.stringValue else { continue }
            records.append((time.timeIntervalSince1970, id, String(line), record["eventName"]?.stringValue ?? "",
                            record["eventSource"]?.stringValue ?? ""))
        }
        self.records = records.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
    }

    /// Scripts failures: malformed records, throttles, server errors, access keys denied.
    public func set(malformed: Set<String> = [], throttles: Int = 0, serverErrors: Int = 0, denied: Set<String> = []) {
        self.deniedKeys = denied
        self.malformed = malformed
        self.forcedThrottles = throttles
        self.forcedServerErrors = serverErrors
    }

    /// The requests received and how many were throttled.
    public func stats() -> (requests: [JSONValue], throttled: Int) { (requests, throttled) }

    /// The ids of the records inside [start, end], newest first.
    public func expectedIDs(start: Double, end: Double) -> [String] {
        records.filter { $0.time >= start && $0.time <= end }.map(\.id)
    }

    /// Answers one LookupEvents call signed with `accessKey`.
    public func lookupEvents(_ body: Data, accessKey: String) -> Answer {
        if !takeToken() || forcedThrottles > 0 {
            if forcedThrottles > 0 { forcedThrottles -= 1 }
            throttled += 1
            return Answer(status: 400, body: #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
        }
        if deniedKeys.contains(accessKey) {
            return Answer(status: 400, body: #"{"__type":"AccessDeniedException","message":"User: arn:aws:sts::444455556666:assumed-role/ParapetAudit/parapet is not authorized to perform: cloudtrail:LookupEvents"}"#)
        }
        if forcedServerErrors > 0 {
            forcedServerErrors -= 1
            return Answer(status: 503, body: #"{"__type":"ServiceUnavailableException","message":"try again"}"#)
        }
        guard let request = try? JSONValue(parsing: body), let start = request["StartTime"]?.numberValue,
              let end = request["EndTime"]?.numberValue
        else { return invalid("StartTime and EndTime are required") }
        requests.append(request)
        let maxResults = Int(request["MaxResults"]?.numberValue ?? 50)
        guard (1...50).contains(maxResults) else { return invalid("MaxResults must be between 1 and 50") }
        guard start <= end else { return invalid("StartTime must be before EndTime") }
        var offset = 0
        if let token = request["NextToken"]?.stringValue {
            let parts = token.split(separator: "|")
            guard parts.count == 4, let o = Int(parts[0]), Double(parts[1]) == start, Double(parts[2]) == end,
                  Int(parts[3]) == maxResults
            else {
                return Answer(status: 400, body: #"{"__type":"InvalidNextTokenException","message":"Invalid NextToken"}"#)
            }
            offset = o
        }
        let window = records.filter { $0.time >= start && $0.time <= end }
        let page = window.dropFirst(offset).prefix(maxResults)
        var events: [JSONValue] = []
        for record in page {
            events.append([
                "EventId": .string(record.id), "EventName": .string(record.name), "EventSource": .string(record.source),
                "EventTime": .number(record.time), "ReadOnly": "false", "Resources": [],
                "CloudTrailEvent": .string(malformed.contains(record.id) ? "{\"eventID\": \"\(record.id)\", truncated" : record.line),
            ])
        }
        var answer: JSONObject = ["Events": .array(events)]
        if offset + page.count < window.count {
            answer["NextToken"] = .string("\(offset + page.count)|\(start)|\(end)|\(maxResults)")
        }
        return Answer(status: 200, body: JSONValue.object(answer).serialized())
    }

    private func takeToken() -> Bool {
        let now = ContinuousClock.now
        let elapsed = now - refilled
        refilled = now
        tokens = min(3, tokens + 2 * (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    private func invalid(_ message: String) -> Answer {
        Answer(status: 400, body: #"{"__type":"InvalidParameterException","message":"\#(message)"}"#)
    }
}
