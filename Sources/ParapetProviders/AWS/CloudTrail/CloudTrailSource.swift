import Foundation
import ParapetCore

/// One account × region of CloudTrail, read with `LookupEvents` (management events of the
/// last 90 days). Each poll reads one page of a window that starts `overlap` before the
/// previous window's end and ends at the time the window was opened.
public struct CloudTrailSource: ActivitySource {
    /// `accounts[].source: {type: cloudtrail, …}` and `poll.backfill`.
    public struct Configuration: Sendable, Hashable {
        public var account: String
        public var region: String
        /// How far behind the previous window's end a new window starts (late events). Default 20 minutes.
        public var overlap: TimeInterval
        /// How far back the first poll reads. Default 24 hours; at most 90 days.
        public var backfill: TimeInterval
        /// `MaxResults` of each LookupEvents call (1…50).
        public var maxResults: Int
        /// Calls per second per account and region (CloudTrail allows 2).
        public var requestsPerSecond: Double

        public init(account: String, region: String, overlap: TimeInterval = 20 * 60, backfill: TimeInterval = 24 * 3600,
                    maxResults: Int = 50, requestsPerSecond: Double = 2) {
            self.account = account
            self.region = region
            self.overlap = max(0, overlap)
            self.backfill = min(max(0, backfill), CloudTrailSource.lookupHorizon)
            self.maxResults = min(max(1, maxResults), 50)
            self.requestsPerSecond = max(0.1, requestsPerSecond)
        }
    }

    /// LookupEvents only reaches 90 days back.
    public static let lookupHorizon: TimeInterval = 90 * 86400
    static let targetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"

    public let configuration: Configuration
    public let id: String
    public var provider: Provider { .aws }
    let client: AWSClient
    let buckets: TokenBucketRegistry
    let now: @Sendable () -> Date

    /// `client` carries the account's credentials (an `AssumeRoleCredentialProvider`); `buckets`
    /// is shared by every source of the daemon, keyed `aws/ACCOUNT/REGION`.
    public init(configuration: Configuration, client: AWSClient, buckets: TokenBucketRegistry,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.id = "aws/\(configuration.account)/\(configuration.region)/cloudtrail"
        self.client = client
        self.buckets = buckets
        self.now = now
    }

    /// One page of LookupEvents, normalised (records that do not normalise are quarantined).
    public func poll(after cursor: Cursor?) async throws -> ActivityPage {
        try await read(after: cursor).page(sourceID: id)
    }

    /// One LookupEvents page after `cursor`, as raw records.
    public func read(after cursor: Cursor?) async throws -> CloudTrailBatch {
        try AWSEndpoints.validate(region: configuration.region)
        let window = try nextWindow(after: cursor)
        let bucket = await buckets.bucket(for: "aws/\(configuration.account)/\(configuration.region)",
                                          rate: configuration.requestsPerSecond, burst: 1)
        let answer: JSONValue
        do {
            answer = try await lookup(window, bucket: bucket)
        } catch let error as AWSError where error.awsCode == "InvalidNextTokenException" && window.nextToken != nil {
            // The token expired (e.g. after a long stop): read the whole window again; dedup absorbs the repeats.
            answer = try await lookup(LookupEventsCursor(start: window.start, end: window.end, nextToken: nil), bucket: bucket)
        }
        return batch(from: answer, window: window)
    }

    /// The window and token to ask for after `cursor`.
    func nextWindow(after cursor: Cursor?) throws -> LookupEventsCursor {
        let nowSeconds = now().timeIntervalSince1970.rounded(.down)
        let horizon = nowSeconds - Self.lookupHorizon
        guard let cursor else {
            return LookupEventsCursor(start: nowSeconds - configuration.backfill, end: nowSeconds, nextToken: nil)
        }
        let stored = try LookupEventsCursor(cursor, sourceID: id)
        if stored.nextToken != nil { return stored }
        let start = max(horizon, min(stored.end - configuration.overlap, nowSeconds))
        return LookupEventsCursor(start: start, end: max(start, nowSeconds), nextToken: nil)
    }

    func lookup(_ window: LookupEventsCursor, bucket: TokenBucket) async throws -> JSONValue {
        var payload: JSONObject = [
            "StartTime": .number(window.start), "EndTime": .number(window.end),
            "MaxResults": .number(Double(configuration.maxResults)),
        ]
        if let token = window.nextToken { payload["NextToken"] = .string(token) }
        return try await client.callJSON(service: "cloudtrail", region: configuration.region, targetPrefix: Self.targetPrefix,
                                         operation: "LookupEvents", payload: .object(payload), bucket: bucket)
    }

    func batch(from answer: JSONValue, window: LookupEventsCursor) -> CloudTrailBatch {
        var records: [CloudTrailRawRecord] = []
        var quarantined: [QuarantinedRecord] = []
        for (index, event) in (answer["Events"]?.arrayValue ?? []).enumerated() {
            let eventID = event["EventId"]?.stringValue ?? "#\(index)"
            let location = "lookup:\(configuration.account):\(configuration.region):\(eventID)"
            guard let text = event["CloudTrailEvent"]?.stringValue else {
                quarantined.append(quarantine(event, location, "the LookupEvents event has no CloudTrailEvent string"))
                continue
            }
            do {
                let record = try JSONValue(parsing: text)
                guard case .object = record else {
                    quarantined.append(quarantine(event, location, "CloudTrailEvent is not a JSON object"))
                    continue
                }
                let account = record["recipientAccountId"]?.stringValue ?? configuration.account
                records.append(CloudTrailRawRecord(record: record, location: location, account: account, text: text))
            } catch {
                quarantined.append(quarantine(event, location, "CloudTrailEvent is not valid JSON: \(error)"))
            }
        }
        let token = answer["NextToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let next = LookupEventsCursor(start: window.start, end: window.end, nextToken: token)
        return CloudTrailBatch(records: records, quarantined: quarantined, cursor: next.cursor, hasMore: token != nil)
    }

    private func quarantine(_ event: JSONValue, _ location: String, _ reason: String) -> QuarantinedRecord {
        let raw = event["CloudTrailEvent"]?.stringValue.map { Data($0.utf8) } ?? Data(event.serialized().utf8)
        return QuarantinedRecord(sourceID: id, location: location, reason: reason, raw: raw, receivedAt: now())
    }
}
