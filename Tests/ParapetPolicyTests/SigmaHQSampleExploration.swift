import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

@Test("exploration: which SigmaHQ rules fire on which samples")
func explore() throws {
    let set = PolicyLoader().load(paths: [TestPaths.sigmaRules.path]).policySet
    for (file, feed) in [("aws/cloudtrail-records.jsonl", Feed.cloudtrail), ("aws/cloudtrail-records-extra.jsonl", .cloudtrail),
                         ("gcp/audit-entries.jsonl", .gcpAudit), ("gcp/audit-entries-extra.jsonl", .gcpAudit),
                         ("azure/activity-events.jsonl", .azureActivity), ("azure/activity-events-rest-api.jsonl", .azureActivity),
                         ("azure/activity-events-extra.jsonl", .azureActivity)] {
        var counts: [String: [Int]] = [:]
        for (i, event) in try Samples.events(file, feed: feed).enumerated() {
            for m in set.evaluate(event, context: .unknown(for: event), now: Date()) {
                counts[URL(fileURLWithPath: m.policy.file).lastPathComponent, default: []].append(i + 1)
            }
        }
        print("== \(file)")
        for (k, v) in counts.sorted(by: { $0.key < $1.key }) { print("  \(k): lines \(v.prefix(12))") }
    }
}
