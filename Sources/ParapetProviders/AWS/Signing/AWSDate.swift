import Foundation
import ParapetCore

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

    /// Year, month, day, hour, minute, second in UTC.
    static func components(_ date: Date) -> (Int, Int, Int, Int, Int, Int) {
        let c = CivilDate.components(epochSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
        return (c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    private static func pad(_ value: Int, _ width: Int) -> String { CivilDate.pad(value, width) }
}
