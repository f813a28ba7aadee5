import Foundation
import Hummingbird

/// A Hummingbird router that serves `FakeCloudTrail` at `POST /`, checking the JSON 1.1
/// headers and, through `authenticate`, the SigV4 signature of every request.
public enum FakeCloudTrailServer {
    public static let target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"

    /// A request as the authenticator sees it (every header received, `host` included).
    public struct SignedRequest: Sendable {
        public var method: String
        public var path: String
        public var query: String
        public var headers: [(name: String, value: String)]
        public var body: Data
    }

    /// What an authenticator throws: an access key the endpoint does not know, or a bad signature.
    public enum AuthenticationFailure: Error, Sendable {
        case unknownKey
        case invalidSignature
    }

    /// `authenticate` returns the access key id of a correctly signed request or throws
    /// `AuthenticationFailure`.
    public static func router(_ trail: FakeCloudTrail,
                              authenticate: @escaping @Sendable (SignedRequest) throws -> String) -> Router<BasicRequestContext> {
        router(select: { _ in trail }, authenticate: authenticate)
    }

    /// One trail per region, as AWS has (the region is the one the request was signed for).
    public static func router(byRegion trails: [String: FakeCloudTrail],
                              authenticate: @escaping @Sendable (SignedRequest) throws -> String) -> Router<BasicRequestContext> {
        router(select: { region in region.flatMap { trails[$0] } }, authenticate: authenticate)
    }

    static func router(select: @escaping @Sendable (String?) -> FakeCloudTrail?,
                       authenticate: @escaping @Sendable (SignedRequest) throws -> String) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/") { request, context -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let body = Data(buffer.readableBytesView)
            var headers: [(name: String, value: String)] = request.headers.map { ($0.name.canonicalName, $0.value) }
            if let authority = request.head.authority { headers.append(("host", authority)) }
            func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
            guard header("x-amz-target") == target, header("content-type") == "application/x-amz-json-1.1" else {
                return json(400, #"{"__type":"UnknownOperationException","message":"bad target or content type"}"#)
            }
            let signed = SignedRequest(method: "POST", path: request.uri.path, query: request.uri.query ?? "", headers: headers,
                                       body: body)
            let key: String
            do {
                key = try authenticate(signed)
            } catch AuthenticationFailure.unknownKey {
                return json(403, #"{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}"#)
            } catch {
                return json(403, #"{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match the signature you provided."}"#)
            }
            guard let trail = select(credentialScope(of: signed)?.region) else {
                return json(400, #"{"__type":"UnrecognizedClientException","message":"no trail in this region"}"#)
            }
            let answer = await trail.lookupEvents(body, accessKey: key)
            return json(answer.status, answer.body)
        }
        return router
    }

    /// The access key and region of `Authorization: AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, …`.
    public static func credentialScope(of request: SignedRequest) -> (accessKey: String, region: String)? {
        guard let authorization = request.headers.first(where: { $0.name.lowercased() == "authorization" })?.value,
              authorization.hasPrefix("AWS4-HMAC-SHA256 "),
              let credential = authorization.split(separator: " ").first(where: { $0.hasPrefix("Credential=") })
        else { return nil }
        let scope = credential.dropFirst("Credential=".count).split(separator: ",")[0].split(separator: "/").map(String.init)
        guard scope.count == 5 else { return nil }
        return (scope[0], scope[2])
    }

    static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/x-amz-json-1.1"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
