import Foundation
import Logging
import ParapetCore
import ParapetStore
import ServiceLifecycle

/// Feed health is governance too: a source failing for longer than `health.failing_after`, or
/// silent for longer than `health.silent_after` after having had events, raises a violation of
/// the built-in `parapet-feed-health` policy, routed like any other; it resolves itself when the
/// source recovers. The daemon records these as synthetic events of source `parapet:health`
/// (ids are stable per outage, so a restart never doubles them).
struct FeedHealthService: Service {
    static let policyID = "parapet-feed-health"
    static let sourceID = "parapet:health"

    let store: Store
    let state: DaemonState
    let failingAfter: TimeInterval
    let silentAfter: TimeInterval
    let groupWindow: TimeInterval
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await check(now: Date())
            try? await Task.sleep(for: interval)
        }
    }

    /// One pass over every source's health.
    func check(now: Date) async {
        guard let sources = try? store.sources() else { return }
        let builder = await state.findingBuilder()
        let routing = builder.routing
        let instance = builder.instance
        for source in sources where source.id != Self.sourceID {
            let account = Self.account(of: source)
            let context = builder.accounts.account(provider: source.provider, id: account).map { AccountContext(account: $0) }
                ?? AccountContext(account: Account(provider: source.provider, id: account))
            if let problem = problem(source, now: now) {
                let event = syntheticEvent(source, account: account, operation: "ParapetFeedUnhealthy", id: problem.id, detail: problem.detail, now: now)
                record(event, kind: .violation, source: source, context: context, routing: routing, instance: instance, detail: problem.detail, now: now)
            } else if source.healthy, source.consecutiveFailures == 0, let success = source.lastSuccessAt {
                let event = syntheticEvent(
                    source, account: account, operation: "ParapetFeedRecovered",
                    id: "recovered:\(Int(success.timeIntervalSince1970) / 3600)", detail: "the source polls successfully again", now: now)
                record(event, kind: .resolution, source: source, context: context, routing: routing, instance: instance,
                       detail: "recovered", now: now, onlyIfOpen: true)
            }
        }
    }

    struct Problem {
        var id: String
        var detail: String
    }

    func problem(_ source: SourceRecord, now: Date) -> Problem? {
        if !source.healthy, let errorAt = source.lastErrorAt {
            let since = source.lastSuccessAt ?? errorAt
            let failingFor = now.timeIntervalSince(since)
            if failingFor >= failingAfter || (source.lastSuccessAt == nil && source.consecutiveFailures > 0 && failingFor >= failingAfter) {
                let outage = Int((source.lastSuccessAt ?? .distantPast).timeIntervalSince1970)
                return Problem(
                    id: "failing:\(outage)",
                    detail: "failing for \(DurationText.format(failingFor)) (\(source.consecutiveFailures) attempts): \(source.lastError ?? "unknown error")")
            }
        }
        if silentAfter > 0, source.healthy, let newest = source.newestEventAt, now.timeIntervalSince(newest) >= silentAfter {
            return Problem(
                id: "silent:\(Int(newest.timeIntervalSince1970))",
                detail: "no events for \(DurationText.format(now.timeIntervalSince(newest))) (newest \(ISO8601.string(from: newest)))")
        }
        return nil
    }

    static func account(of source: SourceRecord) -> String {
        // Source ids are `provider/account/...` for per-account sources.
        let parts = source.id.split(separator: "/")
        if parts.count >= 2, Provider(rawValue: String(parts[0])) != nil { return String(parts[1]) }
        return source.id
    }

    func syntheticEvent(_ source: SourceRecord, account: String, operation: String, id: String, detail: String, now: Date) -> AuditEvent {
        let feed: Feed = switch source.provider {
        case .aws: .cloudtrail
        case .gcp: .gcpAudit
        case .azure: .azureActivity
        }
        return AuditEvent(
            provider: source.provider, feed: feed, eventID: "parapet-health:\(source.id):\(id)", time: now, account: account,
            operation: operation, serviceName: "parapet", actor: .init(uid: "parapet", type: "Service", name: "parapet"),
            outcome: .success, readOnly: true, resources: [source.id],
            raw: ["parapet": ["source": .string(source.id), "operation": .string(operation), "detail": .string(detail)]])
    }

    func record(_ event: AuditEvent, kind: Finding.Kind, source: SourceRecord, context: AccountContext, routing: Routing,
                instance: String, detail: String, now: Date, onlyIfOpen: Bool = false) {
        if onlyIfOpen {
            let open = (try? store.violations(ViolationFilter(account: context.account.id, policyID: Self.policyID, status: .open, limit: 50))) ?? []
            guard open.contains(where: { $0.resource == source.id }) else { return }
        }
        let info = ViolationDocument.PolicyInfo(
            id: Self.policyID, title: "An activity feed stopped working", severity: .high, controls: ["PARAPET-FEED-HEALTH"],
            remediation: "Check the source with `parapet sources` and `parapet doctor`: credentials, role trust, permissions, network.")
        let data = ViolationDocument.make(
            policy: info, event: event, context: context, resource: source.id, instance: instance,
            status: kind == .resolution ? .resolved : .open, note: detail)
        let finding = Finding(
            kind: kind, policyID: info.id, policyTitle: info.title, severity: info.severity, event: event.key, resource: source.id,
            note: detail, routes: routing.routes(severity: info.severity, policyID: info.id, provider: event.provider, team: context.account.team),
            data: data)
        do {
            let summary = try store.ingest(
                sourceID: Self.sourceID, provider: event.provider, page: ActivityPage(events: [event], cursor: nil), now: now,
                groupWindow: groupWindow
            ) { events in events.isEmpty ? [] : [finding] }
            if !summary.violationsOpened.isEmpty {
                logger.warning("feed health violation", metadata: ["parapet.source": "\(source.id)", "parapet.detail": "\(detail)"])
            }
        } catch {
            logger.error("cannot record feed health", metadata: ["parapet.source": "\(source.id)", "parapet.error": "\(error)"])
        }
    }
}
