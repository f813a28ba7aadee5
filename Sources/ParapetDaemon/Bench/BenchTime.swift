import ParapetCore

/// Fast RFC 3339 text for generated event times (UTC), without Foundation formatters, so the
/// generator writes millions of timestamps quickly.
enum BenchTime {
    /// `2026-03-01T10:00:00Z` (CloudTrail style) or, with `millis`, `2026-03-01T10:00:00.123Z`.
    static func text(epochMillis: Int64, millis: Bool) -> String {
        let c = CivilDate.components(epochSeconds: epochMillis / 1000)
        var out = pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2) + "T"
        out += pad(c.hour, 2) + ":" + pad(c.minute, 2) + ":" + pad(c.second, 2)
        if millis { out += "." + pad(Int(epochMillis % 1000), 3) }
        return out + "Z"
    }

    static func pad(_ value: Int, _ width: Int) -> String { CivilDate.pad(value, width) }
}
