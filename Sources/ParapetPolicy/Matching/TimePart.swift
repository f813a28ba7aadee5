import ParapetCore

/// Sigma's time modifiers: a number taken from a timestamp, in UTC.
enum TimePart: String, Sendable, Hashable {
    case minute, hour, day, week, month, year

    /// The part of a timestamp value: RFC 3339 text, or epoch seconds (milliseconds when large).
    func extract(from value: JSONValue) -> Double? {
        let seconds: Double
        switch value {
        case .string(let text):
            guard let date = ISO8601.date(from: text) else { return nil }
            seconds = date.timeIntervalSince1970
        case .number(let n):
            seconds = abs(n) > 100_000_000_000 ? n / 1000 : n
        default:
            return nil
        }
        let totalSeconds = Int(seconds.rounded(.down))
        let days = Int((Double(totalSeconds) / 86400).rounded(.down))
        let secondOfDay = totalSeconds - days * 86400
        let (year, month, day) = CivilDate.civil(fromDays: days)
        switch self {
        case .minute: return Double((secondOfDay / 60) % 60)
        case .hour: return Double(secondOfDay / 3600)
        case .day: return Double(day)
        case .month: return Double(month)
        case .year: return Double(year)
        case .week: return Double(TimePart.isoWeek(days: days, year: year))
        }
    }

    /// ISO 8601 week number (1–53).
    static func isoWeek(days: Int, year: Int) -> Int {
        let weekday = ((days % 7 + 7) % 7 + 3) % 7 + 1  // 1970-01-01 was a Thursday; Monday = 1
        let jan1 = ISO8601Days.days(year: year, month: 1, day: 1)
        let ordinal = days - jan1 + 1
        let week = (ordinal - weekday + 10) / 7
        if week < 1 { return weeksIn(year: year - 1) }
        if week > weeksIn(year: year) { return 1 }
        return week
    }

    static func weeksIn(year: Int) -> Int {
        func p(_ y: Int) -> Int { (y + y / 4 - y / 100 + y / 400) % 7 }
        return p(year) == 4 || p(year - 1) == 3 ? 53 : 52
    }
}

/// Days since 1970-01-01 for a civil date.
enum ISO8601Days {
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
