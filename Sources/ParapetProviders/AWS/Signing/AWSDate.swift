import Foundation

/// The two date forms SigV4 uses, computed without a formatter (UTC, proleptic Gregorian).
enum AWSDate {
    /// `20150830T123600Z`
    static func timestamp(_ date: Date) -> String {
        let (y, m, d, hh, mm, ss) = components(date)
        return pad(y, 4) + pad(m, 2) + pad(d, 2) + "T" + pad(hh, 2) + pad(mm, 2) + pad(ss, 2) + "Z"
    }

    /// `20150830`
    static func day(_ date: Date) -> String {
        let (y, m, d, _, _, _) = components(date)
        return pad(y, 4) + pad(m, 2) + pad(d, 2)
    }

    /// Year, month, day, hour, minute, second in UTC (Howard Hinnant's civil_from_days).
    static func components(_ date: Date) -> (Int, Int, Int, Int, Int, Int) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86400
        var rest = seconds % 86400
        if rest < 0 { rest += 86400; days -= 1 }
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, rest / 3600, rest % 3600 / 60, rest % 60)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
