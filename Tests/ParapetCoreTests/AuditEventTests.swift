import Foundation
import Testing
@testable import ParapetCore

@Suite struct AuditEventTests {
    let event = AuditEvent(
        provider: .aws, feed: .cloudtrail, eventID: "e-1", time: Date(timeIntervalSince1970: 1_726_046_908),
        account: "111122223333", region: "eu-west-1", operation: "StopLogging", serviceName: "cloudtrail.amazonaws.com",
        actor: .init(uid: "arn:aws:iam::111122223333:user/alice", type: "IAMUser", name: "alice"),
        sourceIP: "203.0.113.10", userAgent: "aws-cli/2", outcome: .success, readOnly: false,
        resources: ["arn:aws:cloudtrail:eu-west-1:111122223333:trail/main"], raw: ["eventName": "StopLogging"])

    @Test func normalisedFieldsFollowOCSFPaths() {
        let n = event.normalized
        #expect(n.value(atPath: "api.operation") == "StopLogging")
        #expect(n.value(atPath: "api.service.name") == "cloudtrail.amazonaws.com")
        #expect(n.value(atPath: "actor.user.uid") == "arn:aws:iam::111122223333:user/alice")
        #expect(n.value(atPath: "actor.user.type") == "IAMUser")
        #expect(n.value(atPath: "cloud.region") == "eu-west-1")
        #expect(n.value(atPath: "cloud.account.uid") == "111122223333")
        #expect(n.value(atPath: "src_endpoint.ip") == "203.0.113.10")
        #expect(n.value(atPath: "http_request.user_agent") == "aws-cli/2")
        #expect(n.value(atPath: "read_only") == false)
        #expect(n.value(atPath: "status") == "success")
        #expect(n.value(atPath: "time") == "2024-09-11T09:28:28.000Z")
    }

    @Test func theUTF8CheckAgreesWithTheStandardLibrary() {
        // Given ASCII of every length around a word, and bytes with every kind of sequence:
        // two-, three- and four-byte characters, truncated ones, stray continuation bytes,
        // overlong forms, surrogates and bytes above F4, at every offset
        var cases: [[UInt8]] = (0..<20).map { Array(repeating: UInt8(ascii: "a"), count: $0) }
        let sequences: [[UInt8]] = [[0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xC3], [0xE2, 0x82], [0x80],
                                    [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF]]
        for sequence in sequences {
            for offset in 0..<12 { cases.append(Array(repeating: UInt8(ascii: "x"), count: offset) + sequence + Array("{}".utf8)) }
        }
        for bytes in cases {
            // Then the check says valid exactly when the standard library can decode them without repair
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) } == expected, "\(bytes)")
        }
    }

    @Test func theOriginalTextKeptAsBytesReadsAsTheTextAndIsRepairedOnlyWhenInvalid() {
        // Given the original text kept as valid bytes, as invalid bytes, as a string, and none
        var valid = event
        valid.setRawText(utf8: Array(#"{"eventName":"StopLogging","note":"été"}"#.utf8))
        var invalid = event
        invalid.setRawText(utf8: Array(#"{"a":"x"#.utf8) + [0xFF] + Array(#""}"#.utf8))
        var text = event
        text.rawText = #"{"b":1}"#
        // Then each reads back as the text, the invalid one with U+FFFD, and binds the same bytes
        #expect(valid.rawText == #"{"eventName":"StopLogging","note":"été"}"#)
        #expect(invalid.rawText == #"{"a":"x\#u{FFFD}"}"#)
        #expect(valid.withRawTextUTF8 { Array($0) } == Array(valid.rawText!.utf8))
        #expect(invalid.withRawTextUTF8 { Array($0) } == Array(invalid.rawText!.utf8))
        #expect(text.withRawTextUTF8 { Array($0) } == Array(#"{"b":1}"#.utf8))
        #expect(valid.hasRawText && invalid.hasRawText && text.hasRawText && !event.hasRawText)
        #expect(event.rawText == nil && event.withRawTextUTF8 { _ in true } == nil)
        // and the original text takes no part in equality
        #expect(valid == event && text == invalid)
    }

    @Test func theKeyIsProviderAccountEventIDAndTime() {
        #expect(event.key == EventKey(provider: .aws, account: "111122223333", eventID: "e-1", time: event.time))
        var later = event
        later.time = event.time.addingTimeInterval(0.001)
        #expect(later.key != event.key)
    }

    @Test func severitiesAreOrdered() {
        #expect(Severity.informational < .low && Severity.low < .medium && Severity.medium < .high && Severity.high < .critical)
    }
}

@Suite struct TokenBucketTests {
    @Test func aFullBucketGivesItsBurstThenRefusesUntilRefilled() async {
        let bucket = TokenBucket(rate: 2, burst: 2)
        #expect(await bucket.tryAcquire())
        #expect(await bucket.tryAcquire())
        #expect(await !bucket.tryAcquire())
    }

    @Test func theRegistrySharesOneBucketPerKey() async {
        let registry = TokenBucketRegistry()
        let a = await registry.bucket(for: "aws/1/eu-west-1", rate: 2, burst: 2)
        let b = await registry.bucket(for: "aws/1/eu-west-1", rate: 2, burst: 2)
        #expect(a === b)
    }
}

@Suite struct HTTPResponseTests {
    @Test func retryAfterIsReadAsSecondsOrDate() {
        #expect(HTTPResponse(status: 429, headers: ["Retry-After": "7"]).retryAfter == 7)
        #expect(HTTPResponse(status: 429).retryAfter == nil)
        let future = HTTPResponse(status: 503, headers: ["retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"]).retryAfter
        #expect((future ?? 0) > 1_000_000)
    }

    @Test func urlsInMessagesHideTheirQuery() {
        let url = URL(string: "https://user:pw@example.com/path?X-Amz-Signature=abc")!
        #expect(url.redactedDescription == "https://example.com/path?…")
    }
}
