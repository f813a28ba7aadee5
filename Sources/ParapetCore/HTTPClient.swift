import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP request as the providers and notifiers build it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Header names as given; sent in this order.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Per-request timeout in seconds. Never infinite.
    public var timeout: TimeInterval

    public init(method: String = "GET", url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil,
                timeout: TimeInterval = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }
}

/// A response with its header names lower-cased.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// `Retry-After` in seconds (delta-seconds or an HTTP date), if present and sensible.
    public var retryAfter: TimeInterval? {
        guard let value = header("retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }
}

/// Errors of the transport itself (no HTTP response).
public struct HTTPTransportError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable { case timeout, connectionFailed, tls, invalidResponse, other }
    public var code: Code
    public var url: String
    public var detail: String
    public var description: String { "request to \(url) failed (\(code.rawValue)): \(detail)" }

    public init(code: Code, url: String, detail: String) {
        self.code = code
        self.url = url
        self.detail = detail
    }
}

/// The seam between Parapet and the network; tests inject their own or point the real one at
/// local servers.
public protocol HTTPClient: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// URLSession (libcurl on Linux). TLS verification stays on; redirects are never followed
/// (credentials and signatures must not travel to another host); response bodies are cut at
/// `maxResponseBytes`.
public final class URLSessionHTTPClient: HTTPClient, @unchecked Sendable {
    private let session: URLSession
    private let maxResponseBytes: Int

    public init(maxResponseBytes: Int = 64 << 20) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 8
        self.session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        // Linux Foundation honours only the property (in whole seconds); the deadline below is exact.
        urlRequest.timeoutInterval = max(1, request.timeout.rounded(.up))
        urlRequest.httpMethod = request.method
        for header in request.headers { urlRequest.addValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.httpBody = request.body
        let data: Data
        let response: URLResponse
        do {
            let finalRequest = urlRequest
            (data, response) = try await withDeadline(request) { [session] in try await session.data(for: finalRequest) }
        } catch let error as URLError {
            let code: HTTPTransportError.Code
            switch error.code {
            case .timedOut: code = .timeout
            case .cannotConnectToHost, .cannotFindHost, .networkConnectionLost, .dnsLookupFailed, .notConnectedToInternet:
                code = .connectionFailed
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
                code = .tls
            default: code = .other
            }
            throw HTTPTransportError(code: code, url: request.url.redactedDescription, detail: error.localizedDescription)
        }
        guard let http = response as? HTTPURLResponse else {
            throw HTTPTransportError(code: .invalidResponse, url: request.url.redactedDescription, detail: "not an HTTP response")
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let k = key as? String, let v = value as? String { headers[k.lowercased()] = v }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data.count > maxResponseBytes ? data.prefix(maxResponseBytes) : data)
    }
}

/// Runs `body`, failing with a timeout error when `request.timeout` passes first (the task is cancelled).
private func withDeadline<T: Sendable>(_ request: HTTPRequest, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(max(0.001, request.timeout) * 1000)))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw HTTPTransportError(
                code: .timeout, url: request.url.redactedDescription,
                detail: "no response within \(request.timeout) s")
        }
        return value
    }
}

private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

extension URL {
    /// The URL without its query string (which may carry signatures or tokens), for messages.
    public var redactedDescription: String {
        guard var components = URLComponents(url: self, resolvingAgainstBaseURL: false) else { return "<url>" }
        let hadQuery = components.query != nil
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return (components.string ?? "<url>") + (hadQuery ? "?…" : "")
    }
}
