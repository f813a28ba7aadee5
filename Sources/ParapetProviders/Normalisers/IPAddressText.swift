/// Cheap checks on source-address fields, which hold IPs, service host names (`config.amazonaws.com`),
/// `AWS Internal`, `private`, `gce-internal-ip` or comma-separated lists.
enum IPAddressText {
    /// The first address of `text` when it looks like an IPv4 or IPv6 address, else nil.
    static func firstAddress(in text: String) -> String? {
        if let found = text.utf8.withContiguousStorageIfAvailable(firstAddress(in:)) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(firstAddress(in:))
    }

    /// `firstAddress(in:)` on the text's UTF-8, read in place.
    private static func firstAddress(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = 0
        var end = bytes.firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        let first = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard !first.isEmpty, first.count <= 45 else { return nil }
        var digits = 0, dots = 0, colons = 0
        for byte in first {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: ":"): colons += 1
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
                if colons == 0 && dots > 0 { return nil }
            default: return nil
            }
        }
        if colons >= 2 { return String(decoding: first, as: UTF8.self) }
        if colons == 0, dots == 3, digits >= 4, !first.contains(where: { $0 > UInt8(ascii: "9") }) {
            return String(decoding: first, as: UTF8.self)
        }
        return nil
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
