#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 network (`10.0.0.0/8`, `2001:db8::/32`); a bare address is a /32 or /128.
struct CIDR: Sendable, Hashable, CustomStringConvertible {
    let network: [UInt8]
    let prefixLength: Int
    let description: String

    init?(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = CIDR.parseAddress(String(parts[0])) else { return nil }
        let maxLength = address.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maxLength).contains(parsed) else { return nil }
            length = parsed
        }
        var masked = address
        for i in 0..<masked.count {
            let bitsHere = max(0, min(8, length - i * 8))
            masked[i] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsHere))
        }
        network = masked
        prefixLength = length
        description = trimmed
    }

    /// True when `text` is an address inside this network (same family).
    func contains(_ text: String) -> Bool {
        guard let address = CIDR.parseAddress(text), address.count == network.count else { return false }
        var remaining = prefixLength
        for i in 0..<address.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address[i] & mask != network[i] { return false }
            remaining -= bits
        }
        return true
    }

    /// 4 bytes for IPv4, 16 for IPv6 (a zone suffix `%eth0` is ignored), nil otherwise.
    static func parseAddress(_ text: String) -> [UInt8]? {
        if text.contains(":") {
            let host = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
            var storage = in6_addr()
            guard inet_pton(AF_INET6, host, &storage) == 1 else { return nil }
            return withUnsafeBytes(of: &storage) { Array($0) }
        }
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCIIDigit), let value = UInt8(octet)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
