import Crypto
import Foundation
import ParapetCore

/// AWS Signature Version 4 with header authorisation, for one service in one region.
/// S3 is signed as S3 wants it: the path is neither normalised nor encoded twice, and the
/// payload hash travels in `x-amz-content-sha256`.
public struct SigV4Signer: Sendable {
    /// The signing name of the service (`s3`, `sts`, `cloudtrail`, `organizations`).
    public var service: String
    /// The region the request is signed for (the credential scope's region).
    public var region: String

    /// Headers that proxies or the HTTP stack may change; never signed.
    static let unsignedHeaders: Set<String> = ["authorization", "user-agent", "expect", "x-amzn-trace-id", "content-length",
                                               "connection"]

    public init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    var isS3: Bool { service == "s3" }

    /// What the signature covers: the request as it goes on the wire.
    public struct Input: Sendable {
        public var method: String
        /// The path as sent (percent-encoded form), e.g. `/` or `/bucket/AWSLogs/…`.
        public var path: String
        /// The query string as sent, without `?` (empty when there is none).
        public var query: String
        /// Every header to sign, `Host` included.
        public var headers: [(name: String, value: String)]
        /// Lower-case hex SHA-256 of the body.
        public var payloadHash: String

        public init(method: String, path: String, query: String, headers: [(name: String, value: String)], payloadHash: String) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// The canonical request and the `SignedHeaders` list it implies.
    public struct CanonicalRequest: Sendable, Hashable {
        public var text: String
        public var signedHeaders: String
    }

    /// Signs `request` in place: adds `X-Amz-Date`, `X-Amz-Security-Token` (session credentials),
    /// `x-amz-content-sha256` (S3) and `Authorization`. The security token is signed.
    public func sign(_ request: inout HTTPRequest, credentials: AWSCredentials, date: Date = Date()) {
        let amzDate = AWSDate.timestamp(date)
        let payloadHash = Self.sha256Hex(request.body ?? Data())
        request.setHeader("X-Amz-Date", amzDate)
        if let token = credentials.sessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        } else {
            request.headers.removeAll { $0.name.lowercased() == "x-amz-security-token" }
        }
        if isS3 { request.setHeader("x-amz-content-sha256", payloadHash) }
        var headers = request.headers.filter { !Self.unsignedHeaders.contains($0.name.lowercased()) }
        if !headers.contains(where: { $0.name.lowercased() == "host" }) {
            headers.append(("host", Self.hostHeader(for: request.url)))
        }
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? "/"
        let input = Input(method: request.method, path: path.isEmpty ? "/" : path,
                          query: components?.percentEncodedQuery ?? "", headers: headers, payloadHash: payloadHash)
        request.setHeader("Authorization", authorization(for: input, credentials: credentials, date: date))
    }

    /// The `Authorization` header value for `input`.
    public func authorization(for input: Input, credentials: AWSCredentials, date: Date) -> String {
        let canonical = canonicalRequest(input)
        let toSign = stringToSign(canonicalRequest: canonical.text, date: date)
        let signature = signature(stringToSign: toSign, secretAccessKey: credentials.secretAccessKey, date: date)
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(date)), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
    }

    /// `yyyymmdd/region/service/aws4_request`
    public func scope(_ date: Date) -> String {
        "\(AWSDate.day(date))/\(region)/\(service)/aws4_request"
    }

    /// Task 2: the algorithm, the timestamp, the scope and the hash of the canonical request.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        ["AWS4-HMAC-SHA256", AWSDate.timestamp(date), scope(date), Self.sha256Hex(Data(canonicalRequest.utf8))]
            .joined(separator: "\n")
    }

    /// Lower-case hex HMAC-SHA256 of `stringToSign` under the key derived for this date, region and service.
    public func signature(stringToSign: String, secretAccessKey: String, date: Date) -> String {
        let kDate = Self.hmac(key: Data("AWS4\(secretAccessKey)".utf8), AWSDate.day(date))
        let kRegion = Self.hmac(key: kDate, region)
        let kService = Self.hmac(key: kRegion, service)
        let kSigning = Self.hmac(key: kService, "aws4_request")
        return Self.hex(Self.hmac(key: kSigning, stringToSign))
    }

    static func hmac(key: Data, _ message: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key)))
    }

    /// Lower-case hex SHA-256.
    public static func sha256Hex(_ data: Data) -> String { hex(Data(SHA256.hash(data: data))) }

    static func hex(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(data.count * 2)
        for byte in data {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `host` or `host:port` when the port is not the scheme's default (what curl sends).
    static func hostHeader(for url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let scheme = url.scheme?.lowercased()
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return host }
        return "\(host):\(port)"
    }
}
