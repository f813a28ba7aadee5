/// Cheap checks on source-address fields, which hold IPs, service host names (`config.amazonaws.com`),
/// `AWS Internal`, `private`, `gce-internal-ip` or comma-separated lists.
enum IPAddressText {
    /// The first address of `text` when it looks like an IPv4 or IPv6 address, else nil.
    static func firstAddress(in text: String) -> String? {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.firstIndex(of: UInt8(ascii: ",")) ?? utf8.endIndex
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        let first = text[start..<end]
        guard !first.isEmpty, first.utf8.count <= 45 else { return nil }
        var digits = 0, dots = 0, colons = 0
        for byte in first.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: ":"): colons += 1
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
                if colons == 0 && dots > 0 { return nil }
            default: return nil
            }
        }
        if colons >= 2 { return String(first) }
        if colons == 0, dots == 3, digits >= 4, !first.utf8.contains(where: { $0 > UInt8(ascii: "9") }) { return String(first) }
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
