import Foundation

/// Where each service lives for a region, and which region its requests are signed for.
public struct AWSEndpoints: Sendable, Hashable {
    public var configuration: AWSConfiguration

    public init(configuration: AWSConfiguration) { self.configuration = configuration }

    /// Services whose one endpoint serves every region (signed for the partition's home region).
    static let globalServices: Set<String> = ["organizations", "iam"]

    /// Checks that `region` looks like an AWS region (`eu-west-1`, `us-gov-west-1`, `cn-north-1`).
    public static func validate(region: String) throws {
        let parts = region.split(separator: "-", omittingEmptySubsequences: false)
        let looksRight = parts.count >= 3 && parts.count <= 4 && parts.first?.count == 2
            && parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLowercase } }
            && parts.last.map { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) } == true
        guard looksRight else {
            throw AWSError(.invalidConfiguration,
                           "'\(region)' is not an AWS region name (expected something like eu-west-1); fix the account's regions")
        }
    }

    /// True when a custom endpoint is configured for `service` (S3 then uses path-style addressing).
    public func isCustom(_ service: String) -> Bool {
        configuration.endpoints[service] != nil || configuration.endpointURL != nil
    }

    /// The base URL of `service` in `region`.
    public func url(for service: String, region: String) throws -> URL {
        if let url = configuration.endpoints[service] ?? configuration.endpointURL { return url }
        try Self.validate(region: region)
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        let host: String
        if Self.globalServices.contains(service) {
            host = region.hasPrefix("cn-") ? "\(service).cn-northwest-1.\(suffix)"
                : region.hasPrefix("us-gov-") ? "\(service).us-gov-west-1.\(suffix)" : "\(service).us-east-1.\(suffix)"
            if service == "iam" { return URL(string: "https://iam.\(suffix)")! }
        } else {
            host = "\(service).\(region).\(suffix)"
        }
        guard let url = URL(string: "https://\(host)") else {
            throw AWSError(.invalidConfiguration, "cannot build an endpoint URL for \(service) in \(region)")
        }
        return url
    }

    /// The region requests to `service` are signed for.
    public func signingRegion(for service: String, region: String) -> String {
        guard Self.globalServices.contains(service) else { return region }
        if region.hasPrefix("cn-") { return "cn-northwest-1" }
        if region.hasPrefix("us-gov-") { return "us-gov-west-1" }
        return "us-east-1"
    }

    /// The URL of an S3 object or bucket (`key` nil): virtual-host style against AWS,
    /// path-style against a configured endpoint.
    public func s3URL(bucket: String, key: String?, region: String, query: [(String, String)] = []) throws -> URL {
        let base = try url(for: "s3", region: region)
        var path: String
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        let encodedKey = key.map { AWSURIEncoding.encode($0, keepSlash: true) }
        if isCustom("s3") {
            let basePath = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast())
                : components.percentEncodedPath
            path = basePath + "/" + AWSURIEncoding.encode(bucket) + (encodedKey.map { "/" + $0 } ?? "")
        } else {
            components.host = "\(bucket).\(components.host ?? "")"
            path = "/" + (encodedKey ?? "")
        }
        components.percentEncodedPath = path
        if !query.isEmpty {
            components.percentEncodedQuery = query.map { "\(AWSURIEncoding.encode($0.0))=\(AWSURIEncoding.encode($0.1))" }
                .joined(separator: "&")
        }
        guard let url = components.url else {
            throw AWSError(.invalidConfiguration, "cannot build an S3 URL for s3://\(bucket)/\(key ?? "")")
        }
        return url
    }
}
