import Foundation
import Hummingbird
import ParapetCore
import ParapetTesting

@testable import ParapetProviders

/// Server side of SigV4, for the fake endpoints: recomputes the signature of a received
/// request with the known secret and compares it with the one in `Authorization`.
struct SigV4Verifier {
    /// The keys the endpoint knows.
    let known: [String: AWSCredentials]

    init(credentials: AWSCredentials...) {
        known = Dictionary(credentials.map { ($0.accessKeyID, $0) }, uniquingKeysWith: { a, _ in a })
    }

    enum Failure: Error, Equatable {
        case missing(String)
        case unknownKey
        case mismatch
    }

    /// `headers`: everything received, the `Host` included (names in any case). Returns the access key id.
    @discardableResult
    func verify(method: String, path: String, query: String, headers: [(name: String, value: String)], body: Data) throws -> String {
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        guard let authorization = header("authorization") else { throw Failure.missing("Authorization") }
        guard let amzDate = header("x-amz-date"), let date = Self.date(amzDate) else { throw Failure.missing("X-Amz-Date") }
        let fields = Self.fields(authorization)
        guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], let signature = fields["Signature"]
        else { throw Failure.missing("Credential/SignedHeaders/Signature") }
        let scope = credential.split(separator: "/").map(String.init)
        guard scope.count == 5 else { throw Failure.missing("credential scope") }
        guard let credentials = known[scope[0]] else { throw Failure.unknownKey }
        let names = Set(signed.split(separator: ";").map(String.init))
        let signer = SigV4Signer(service: scope[3], region: scope[2])
        let input = SigV4Signer.Input(method: method, path: path, query: query,
                                      headers: headers.filter { names.contains($0.name.lowercased()) },
                                      payloadHash: SigV4Signer.sha256Hex(body))
        let expected = signer.authorization(for: input, credentials: credentials, date: date)
        guard Self.fields(expected)["Signature"] == signature, expected.contains("SignedHeaders=\(signed),") else {
            throw Failure.mismatch
        }
        return credentials.accessKeyID
    }

    static func fields(_ authorization: String) -> [String: String] {
        let body = authorization.drop { $0 != " " }
        var result: [String: String] = [:]
        for part in body.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { result[String(pair[0])] = String(pair[1]) }
        }
        return result
    }

    /// `20150830T123600Z` → Date.
    static func date(_ text: String) -> Date? {
        let c = Array(text)
        guard c.count == 16 else { return nil }
        let iso = "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))T\(String(c[9..<11])):\(String(c[11..<13])):\(String(c[13..<15]))Z"
        return ISO8601.date(from: iso)
    }
}

extension FakeCloudTrailServer {
    /// The fake LookupEvents endpoint, verifying every request's SigV4 signature with `verifier`.
    static func router(_ trail: FakeCloudTrail, verifier: SigV4Verifier) -> Router<BasicRequestContext> {
        router(trail) { request in
            do {
                return try verifier.verify(method: request.method, path: request.path, query: request.query,
                                           headers: request.headers, body: request.body)
            } catch SigV4Verifier.Failure.unknownKey {
                throw AuthenticationFailure.unknownKey
            } catch {
                throw AuthenticationFailure.invalidSignature
            }
        }
    }
}
