import Foundation
import ParapetCore

/// Credentials only ever go to the configured endpoint: a `nextLink` is followed only when its
/// scheme, host and port are the management endpoint's.
enum AzureLinkGuard {
    static func check(_ link: String, against endpoint: URL, subject: String) throws -> URL {
        guard let url = URL(string: link), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else {
            throw CloudSourceError(.malformedResponse, subject: subject, message: "nextLink '\(link.cloudClipped(200))' is not a URL")
        }
        let expectedScheme = endpoint.scheme?.lowercased() ?? "https"
        let sameOrigin = scheme == expectedScheme && host == endpoint.host?.lowercased()
            && port(url, scheme) == port(endpoint, expectedScheme)
        guard sameOrigin else {
            throw CloudSourceError(
                .untrustedLink, subject: subject,
                message: "nextLink points at \(scheme)://\(host):\(port(url, scheme)), not the configured management endpoint \(endpoint.absoluteString); refusing to send credentials there")
        }
        return url
    }

    private static func port(_ url: URL, _ scheme: String) -> Int {
        url.port ?? (scheme == "http" ? 80 : 443)
    }
}
