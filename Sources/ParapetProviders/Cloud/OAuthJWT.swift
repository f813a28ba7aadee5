import Crypto
import Foundation
import ParapetCore
import _CryptoExtras

/// Compact RS256 JSON Web Tokens, as Google's service-account flow and Microsoft's certificate
/// client assertion use them: base64url(header).base64url(claims).base64url(RSASSA-PKCS1-v1_5
/// SHA-256 signature).
enum OAuthJWT {
    /// Signs `claims` with `key` under a header of `alg: RS256, typ: JWT` plus `extraHeader`.
    static func sign(claims: JSONObject, extraHeader: JSONObject, key: _RSA.Signing.PrivateKey) throws -> String {
        var header: JSONObject = ["alg": "RS256", "typ": "JWT"]
        for (name, value) in extraHeader { header[name] = value }
        let signingInput = base64URL(Data(JSONValue.object(header).serialized().utf8)) + "."
            + base64URL(Data(JSONValue.object(claims).serialized().utf8))
        let signature = try key.signature(for: SHA256.hash(data: Data(signingInput.utf8)), padding: .insecurePKCS1v1_5)
        return signingInput + "." + base64URL(signature.rawRepresentation)
    }

    /// Base64url without padding (RFC 7515 §2).
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Seconds since 1970 as a JSON number.
    static func numericDate(_ date: Date) -> JSONValue {
        .number(Double(Int64(date.timeIntervalSince1970)))
    }
}

/// `application/x-www-form-urlencoded` bodies for token requests.
enum OAuthForm {
    static func encode(_ fields: [(String, String)]) -> Data {
        Data(fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&").utf8)
    }

    /// Percent-encodes everything but the RFC 3986 unreserved characters.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
