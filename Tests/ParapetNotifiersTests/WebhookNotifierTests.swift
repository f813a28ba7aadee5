import Foundation
import ParapetCore
import Testing

@testable import ParapetNotifiers

@Suite struct WebhookNotifierTests {
    /// The key behind `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw` (the Standard Webhooks test secret).
    static let key = Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!

    func notifier(_ url: URL, format: WebhookFormat = .cloudevents, timeout: TimeInterval = 10) throws -> WebhookNotifier {
        WebhookNotifier(configuration: .init(url: url, secret: try WebhookSecret(bytes: Self.key), format: format,
                                             timeout: timeout, instance: "test"))
    }

    @Test func aSignedCloudEventIsDelivered() async throws {
        // Given a receiver that checks signatures as a Standard Webhooks library does
        let (result, requests) = try await withWebhookReceiver({ _, _ in reply(204) }) { url, inbox in
            // When a violation is delivered
            (try await notifier(url).deliver(Fixtures.notification()), await inbox.requests)
        }
        // Then it is delivered, signed, and a CloudEvent carrying the violation
        #expect(result == .delivered)
        let request = try #require(requests.first)
        #expect(requests.count == 1)
        #expect(request.method == "POST")
        #expect(ReferenceVerifier.problem(with: request, key: Self.key) == nil)
        #expect(request.headers["webhook-id"] == "dlv_01J8Z3")
        #expect(request.headers["content-type"] == "application/cloudevents+json")
        let event = try JSONValue(parsing: request.body)
        #expect(event["specversion"] == "1.0")
        #expect(event["id"] == "dlv_01J8Z3")
        #expect(event["source"] == "parapet/test")
        #expect(event["type"] == "dev.parapet.violation.opened")
        #expect(event["subject"] == "111122223333")
        #expect(event["datacontenttype"] == "application/json")
        #expect(event["time"]?.stringValue.flatMap(ISO8601.date(from:)) == Fixtures.time)
        #expect(event["data"] == Fixtures.violation)
    }

    @Test func aTamperedBodyFailsTheReceiversCheck() async throws {
        let requests = try await withWebhookReceiver({ _, _ in reply(200) }) { url, inbox in
            _ = try await notifier(url).deliver(Fixtures.notification())
            return await inbox.requests
        }
        var tampered = try #require(requests.first)
        tampered.body.append(contentsOf: Array(" ".utf8))
        #expect(ReferenceVerifier.problem(with: tampered, key: Self.key) == "no matching signature")
    }

    @Test func aResolvedViolationHasTheResolvedType() async throws {
        let requests = try await withWebhookReceiver({ _, _ in reply(200) }) { url, inbox in
            _ = try await notifier(url).deliver(Fixtures.notification(kind: .resolved))
            return await inbox.requests
        }
        let event = try JSONValue(parsing: try #require(requests.first).body)
        #expect(event["type"] == "dev.parapet.violation.resolved")
    }

    @Test func aServerErrorIsRetryableAndTheRetrySucceeds() async throws {
        // Given a receiver that fails once with 500, then accepts
        let (first, second, requests) = try await withWebhookReceiver({ _, index in
            index == 0 ? reply(500, "database is down") : reply(200)
        }) { url, inbox in
            let notifier = try notifier(url)
            let first = await notifier.deliver(Fixtures.notification())
            let second = await notifier.deliver(Fixtures.notification())
            return (first, second, await inbox.requests)
        }
        #expect(first == .retryable(reason: "receiver answered 500: database is down", retryAfter: nil))
        #expect(second == .delivered)
        // Then both attempts carry the same webhook-id (receivers dedupe on it) and verify
        #expect(requests.map { $0.headers["webhook-id"] } == ["dlv_01J8Z3", "dlv_01J8Z3"])
        #expect(requests.allSatisfy { ReferenceVerifier.problem(with: $0, key: Self.key) == nil })
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let result = try await withWebhookReceiver({ _, _ in reply(429, "slow down", headers: ["Retry-After": "7"]) }) { url, _ in
            try await notifier(url).deliver(Fixtures.notification())
        }
        #expect(result == .retryable(reason: "receiver answered 429: slow down", retryAfter: 7))
    }

    @Test func aClientErrorIsRejectedWithTheStartOfTheBody() async throws {
        // Given a receiver that refuses with a long body containing control characters
        let body = "invalid payload:\n\u{1B}[31mfield data.policy missing\r\n" + String(repeating: "x", count: 1000)
        let result = try await withWebhookReceiver({ _, _ in reply(400, body) }) { url, _ in
            try await notifier(url).deliver(Fixtures.notification())
        }
        // Then the reason quotes the first 200 bytes as printable text
        guard case .rejected(let reason) = result else {
            Issue.record("expected rejected, got \(result)")
            return
        }
        #expect(reason.hasPrefix("receiver answered 400: invalid payload: [31mfield data.policy missing xxx"))
        #expect(!reason.contains("\n") && !reason.contains("\u{1B}"))
        #expect(reason.count < "receiver answered 400: ".count + 200)
    }

    @Test func aHugeErrorBodyIsCutShort() async throws {
        let body = String(repeating: "e", count: 2 << 20)
        let result = try await withWebhookReceiver({ _, _ in reply(503, body) }) { url, _ in
            try await notifier(url).deliver(Fixtures.notification())
        }
        #expect(result == .retryable(reason: "receiver answered 503: " + String(repeating: "e", count: 200), retryAfter: nil))
    }

    @Test func aRedirectIsRejectedAndNotFollowed() async throws {
        // Given a receiver that redirects to another host, which records what it gets
        let (result, otherRequests, requests) = try await withWebhookReceiver({ _, _ in reply(200) }) { otherURL, otherInbox in
            let target = "http://localhost:\(otherURL.port!)/hook"
            return try await withWebhookReceiver({ _, _ in reply(302, headers: ["Location": target]) }) { url, inbox in
                let result = try await notifier(url).deliver(Fixtures.notification())
                return (result, await otherInbox.requests, await inbox.requests)
            }
        }
        // Then the delivery is rejected, naming the target host, and the other host received nothing
        #expect(result == .rejected(reason: "receiver answered 302 redirect to localhost; redirects are not followed "
            + "with signed payloads: configure the final URL"))
        #expect(requests.count == 1)
        #expect(otherRequests.isEmpty)
    }

    @Test func aStalledReceiverTimesOut() async throws {
        let gate = Gate()
        let result = try await withWebhookReceiver({ _, _ in
            await gate.wait()
            return reply(200)
        }) { url, _ in
            let result = try await notifier(url, timeout: 0.5).deliver(Fixtures.notification())
            gate.open()
            return result
        }
        guard case .retryable(let reason, nil) = result else {
            Issue.record("expected retryable, got \(result)")
            return
        }
        #expect(reason.hasPrefix("receiver did not answer within 500ms"))
    }

    @Test func nothingListeningIsRetryable() async throws {
        // Given a port where a receiver ran and has stopped
        let url = try await withWebhookReceiver({ _, _ in reply(200) }) { url, _ in url }
        // When delivering there
        let result = try await notifier(url).deliver(Fixtures.notification())
        // Then it is worth retrying
        guard case .retryable(let reason, nil) = result else {
            Issue.record("expected retryable, got \(result)")
            return
        }
        #expect(reason.hasPrefix("cannot connect to http://127.0.0.1:\(url.port!)/hook"))
    }

    @Test func withoutASecretNothingIsSigned() async throws {
        let requests = try await withWebhookReceiver({ _, _ in reply(200) }) { url, inbox in
            _ = await WebhookNotifier(configuration: .init(url: url)).deliver(Fixtures.notification())
            return await inbox.requests
        }
        let request = try #require(requests.first)
        #expect(request.headers["webhook-signature"] == nil)
        #expect(try JSONValue(parsing: request.body)["source"] == "parapet/default")
    }
}
