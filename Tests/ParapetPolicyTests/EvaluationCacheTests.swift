import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

@Suite("Evaluation through the per-event field cache")
struct EvaluationCacheTests {
    static let event = AuditEvent(
        provider: .aws, feed: .cloudtrail, eventID: "e-1", time: Date(timeIntervalSince1970: 1_700_000_000),
        account: "111122223333", region: "eu-west-1", operation: "StopLogging", serviceName: "cloudtrail.amazonaws.com",
        actor: .init(uid: "arn:aws:iam::111122223333:user/alice", type: "IAMUser", name: "alice"), sourceIP: "192.0.2.1",
        userAgent: "aws-cli/2", outcome: .failure, errorCode: "AccessDenied", errorMessage: "no", readOnly: false,
        resources: ["arn:a", "arn:b"], raw: ["eventName": "StopLogging"])

    @Test("every normalised field read from the event equals the value in the normalised document")
    func normalizedFieldsMatchTheDocument() throws {
        let document = Self.event.normalized
        for field in [NormalizedField.operation, .serviceName, .actorUID, .actorType, .actorName, .provider, .account,
                      .region, .status, .sourceIP, .userAgent, .errorCode, .errorMessage, .readOnly, .eventID, .product,
                      .resourceUIDs, .className, .classUID] {
            var fromDocument: [JSONValue] = []
            FieldPath(field.rawValue).first(in: document) { fromDocument.append($0); return false }
            var fromEvent: [JSONValue] = []
            EventFields(normalizedOf: Self.event, slots: FieldPath.slotCount).first(FieldPath(field.rawValue)) {
                fromEvent.append($0); return false
            }
            #expect(fromEvent == fromDocument, "\(field.rawValue)")
            #expect(!fromEvent.isEmpty, "\(field.rawValue)")
        }
    }

    @Test("a path read twice in one event gives the same values, and paths created later still resolve")
    func cachedPathsAreStable() throws {
        let raw: JSONValue = ["a": ["b": [1, 2]], "c": "x"]
        let fields = EventFields(document: raw, slots: 0)
        var seen: [JSONValue] = []
        fields.first(FieldPath("a.b")) { seen.append($0); return false }
        fields.first(FieldPath("a.b")) { seen.append($0); return false }
        #expect(seen == [1, 2, 1, 2])
        let cached = EventFields(document: raw)
        let path = FieldPath("c")
        #expect(cached.first(path) { $0 == "x" })
        #expect(cached.first(path) { $0 == "x" })
    }

    @Test("a reused cache holds nothing of the previous event: one after another and from many tasks at once")
    func reusedCachesForgetThePreviousEvent() async throws {
        // Given rules on a raw field, a nested field and a normalised field (`product: any`)
        let result = PolicyLoader().load(text: """
            title: Bucket deleted
            id: bucket-deleted
            level: high
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection: {eventName: DeleteBucket, requestParameters.bucketName|startswith: prod-}
                condition: selection
            ---
            title: Denied anywhere
            id: denied
            level: low
            logsource: {product: any}
            detection:
                selection: {status_code: AccessDenied}
                condition: selection
            """, file: "rules.yml")
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty)
        let set = result.policySet
        func event(_ i: Int) -> AuditEvent {
            let bucket = i % 3 == 0 ? "prod-\(i)" : "dev-\(i)"
            let name = i % 2 == 0 ? "DeleteBucket" : "CreateBucket"
            return AuditEvent(provider: .aws, feed: .cloudtrail, eventID: "e-\(i)", time: Date(timeIntervalSince1970: 1_700_000_000),
                              account: "111122223333", operation: name, outcome: i % 5 == 0 ? .failure : .success,
                              errorCode: i % 5 == 0 ? "AccessDenied" : nil,
                              raw: ["eventName": .string(name), "requestParameters": ["bucketName": .string(bucket)]])
        }
        func expected(_ i: Int) -> [String] {
            (i % 6 == 0 ? ["bucket-deleted"] : []) + (i % 5 == 0 ? ["denied"] : [])
        }
        func matched(_ i: Int) -> [String] {
            let e = event(i)
            return set.evaluate(e, context: .unknown(for: e), now: Date()).map(\.policy.id)
        }
        // When events are evaluated one after another, each gets exactly its own matches
        for i in 0..<60 { #expect(matched(i) == expected(i), "event \(i)") }
        // And from many tasks at once (some evaluations find the spare cache taken)
        let failures = await withTaskGroup(of: [Int].self) { group in
            for task in 0..<8 {
                group.addTask {
                    (0..<400).map { $0 * 8 + task }.filter { matched($0) != expected($0) }
                }
            }
            var all: [Int] = []
            for await failed in group { all += failed }
            return all
        }
        #expect(failures.isEmpty, "events with wrong matches: \(failures.prefix(10))")
    }

    @Test("the benchmark counts the matches one pass over the events produces")
    func benchmarkCountsMatches() throws {
        let result = PolicyLoader().load(text: """
            title: Trail stopped
            id: trail-stopped
            level: high
            logsource: { product: aws, service: cloudtrail }
            detection:
              selection:
                eventName: StopLogging
              condition: selection
            """, file: "bench.yml")
        let other = AuditEvent(provider: .aws, feed: .cloudtrail, eventID: "e-2", time: Date(), account: "1",
                               operation: "StartLogging", raw: ["eventName": "StartLogging"])
        let measured = PolicyBenchmark.evaluationThroughput(events: [Self.event, other, Self.event],
                                                            set: result.policySet, iterations: 2)
        #expect(measured.matches == 2)
        #expect(measured.eventsPerSecond > 0)
    }
}
