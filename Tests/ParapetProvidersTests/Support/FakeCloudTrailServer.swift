import Foundation
import Hummingbird

@testable import ParapetProviders

/// A Hummingbird router that serves `FakeCloudTrail` at `POST /`, checking the JSON 1.1
/// headers and the SigV4 signature of every request.
enum FakeCloudTrailServer {
    static let target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"

    static func router(_ trail: FakeCloudTrail, verifier: SigV4Verifier) -> Router<BasicRequestContext> {
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
            let key: String
            do {
                key = try verifier.verify(method: "POST", path: request.uri.path, query: request.uri.query ?? "", headers: headers,
                                    body: body)
            } catch SigV4Verifier.Failure.unknownKey {
                return json(403, #"{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}"#)
            } catch {
                return json(403, #"{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match the signature you provided."}"#)
            }
            let answer = await trail.lookupEvents(body, accessKey: key)
            return json(answer.status, answer.body)
        }
        return router
    }

    static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/x-amz-json-1.1"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
