import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The symmetric key that signs webhooks (Standard Webhooks `v1`, HMAC-SHA256).
///
/// A secret file holds either the Standard Webhooks serialisation `whsec_<base64>` (the key is
/// the base64-decoded bytes, as every Standard Webhooks library reads it), or, without that
/// prefix, the key itself as raw bytes; trailing line breaks are not part of the key in either
/// form. Prefer `whsec_` (e.g. `echo "whsec_$(head -c 32 /dev/urandom | base64)"`): receivers
/// using a Standard Webhooks library can then paste the same text. The key never appears in
/// `description`, logs or errors.
public struct WebhookSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Files larger than this are surely not a secret.
    static let maxFileBytes = 64 << 10
    static let prefix = "whsec_"

    let key: SymmetricKey

    /// A secret from raw key bytes; throws when `bytes` is empty.
    public init(bytes: Data) throws {
        guard !bytes.isEmpty else {
            throw NotifierError(code: .secretEmpty, subject: "<value>", detail: "the key is empty")
        }
        self.key = SymmetricKey(data: bytes)
    }

    /// A secret from its Standard Webhooks text form `whsec_<base64>` (the prefix is optional here).
    public init(whsec text: String) throws {
        self = try WebhookSecret.parse(Data(text.utf8), subject: "<value>", prefixRequired: false)
    }

    /// Reads the secret file at `path` (see the type's documentation for the two accepted forms).
    public static func load(path: String) throws -> WebhookSecret {
        try parse(try readFile(path), subject: path, prefixRequired: true)
    }

    /// The number of key bytes (for diagnostics such as "secret is shorter than 24 bytes").
    public var byteCount: Int { key.bitCount / 8 }

    public var description: String { "WebhookSecret(redacted)" }
    public var debugDescription: String { description }

    static func parse(_ contents: Data, subject: String, prefixRequired: Bool) throws -> WebhookSecret {
        var bytes = contents
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else {
            throw NotifierError(code: .secretEmpty, subject: subject, detail: "the file is empty")
        }
        let hasPrefix = bytes.starts(with: Data(prefix.utf8))
        guard hasPrefix || !prefixRequired else { return try WebhookSecret(bytes: bytes) }
        let encoded = hasPrefix ? bytes.dropFirst(prefix.utf8.count) : bytes[...]
        var text = String(decoding: encoded, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if text.count % 4 != 0 { text += String(repeating: "=", count: 4 - text.count % 4) }
        guard let key = Data(base64Encoded: text) else {
            throw NotifierError(code: .secretInvalid, subject: subject,
                                detail: "the text after \(prefix) is not valid base64")
        }
        guard !key.isEmpty else {
            throw NotifierError(code: .secretEmpty, subject: subject, detail: "the key after \(prefix) is empty")
        }
        return try WebhookSecret(bytes: key)
    }

    static func readFile(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw NotifierError(code: .secretUnreadable, subject: path, detail: describeErrno(errno))
        }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw NotifierError(code: .secretUnreadable, subject: path, detail: describeErrno(errno))
            }
            if n == 0 { return data }
            data.append(contentsOf: buffer[0..<n])
            if data.count > maxFileBytes {
                throw NotifierError(code: .secretInvalid, subject: path,
                                    detail: "the file is larger than \(maxFileBytes) bytes; is this the right file?")
            }
        }
    }

    static func describeErrno(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied (the daemon's user must be able to read it)"
        case EISDIR: "it is a directory"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
