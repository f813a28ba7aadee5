import Foundation
import ParapetCore

/// Decoding the parts of a compact JWT.
public enum FakeJWT {
    /// base64url → bytes.
    public static func bytes(_ part: String) -> Data? {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }

    /// base64url → JSON.
    public static func decode(_ part: String) -> JSONValue? {
        bytes(part).flatMap { try? JSONValue(parsing: $0) }
    }
}
