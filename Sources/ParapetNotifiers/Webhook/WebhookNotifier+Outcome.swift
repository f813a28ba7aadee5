import Foundation
import ParapetCore

extension WebhookNotifier {
    /// How many bytes of an error response are quoted in the reason.
    static let quotedBodyBytes = 200

    /// The Standard Webhooks status handling: 2xx delivered; 408, 429 and 5xx retried (honouring
    /// `Retry-After`); 3xx refused (redirects are never followed with a signed payload); any
    /// other status refused with the status and the start of the body.
    public static func result(for response: HTTPResponse, url: URL) -> DeliveryResult {
        let status = response.status
        switch status {
        case 200..<300:
            return .delivered
        case 300..<400:
            let target = response.header("location").flatMap { URL(string: $0, relativeTo: url)?.host } ?? url.host ?? "?"
            return .rejected(reason: "receiver answered \(status) redirect to \(target); redirects are not followed "
                + "with signed payloads: configure the final URL")
        case 408, 429, 500..<600:
            return .retryable(reason: "receiver answered \(status)" + quote(response.body), retryAfter: response.retryAfter)
        case 400..<500:
            return .rejected(reason: "receiver answered \(status)" + quote(response.body))
        default:
            return .retryable(reason: "receiver answered unexpected status \(status)" + quote(response.body),
                              retryAfter: response.retryAfter)
        }
    }

    /// `: <first 200 bytes as printable text>`, or nothing for an empty body.
    static func quote(_ body: Data) -> String {
        let text = printable(body.prefix(quotedBodyBytes))
        return text.isEmpty ? "" : ": " + text
    }

    /// Decodes as UTF-8 (invalid bytes become U+FFFD), turns control characters into spaces and
    /// collapses runs of whitespace, so a hostile body cannot forge log lines or terminal output.
    static func printable(_ bytes: Data) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\u{FFFD}") { text.removeLast() }  // a character cut at the limit
        var out = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .format
            if isSpace {
                if !lastWasSpace, !out.isEmpty { out.append(" ") }
                lastWasSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    static func reason(for error: HTTPTransportError, timeout: TimeInterval) -> String {
        switch error.code {
        case .timeout:
            "receiver did not answer within \(timeout < 1 ? "\(Int(timeout * 1000))ms" : DurationText.format(timeout)) "
                + "(\(error.url))"
        case .connectionFailed: "cannot connect to \(error.url): \(error.detail)"
        case .tls: "TLS handshake with \(error.url) failed: \(error.detail)"
        case .invalidResponse, .other: error.description
        }
    }
}
