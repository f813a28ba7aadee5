import Foundation
import ParapetCore
import Testing

@testable import ParapetNotifiers

@Suite struct SlackFormatTests {
    @Test func aSlackRouteSendsASlackMessage() async throws {
        // Given a Slack route with a secret
        let requests = try await withWebhookReceiver({ _, _ in reply(200, "ok") }) { url, inbox in
            let notifier = WebhookNotifier(configuration: .init(
                url: url, secret: try WebhookSecret(bytes: WebhookNotifierTests.key), format: .slack))
            #expect(await notifier.deliver(Fixtures.notification()) == .delivered)
            return await inbox.requests
        }
        // Then the body is a Slack message, sent as JSON and still signed
        let request = try #require(requests.first)
        #expect(request.headers["content-type"] == "application/json")
        #expect(ReferenceVerifier.problem(with: request, key: WebhookNotifierTests.key) == nil)
        let message = try JSONValue(parsing: request.body)
        #expect(message["text"] == "[CRITICAL] CloudTrail logging must not be stopped or deleted in payments-prod (111122223333)")
        let blocks = try #require(message["blocks"]?.arrayValue)
        #expect(blocks.map { $0["type"] } == ["header", "section", "section", "context"])
        #expect(blocks[0]["text"] == ["type": "plain_text", "text": "Guardrail violation: CloudTrail logging must not be stopped or deleted"])
        let fields = try #require(blocks[1]["fields"]?.arrayValue).compactMap { $0["text"]?.stringValue }
        #expect(fields == [
            "*Severity*\ncritical",
            "*Account*\npayments-prod (111122223333)\nteam payments",
            "*Actor*\nalice",
            "*Operation*\nStopLogging",
            "*Region*\neu-west-1",
            "*Time*\n2024-09-11T09:28:28Z",
        ])
        #expect(blocks[2]["text"]?["text"]
            == "*Remediation*\nRe-enable the trail (aws cloudtrail start-logging --name &lt;trail&gt;) and find out why it stopped.")
        #expect(blocks[3]["elements"]?.arrayValue?.first?["text"]
            == "Policy `parapet-aws-cloudtrail-tamper` · Event `3c5a3e7e-0f5e-4a44-9d51-1c2d3e4f5a6b` · Delivery `dlv_01J8Z3`")
    }

    @Test func aResolvedMessageSaysResolved() throws {
        let message = SlackFormat.document(for: Fixtures.notification(kind: .resolved))
        #expect(message["text"] == "Resolved: CloudTrail logging must not be stopped or deleted in payments-prod (111122223333)")
        let blocks = try #require(message["blocks"]?.arrayValue)
        #expect(blocks[0]["text"]?["text"] == "Resolved: CloudTrail logging must not be stopped or deleted")
        #expect(blocks[2]["text"]?["text"] == "The violation is resolved; no action is needed.")
    }

    @Test func valuesCannotPingAChannelOrForgeALink() throws {
        // Given an actor name written by whoever made the API call
        let data: JSONValue = ["policy": ["id": "p"], "severity": "low", "actor": "<!channel> <https://evil.example|click>"]
        let blocks = try #require(SlackFormat.document(for: Fixtures.notification(data: data))["blocks"]?.arrayValue)
        let actor = try #require(blocks[1]["fields"]?.arrayValue?[2]["text"]?.stringValue)
        #expect(actor == "*Actor*\n&lt;!channel&gt; &lt;https://evil.example|click&gt;")
    }

    @Test func aSparseViolationStillFormats() throws {
        // Given a document with no known fields
        let message = SlackFormat.document(for: Fixtures.notification(data: ["something": "else"]))
        // Then the message falls back to the subject and unknowns
        #expect(message["text"] == "[UNKNOWN] Guardrail violation in 111122223333")
        let blocks = try #require(message["blocks"]?.arrayValue)
        #expect(blocks.map { $0["type"] } == ["header", "section", "context"])
        #expect(blocks[1]["fields"]?.arrayValue?[5]["text"] == "*Time*\n2024-09-11T09:28:28.000Z")
    }

    @Test func aLongTitleIsCutToTheHeaderLimit() throws {
        let data: JSONValue = ["policy": ["id": "p", "title": .string(String(repeating: "t", count: 400))]]
        let blocks = try #require(SlackFormat.document(for: Fixtures.notification(data: data))["blocks"]?.arrayValue)
        let header = try #require(blocks[0]["text"]?["text"]?.stringValue)
        #expect(header.count == 150)
        #expect(header.hasSuffix("…"))
    }
}
