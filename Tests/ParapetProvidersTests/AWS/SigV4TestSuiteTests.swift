import Foundation
import ParapetCore
import Testing

@testable import ParapetProviders

/// Every case of the AWS SigV4 test suite (`../shared/samples/sigv4/aws-sig-v4-test-suite`):
/// the canonical request, the string to sign and the Authorization header, byte for byte.
@Suite struct SigV4TestSuiteTests {
    static let suite = TestPaths.sample("sigv4/aws-sig-v4-test-suite")
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let date = ISO8601.date(from: "2015-08-30T12:36:00Z")!
    static let signer = SigV4Signer(service: "service", region: "us-east-1")

    /// Every directory holding a `.req`, relative to the suite (`get-vanilla`, `normalize-path/get-slash`).
    static let cases: [String] = {
        guard let walker = FileManager.default.enumerator(atPath: suite.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".req") }
            .map { ($0 as NSString).deletingLastPathComponent }.sorted()
    }()

    @Test func theSuiteIsComplete() {
        #expect(Self.cases.count == 31, "expected the 31 cases of the suite at \(Self.suite.path)")
    }

    @Test(arguments: SigV4TestSuiteTests.cases)
    func canonicalRequestStringToSignAndAuthorization(_ name: String) throws {
        // Given a request of the suite
        let request = try SuiteRequest(file: file(name, "req"))

        // When Parapet signs it
        let canonical = Self.signer.canonicalRequest(request.input)
        let stringToSign = Self.signer.stringToSign(canonicalRequest: canonical.text, date: Self.date)
        let authorization = Self.signer.authorization(for: request.input, credentials: Self.credentials, date: Self.date)

        // Then every intermediate result is AWS's
        let expected = (creq: try text(name, "creq"), sts: try text(name, "sts"), authz: try text(name, "authz"))
        #expect(canonical.text == expected.creq)
        #expect(stringToSign == expected.sts)
        #expect(authorization == expected.authz)
    }

    /// The full `sign(_:)` path (URL → path/query/host, X-Amz-Date, the security token) for every
    /// case whose path is legal on the wire; `get-space` and `get-utf8` have raw spaces and UTF-8
    /// in their paths, which no URL carries, so they are covered above only.
    @Test(arguments: SigV4TestSuiteTests.cases.filter { !$0.hasSuffix("get-space") && !$0.hasSuffix("get-utf8") && !$0.hasSuffix("get-utf8-query")
        && !$0.hasSuffix("post-sts-header-after") })
    func signingAnHTTPRequestGivesTheSuitesAuthorization(_ name: String) throws {
        // Given the suite's request as an HTTPRequest without Host and X-Amz-Date (the signer adds them)
        let suite = try SuiteRequest(file: file(name, "req"))
        let query = suite.input.query.isEmpty ? "" : "?\(suite.input.query)"
        let url = try #require(URL(string: "https://example.amazonaws.com\(suite.input.path)\(query)"))
        let token = suite.input.headers.first { $0.name.lowercased() == "x-amz-security-token" }?.value
        let headers = suite.input.headers.filter { !["host", "x-amz-date", "x-amz-security-token"].contains($0.name.lowercased()) }
        var request = ParapetCore.HTTPRequest(method: suite.input.method, url: url, headers: headers, body: suite.body)
        let credentials = AWSCredentials(accessKeyID: Self.credentials.accessKeyID,
                                         secretAccessKey: Self.credentials.secretAccessKey, sessionToken: token)

        // When it is signed
        Self.signer.sign(&request, credentials: credentials, date: Self.date)

        // Then the Authorization header is the suite's
        let expected = try text(name, "authz")
        #expect(request.header("Authorization") == expected)
        #expect(request.header("X-Amz-Date") == "20150830T123600Z")
        #expect(request.header("X-Amz-Security-Token") == token)
    }

    @Test func aTokenAddedAfterSigningIsNotSigned() throws {
        // Given post-sts-header-after: the token travels but is not part of the signature
        let name = "post-sts-token/post-sts-header-after"
        let request = try SuiteRequest(file: file(name, "req"))
        let sreq = try text(name, "sreq")

        // When the request (without the token) is signed, Then the signature is the suite's and the token is only in the .sreq
        let expected = try text(name, "authz")
        #expect(Self.signer.authorization(for: request.input, credentials: Self.credentials, date: Self.date) == expected)
        #expect(sreq.contains("X-Amz-Security-Token:"))
        #expect(!request.input.headers.contains { $0.name.lowercased() == "x-amz-security-token" })
    }

    func file(_ name: String, _ ext: String) -> URL {
        let base = (name as NSString).lastPathComponent
        return Self.suite.appendingPathComponent(name).appendingPathComponent("\(base).\(ext)")
    }

    func text(_ name: String, _ ext: String) throws -> String {
        String(decoding: try Data(contentsOf: file(name, ext)), as: UTF8.self)
    }
}

/// A `.req` file: request line, headers (a line starting with whitespace continues the previous
/// header and counts as another value of it, as the suite's `.creq` expects), blank line, body.
struct SuiteRequest {
    var input: SigV4Signer.Input
    var body: Data?

    init(file: URL) throws {
        let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "), requestLine.hasSuffix(" HTTP/1.1") else {
            throw SuiteError(message: "\(file.lastPathComponent): bad request line '\(requestLine)'")
        }
        let method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)...].dropLast(" HTTP/1.1".count))
        let path: String
        let query: String
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = ""
        }
        var headers: [(name: String, value: String)] = []
        var bodyLines: [String]?
        for line in lines {
            if bodyLines != nil {
                bodyLines!.append(line)
            } else if line.isEmpty {
                bodyLines = []
            } else if line.first == " " || line.first == "\t", let last = headers.last {
                headers.append((last.name, line))
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            } else {
                throw SuiteError(message: "\(file.lastPathComponent): bad header line '\(line)'")
            }
        }
        let body = bodyLines.map { Data($0.joined(separator: "\n").utf8) }
        self.body = body
        self.input = SigV4Signer.Input(method: method, path: path, query: query, headers: headers,
                                       payloadHash: SigV4Signer.sha256Hex(body ?? Data()))
    }
}

struct SuiteError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
