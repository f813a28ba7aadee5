import Crypto
import Foundation

extension WebhookSecret {
    /// The Standard Webhooks `v1` signature: `v1,` + base64(HMAC-SHA256(key, "id.timestamp.body")).
    public func signature(id: String, timestamp: Int, body: Data) -> String {
        "v1," + Data(mac(id: id, timestamp: timestamp, body: body)).base64EncodedString()
    }

    /// True when `mac` is the HMAC of `id.timestamp.body` (constant-time comparison).
    func isValid(mac: Data, id: String, timestamp: Int, body: Data) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signedContent(id: id, timestamp: timestamp, body: body),
                                               using: key)
    }

    func mac(id: String, timestamp: Int, body: Data) -> HMAC<SHA256>.MAC {
        HMAC<SHA256>.authenticationCode(for: signedContent(id: id, timestamp: timestamp, body: body), using: key)
    }

    private func signedContent(id: String, timestamp: Int, body: Data) -> Data {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        return content
    }
}
