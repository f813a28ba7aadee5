/// Parsing of Azure resource ids (`/subscriptions/<id>/resourceGroups/<rg>/providers/<ns>/<type>/<name>`),
/// whose segment names appear in any casing (`/SUBSCRIPTIONS/…`, `/TeNaNtS/…`).
enum AzureResourceID {
    /// The lower-cased subscription id, else `tenants/<id>` for tenant-level resources, else nil.
    static func account(in resourceID: String) -> String? {
        var segments = resourceID.utf8.split(separator: UInt8(ascii: "/")).makeIterator()
        while let segment = segments.next() {
            if equalsIgnoringCase(segment, "subscriptions"), let id = segments.next(), !id.isEmpty {
                return String(Substring(id)).lowercased()
            }
            if equalsIgnoringCase(segment, "tenants"), let id = segments.next(), !id.isEmpty {
                return "tenants/" + String(Substring(id)).lowercased()
            }
        }
        return nil
    }

    /// ASCII case-insensitive equality of a UTF-8 segment and a lower-case word.
    private static func equalsIgnoringCase(_ segment: Substring.UTF8View, _ word: StaticString) -> Bool {
        guard segment.count == word.utf8CodeUnitCount else { return false }
        var i = 0
        for byte in segment {
            let lowered = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
            if lowered != word.utf8Start[i] { return false }
            i += 1
        }
        return true
    }

    /// The resource provider namespace of an operation (`Microsoft.Compute/virtualMachines/write` → `Microsoft.Compute`).
    static func providerNamespace(of operation: String) -> String? {
        guard let slash = operation.firstIndex(of: "/"), slash != operation.startIndex else { return nil }
        return String(operation[..<slash])
    }
}
