import Foundation
import Hummingbird
import Logging
import ParapetCore
import ParapetStore
import ServiceLifecycle

/// The daemon's HTTP endpoint (default 127.0.0.1:9477): `/healthz` (liveness), `/readyz`
/// (start-up done and the database writable), `/metrics` (Prometheus text), and the read-only
/// JSON API `/api/v1/violations`, `/api/v1/violations/{id}`, `/api/v1/sources`. No write endpoints.
public enum HTTPEndpoint {
    /// Parses `host:port` (`127.0.0.1:9477`, `[::1]:9477`, `:9477`).
    public static func address(_ listen: String) throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw DaemonError(.http, "http.listen must be host:port (for example 127.0.0.1:9477), not '\(listen)'")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        return (host, port)
    }

    public static func router(store: Store, state: DaemonState) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            let ready = await state.ready
            if ready, let failure = await state.storeWriteFailure {
                return text(.serviceUnavailable, "database not writable: \(failure)\n")
            }
            let writable = (try? store.isWritable()) ?? false
            guard ready && writable else {
                return text(.serviceUnavailable, ready ? "database not writable\n" : "starting\n")
            }
            return text(.ok, "ready\n")
        }
        router.get("metrics") { _, _ -> Response in
            let body = state.metrics.render(store: store)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("api/v1/violations") { request, _ -> Response in
            let query = request.uri.queryParameters
            var filter = ViolationFilter(
                team: query.get("team"), account: query.get("account"), policyID: query.get("policy"))
            if let severity = query.get("severity") {
                guard let value = Severity(rawValue: severity) else { return text(.badRequest, "unknown severity '\(severity)'\n") }
                filter.minimumSeverity = value
            }
            if let status = query.get("status") {
                guard let value = ViolationStatus(rawValue: status) else { return text(.badRequest, "unknown status '\(status)'\n") }
                filter.status = value
            }
            if let since = query.get("since") {
                guard let date = DurationText.parse(since).map({ Date().addingTimeInterval(-$0) }) ?? ISO8601.date(from: since) else {
                    return text(.badRequest, "since must be a duration (24h) or an RFC 3339 time\n")
                }
                filter.since = date
            }
            filter.limit = min(query.get("limit").flatMap(Int.init) ?? 100, 10_000)
            let violations = try store.violations(filter)
            return json(.array(violations.map(\.apiDocument)))
        }
        router.get("api/v1/violations/:id") { _, context -> Response in
            guard let id = context.parameters.get("id").flatMap(Int64.init) else { return text(.badRequest, "id must be a number\n") }
            do {
                let detail = try store.violation(id: id)
                var object = detail.violation.apiDocument.objectValue ?? [:]
                if let event = detail.event { object["raw_event"] = event.event.raw }
                return json(.object(object))
            } catch let error as StoreError where error.code == .unknownID {
                return text(.notFound, "no violation \(id)\n")
            }
        }
        router.get("api/v1/sources") { _, _ -> Response in
            let now = Date()
            return json(.array(try store.sources().map { s in
                [
                    "id": .string(s.id), "provider": .string(s.provider.rawValue), "healthy": .bool(s.healthy),
                    "events": .number(Double(s.eventsInserted)), "quarantined": .number(Double(s.quarantined)),
                    "last_poll": s.lastPollAt.map { .string(ISO8601.string(from: $0)) } ?? .null,
                    "lag_seconds": s.newestEventAt.map { .number(now.timeIntervalSince($0).rounded()) } ?? .null,
                    "last_error": s.lastError.map(JSONValue.string) ?? .null,
                ]
            }))
        }
        return router
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    /// The Hummingbird application as a Service for the daemon's ServiceGroup.
    public static func application(listen: String, store: Store, state: DaemonState, logger: Logger,
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some Service {
        let (host, port) = try address(listen)
        return Application(
            router: router(store: store, state: state),
            configuration: .init(address: .hostname(host, port: port), serverName: "parapet"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

extension ViolationRecord {
    /// The violation as the API and `parapet violations --format json` return it.
    public var apiDocument: JSONValue {
        var object = document.objectValue ?? [:]
        object["id"] = .number(Double(id))
        object["status"] = .string(status.rawValue)
        object["severity"] = .string(severity.rawValue)
        object["occurrences"] = .number(Double(occurrences))
        object["first_seen"] = .string(ISO8601.string(from: firstSeenAt))
        object["last_seen"] = .string(ISO8601.string(from: lastSeenAt))
        return .object(object)
    }
}
