import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

/// SigmaHQ rules, loaded as-is, run over the real sample records of each feed.
@Suite("SigmaHQ rules on real sample records")
struct SigmaHQSampleTests {
    static let rules = PolicyLoader().load(paths: [TestPaths.sigmaRules.path]).policySet

    /// The 1-based sample lines on which the rule in `ruleFile` produces a violation.
    func firingLines(_ ruleFile: String, in samples: String, feed: Feed) throws -> [Int] {
        let set = Self.rules
        return try Samples.events(samples, feed: feed).enumerated().compactMap { index, event in
            let fired = set.evaluate(event, context: .unknown(for: event), now: Date()).contains {
                $0.kind == .violation && $0.policy.file.hasSuffix(ruleFile)
            }
            return fired ? index + 1 : nil
        }
    }

    @Test("CloudTrail: trail tampering fires on StopLogging, DeleteTrail and UpdateTrail, not PutEventSelectors")
    func cloudTrailTamper() throws {
        // line 138 is PutEventSelectors on cloudtrail.amazonaws.com: a near miss
        #expect(try firingLines("aws_cloudtrail_disable_logging.yml", in: "aws/cloudtrail-records.jsonl", feed: .cloudtrail)
            == [19, 20, 137, 139])
    }

    @Test("CloudTrail: console login without MFA fires only on successful logins with MFAUsed No")
    func consoleLoginWithoutMFA() throws {
        // lines 4 (failure, no MFA), 337 (MFA) and 338 are near misses
        #expect(try firingLines("aws_cloudtrail_console_login_success_without_mfa.yml", in: "aws/cloudtrail-records.jsonl",
                                feed: .cloudtrail) == [3, 306, 335])
    }

    @Test("CloudTrail: bucket versioning fires on Suspended only, of five PutBucketVersioning calls")
    func bucketVersioning() throws {
        #expect(try firingLines("aws_disable_bucket_versioning.yml", in: "aws/cloudtrail-records.jsonl", feed: .cloudtrail) == [367])
    }

    @Test("CloudTrail: config recorder, root usage, login profile (fieldref filter) and lambda layers (list contains)")
    func moreCloudTrailRules() throws {
        let file = "aws/cloudtrail-records.jsonl"
        #expect(try firingLines("aws_config_disable_recording.yml", in: file, feed: .cloudtrail) == [15])
        #expect(try firingLines("aws_root_account_usage.yml", in: file, feed: .cloudtrail) == [334])
        #expect(try firingLines("aws_update_login_profile.yml", in: file, feed: .cloudtrail) == [331])
        #expect(try firingLines("aws_new_lambda_layer_attached.yml", in: file, feed: .cloudtrail) == [325])
        #expect(try firingLines("aws_cloudtrail_vpc_flow_logs_deleted.yml", in: file, feed: .cloudtrail) == [144])
    }

    @Test("GCP: bucket modification fires on storage.buckets.update (gcp.audit.method_name mapping), not on create")
    func gcpBuckets() throws {
        #expect(try firingLines("gcp_bucket_modified_or_deleted.yml", in: "gcp/audit-entries-extra.jsonl", feed: .gcpAudit) == [9])
        // storage.buckets.create (line 71) is not in the rule's list
        #expect(try firingLines("gcp_bucket_modified_or_deleted.yml", in: "gcp/audit-entries.jsonl", feed: .gcpAudit) == [])
    }

    @Test("GCP: data.protoPayload.* names reach a real LogEntry, through the authorizationInfo list")
    func gcpDataProtoPayload() throws {
        // Given a real entry changed into an access policy deletion
        var record = try Samples.records("gcp/audit-entries.jsonl")[0]
        guard case .object(var entry) = record, case .object(var payload)? = entry["protoPayload"] else {
            Issue.record("unexpected sample shape")
            return
        }
        payload["serviceName"] = "accesscontextmanager.googleapis.com"
        payload["authorizationInfo"] = [["granted": false, "permission": "x.get"],
                                        ["granted": true, "permission": "accesscontextmanager.accessPolicies.delete"]]
        entry["protoPayload"] = .object(payload)
        record = .object(entry)
        let set = Self.rules
        let event = Samples.event(record, feed: .gcpAudit)
        let fired = set.evaluate(event, context: .unknown(for: event), now: Date()).map { URL(fileURLWithPath: $0.policy.file).lastPathComponent }
        #expect(fired == ["gcp_access_policy_deleted.yml"])
    }

    @Test("Azure Event Hub records: key vault rules fire on vault write and delete, not on certificate reads")
    func azureKeyVault() throws {
        #expect(try firingLines("azure_keyvault_modified_or_deleted.yml", in: "azure/activity-events.jsonl", feed: .azureActivity)
            == [57, 58, 59, 69])
        #expect(try firingLines("azure_suppression_rule_created.yml", in: "azure/activity-events.jsonl", feed: .azureActivity) == [20, 21])
        #expect(try firingLines("azure_granting_permission_detection.yml", in: "azure/activity-events.jsonl", feed: .azureActivity)
            == [129, 130, 131])
    }

    @Test("Azure REST records: operationName.value is reached from the rule's operationName")
    func azureRESTShape() throws {
        #expect(try firingLines("azure_network_security_modified_or_deleted.yml", in: "azure/activity-events-rest-api.jsonl",
                                feed: .azureActivity) == [1])
    }

    @Test("Azure Log Analytics names (CategoryValue, ResourceProviderValue, OperationNameValue) match both record shapes")
    func azureLogAnalyticsNames() throws {
        let eventHub: JSONValue = [
            "category": "Administrative", "operationName": "Microsoft.ADHybridHealthService/services/delete",
            "resourceId": "/providers/Microsoft.ADHybridHealthService/services/AdFederationService-contoso.com",
            "resultType": "Success", "time": "2024-01-01T00:00:00Z",
        ]
        let rest: JSONValue = [
            "category": ["value": "Administrative", "localizedValue": "Administrative"],
            "operationName": ["value": "Microsoft.ADHybridHealthService/services/delete", "localizedValue": "Delete service"],
            "resourceProviderName": ["value": "Microsoft.ADHybridHealthService", "localizedValue": "ADHybridHealthService"],
            "resourceId": "/providers/Microsoft.ADHybridHealthService/services/AdFederationService-contoso.com",
            "status": ["value": "Succeeded", "localizedValue": "Succeeded"],
        ]
        var nearMissMembers = try #require(rest.objectValue)
        nearMissMembers["category"] = ["value": "Policy"]
        let nearMiss = JSONValue.object(nearMissMembers)
        let set = Self.rules
        for (name, record, expected) in [("event hub", eventHub, true), ("rest", rest, true), ("category Policy", nearMiss, false)] {
            let event = Samples.event(record, feed: .azureActivity)
            let fired = set.evaluate(event, context: .unknown(for: event), now: Date())
                .contains { $0.policy.file.hasSuffix("azure_aadhybridhealth_adfs_service_delete.yml") }
            #expect(fired == expected, "\(name)")
        }
    }

    @Test("the index selects the same matches as testing every rule")
    func indexIsSound() throws {
        let set = Self.rules
        for (file, feed) in [("aws/cloudtrail-records.jsonl", Feed.cloudtrail), ("aws/cloudtrail-records-extra.jsonl", .cloudtrail),
                             ("gcp/audit-entries.jsonl", .gcpAudit), ("gcp/audit-entries-extra.jsonl", .gcpAudit),
                             ("azure/activity-events.jsonl", .azureActivity), ("azure/activity-events-rest-api.jsonl", .azureActivity)] {
            for event in try Samples.events(file, feed: feed) {
                let indexed = set.evaluate(event, context: .unknown(for: event), now: Date()).map(\.policy.id)
                let exhaustive = set.policies.filter { $0.feed == feed && $0.detection.matches(event.raw) }.map(\.id)
                #expect(indexed == exhaustive, "\(file) \(event.operation)")
            }
        }
        let indexed = set.index.feeds[.cloudtrail]!
        #expect(indexed.keys.map(\.name) == ["eventName", "eventSource"])
        #expect(indexed.always.count < 10)
    }
}
