import Foundation
import ParapetCore
import Testing

@testable import ParapetProviders

@Suite struct SigV4SignerTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let date = ISO8601.date(from: "2015-08-30T12:36:00Z")!

    @Test func s3PathsAreNeitherNormalisedNorEncodedTwice() {
        // Given an S3 key with double slashes, dots and an encoded space
        let s3 = SigV4Signer(service: "s3", region: "us-east-1")
        let other = SigV4Signer(service: "service", region: "us-east-1")

        // Then S3 keeps the path as it is (encoded once), other services normalise and encode again
        #expect(s3.canonicalURI("/bucket/my-object//example/../photo%20one.user") == "/bucket/my-object//example/../photo%20one.user")
        #expect(other.canonicalURI("/bucket/my-object//example/../photo%20one.user") == "/bucket/my-object/photo%2520one.user")
    }

    @Test func s3RequestsCarryThePayloadHashAndTheSessionTokenIsSigned() throws {
        // Given a PUT to S3 with session credentials
        var request = ParapetCore.HTTPRequest(method: "PUT", url: URL(string: "http://127.0.0.1:4566/bucket/key.json")!,
                                              body: Data("hello".utf8))
        let session = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token/with+chars=")

        // When it is signed
        SigV4Signer(service: "s3", region: "eu-west-1").sign(&request, credentials: session, date: Self.date)

        // Then the payload hash, the token and the host with its port are signed
        #expect(request.header("x-amz-content-sha256") == SigV4Signer.sha256Hex(Data("hello".utf8)))
        #expect(request.header("X-Amz-Security-Token") == "token/with+chars=")
        let authorization = try #require(request.header("Authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20150830/eu-west-1/s3/aws4_request, "))
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(SigV4Signer.hostHeader(for: request.url) == "127.0.0.1:4566")
        #expect(SigV4Signer.hostHeader(for: URL(string: "https://s3.amazonaws.com:443/x")!) == "s3.amazonaws.com")
    }

    @Test func resigningReplacesTheOldSignatureHeaders() throws {
        var request = ParapetCore.HTTPRequest(method: "POST", url: URL(string: "https://sts.us-east-1.amazonaws.com/")!)
        let signer = SigV4Signer(service: "sts", region: "us-east-1")
        signer.sign(&request, credentials: AWSCredentials(accessKeyID: "A", secretAccessKey: "s", sessionToken: "t"), date: Self.date)
        signer.sign(&request, credentials: Self.credentials, date: Self.date.addingTimeInterval(60))
        #expect(request.headers.filter { $0.name == "Authorization" }.count == 1)
        #expect(request.header("X-Amz-Security-Token") == nil)
        #expect(request.header("X-Amz-Date") == "20150830T123700Z")
    }

    @Test func datesAreFormattedInUTC() {
        #expect(AWSDate.timestamp(ISO8601.date(from: "2024-02-29T23:59:59Z")!) == "20240229T235959Z")
        #expect(AWSDate.day(ISO8601.date(from: "1999-12-31T00:00:00Z")!) == "19991231")
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let credentials = AWSCredentials(accessKeyID: "AKIAABCDEFGHIJKLMNOP", secretAccessKey: "very/secret+key",
                                         sessionToken: "session-token-value")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains("very/secret+key"))
            #expect(!text.contains("session-token-value"))
            #expect(!text.contains("AKIAABCDEFGHIJKLMNOP"))
        }
        #expect("\(credentials)".contains("AKIA…"))
    }
}
