import Foundation
import ParapetCore

/// The two S3 calls the trail reader needs: ListObjectsV2 and GetObject.
public struct S3Client: Sendable {
    public let client: AWSClient
    /// The bucket's region (requests are signed for it).
    public let region: String

    public init(client: AWSClient, region: String) {
        self.client = client
        self.region = region
    }

    /// One page of ListObjectsV2.
    public struct Listing: Sendable, Hashable {
        public var keys: [String]
        public var commonPrefixes: [String]
        public var nextContinuationToken: String?
    }

    /// `ListObjectsV2` under `prefix`, after `startAfter` (exclusive), one page.
    public func list(bucket: String, prefix: String, startAfter: String? = nil, continuationToken: String? = nil,
                     delimiter: String? = nil, maxKeys: Int = 1000) async throws -> Listing {
        var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(maxKeys))]
        if let startAfter { query.append(("start-after", startAfter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        let url = try client.endpoints.s3URL(bucket: bucket, key: nil, region: region, query: query)
        let response = try await client.send(HTTPRequest(method: "GET", url: url, timeout: client.configuration.timeout),
                                             service: "s3", region: region, operation: "ListObjectsV2 s3://\(bucket)/\(prefix)")
        let xml = try AWSXMLElement.parse(response.body, context: "ListObjectsV2 s3://\(bucket)/\(prefix)")
        guard xml.name == "ListBucketResult" else {
            throw AWSError(.malformedResponse, "ListObjectsV2 s3://\(bucket)/\(prefix) answered <\(xml.name)>, not <ListBucketResult>")
        }
        let truncated = xml.child("IsTruncated")?.text == "true"
        let token = xml.child("NextContinuationToken")?.text
        return Listing(keys: xml.children("Contents").compactMap { $0.child("Key")?.text },
                       commonPrefixes: xml.children("CommonPrefixes").compactMap { $0.child("Prefix")?.text },
                       nextContinuationToken: truncated ? (token?.isEmpty == false ? token : nil) : nil)
    }

    /// Every common prefix directly under `prefix` (all pages).
    public func folders(bucket: String, prefix: String) async throws -> [String] {
        var result: [String] = []
        var token: String?
        repeat {
            let page = try await list(bucket: bucket, prefix: prefix, continuationToken: token, delimiter: "/")
            result += page.commonPrefixes
            token = page.nextContinuationToken
        } while token != nil
        return result
    }

    /// `GetObject`: the object's bytes.
    public func get(bucket: String, key: String) async throws -> Data {
        let url = try client.endpoints.s3URL(bucket: bucket, key: key, region: region)
        let response = try await client.send(HTTPRequest(method: "GET", url: url, timeout: client.configuration.timeout),
                                             service: "s3", region: region, operation: "GetObject s3://\(bucket)/\(key)")
        return response.body
    }

    /// `PutObject` (tests and tools; Parapet itself only reads).
    public func put(bucket: String, key: String, body: Data) async throws {
        let url = try client.endpoints.s3URL(bucket: bucket, key: key, region: region)
        _ = try await client.send(HTTPRequest(method: "PUT", url: url, body: body, timeout: client.configuration.timeout),
                                  service: "s3", region: region, operation: "PutObject s3://\(bucket)/\(key)")
    }

    /// `CreateBucket` (tests and tools).
    public func createBucket(_ bucket: String) async throws {
        let url = try client.endpoints.s3URL(bucket: bucket, key: nil, region: region)
        var body: Data?
        if region != "us-east-1" {
            body = Data("<CreateBucketConfiguration><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>".utf8)
        }
        _ = try await client.send(HTTPRequest(method: "PUT", url: url, body: body, timeout: client.configuration.timeout),
                                  service: "s3", region: region, operation: "CreateBucket \(bucket)")
    }
}
