import Foundation
import ParapetCore

/// `YYYY-MM-DD` dates (and full RFC 3339 timestamps) in policy files.
enum PolicyDate {
    static func parse(_ text: String) -> Date? {
        let t = text.trimmingWhitespace()
        if t.count == 10 {
            let parts = t.split(separator: "-")
            guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
                parts[0].count == 4, (1...12).contains(m), (1...daysIn(month: m, year: y)).contains(d)
            else { return nil }
            return Date(timeIntervalSince1970: Double(ISO8601Days.days(year: y, month: m, day: d)) * 86400)
        }
        return ISO8601.date(from: t)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func string(_ date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86400).rounded(.down))
        let (y, m, d) = CivilDate.civil(fromDays: days)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }
}
