import Foundation
import Testing

@testable import ParapetNotifiers

/// The official test vector, from the Standard Webhooks libraries' tests
/// (standard-webhooks/standard-webhooks `libraries/go/webhook_test.go`, `TestWebhookSign`).
@Suite struct StandardWebhooksTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp = 1_614_265_330
    static let payload = Data(#"{"test": 2432232314}"#.utf8)
    static let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    var headers: [String: String] {
        ["Webhook-Id": Self.id, "Webhook-Timestamp": String(Self.timestamp), "Webhook-Signature": Self.expected]
    }
    var now: Date { Date(timeIntervalSince1970: TimeInterval(Self.timestamp)) }

    @Test func signingMatchesTheOfficialVector() throws {
        let secret = try WebhookSecret(whsec: Self.secret)
        #expect(secret.signature(id: Self.id, timestamp: Self.timestamp, body: Self.payload) == Self.expected)
    }

    @Test func aSecretFileWithThePrefixIsDecodedAsTheSpecSays() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let file = directory.appendingPathComponent("secret")
        try Data((Self.secret + "\n").utf8).write(to: file)
        let secret = try WebhookSecret.load(path: file.path)
        #expect(secret.signature(id: Self.id, timestamp: Self.timestamp, body: Self.payload) == Self.expected)
        #expect(secret.byteCount == 24)
    }

    @Test func aSecretFileWithoutThePrefixIsTheRawKey() throws {
        // Given a file with the key bytes and a trailing newline
        let key = Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!
        let directory = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let file = directory.appendingPathComponent("secret")
        try (key + Data("\r\n".utf8)).write(to: file)
        // Then the key is those bytes without the newline
        let secret = try WebhookSecret.load(path: file.path)
        #expect(secret.signature(id: Self.id, timestamp: Self.timestamp, body: Self.payload) == Self.expected)
    }

    @Test func theVerifierAcceptsTheOfficialVector() throws {
        try StandardWebhooksVerifier.verify(body: Self.payload, headers: headers, secret: try WebhookSecret(whsec: Self.secret),
                                            now: now)
    }

    @Test func theVerifierAcceptsAnyOfSeveralSignatures() throws {
        var headers = headers
        headers["Webhook-Signature"] = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,abc= " + Self.expected
        try StandardWebhooksVerifier.verify(body: Self.payload, headers: headers, secret: try WebhookSecret(whsec: Self.secret),
                                            now: now)
    }

    @Test(arguments: [
        ("a changed body", #"{"test": 2432232315}"#, 0, StandardWebhooksVerifier.Failure.noMatchingSignature),
        ("an old timestamp", #"{"test": 2432232314}"#, 301, .timestampTooOld),
        ("a future timestamp", #"{"test": 2432232314}"#, -301, .timestampTooNew),
    ])
    func theVerifierRejects(_ name: String, body: String, secondsLater: Int, failure: StandardWebhooksVerifier.Failure) throws {
        let secret = try WebhookSecret(whsec: Self.secret)
        #expect(throws: failure) {
            try StandardWebhooksVerifier.verify(body: Data(body.utf8), headers: headers, secret: secret,
                                                now: now.addingTimeInterval(TimeInterval(secondsLater)))
        }
    }

    @Test func theVerifierNamesAMissingHeader() throws {
        var headers = headers
        headers["Webhook-Signature"] = nil
        #expect(throws: StandardWebhooksVerifier.Failure.missingHeader("webhook-signature")) {
            try StandardWebhooksVerifier.verify(body: Self.payload, headers: headers,
                                                secret: try WebhookSecret(whsec: Self.secret), now: now)
        }
    }

    @Test func aMissingSecretFileIsNamed() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = directory.appendingPathComponent("nope").path
        #expect {
            try WebhookSecret.load(path: path)
        } throws: { error in
            "\(error)" == "cannot read webhook secret \(path): no such file"
        }
    }

    @Test(arguments: ["", "\n", "whsec_\n"])
    func anEmptySecretFileIsRefused(_ contents: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let file = directory.appendingPathComponent("secret")
        try Data(contents.utf8).write(to: file)
        #expect {
            try WebhookSecret.load(path: file.path)
        } throws: { error in
            (error as? NotifierError)?.code == .secretEmpty && "\(error)".hasPrefix("cannot read webhook secret \(file.path): ")
                && "\(error)".contains("empty")
        }
    }

    @Test func invalidBase64IsRefusedWithoutEchoingTheSecret() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let file = directory.appendingPathComponent("secret")
        try Data("whsec_not*base64!".utf8).write(to: file)
        #expect {
            try WebhookSecret.load(path: file.path)
        } throws: { error in
            "\(error)" == "cannot read webhook secret \(file.path): the text after whsec_ is not valid base64"
        }
    }

    @Test func theSecretNeverPrintsItself() throws {
        let secret = try WebhookSecret(whsec: Self.secret)
        #expect("\(secret)" == "WebhookSecret(redacted)")
        #expect(String(reflecting: secret) == "WebhookSecret(redacted)")
        #expect(!"\(WebhookNotifier.Configuration(url: URL(string: "https://x.example")!, secret: secret))"
            .contains("MfKQ9r8"))
    }
}
