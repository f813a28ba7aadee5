/// Parsing of Azure resource ids (`/subscriptions/<id>/resourceGroups/<rg>/providers/<ns>/<type>/<name>`),
/// whose segment names appear in any casing (`/SUBSCRIPTIONS/…`, `/TeNaNtS/…`).
enum AzureResourceID {
    /// The lower-cased subscription id, else `tenants/<id>` for tenant-level resources, else nil.
    static func account(in resourceID: String) -> String? {
        var segments = resourceID.split(separator: "/").makeIterator()
        while let segment = segments.next() {
            if segment.lowercased() == "subscriptions", let id = segments.next(), !id.isEmpty {
                return id.lowercased()
            }
            if segment.lowercased() == "tenants", let id = segments.next(), !id.isEmpty {
                return "tenants/" + id.lowercased()
            }
        }
        return nil
    }

    /// The resource provider namespace of an operation (`Microsoft.Compute/virtualMachines/write` → `Microsoft.Compute`).
    static func providerNamespace(of operation: String) -> String? {
        guard let slash = operation.firstIndex(of: "/"), slash != operation.startIndex else { return nil }
        return String(operation[..<slash])
    }
}
