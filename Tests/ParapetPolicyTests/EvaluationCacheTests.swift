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
