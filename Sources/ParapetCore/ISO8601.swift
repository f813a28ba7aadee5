import Foundation

/// RFC 3339 timestamps as the providers write them: any number of fractional digits (0–9),
/// `Z` or a numeric offset. Parsing is hand-rolled: it runs for every event.
public enum ISO8601 {
    public static func string(from date: Date) -> String {
        let formatter = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        return formatter.format(date)
    }

    /// Parses `2024-09-11T09:28:28Z`, `2024-09-11T09:28:28.123456789+02:00`, `2024-09-11 09:28:28Z`.
    public static func date(from text: String) -> Date? {
        var utf8 = Array(text.utf8)
        if utf8.count < 19 { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                guard i < utf8.count else { return nil }
                let b = utf8[i]
                guard b >= 48, b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        guard let year = num(0, 4), utf8[4] == UInt8(ascii: "-"), let month = num(5, 2), utf8[7] == UInt8(ascii: "-"),
            let day = num(8, 2), utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: "t") || utf8[10] == 0x20,
            let hour = num(11, 2), utf8[13] == UInt8(ascii: ":"), let minute = num(14, 2),
            utf8[16] == UInt8(ascii: ":"), let second = num(17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < utf8.count, utf8[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < utf8.count, utf8[i] >= 48, utf8[i] <= 57 {
                fraction += Double(utf8[i] - 48) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        var offset = 0
        if i < utf8.count {
            let b = utf8[i]
            if b == UInt8(ascii: "Z") || b == UInt8(ascii: "z") {
                i += 1
            } else if b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                let sign = b == UInt8(ascii: "+") ? 1 : -1
                if i + 3 <= utf8.count, let oh = num(i + 1, 2) {
                    var om = 0
                    var next = i + 3
                    if next < utf8.count, utf8[next] == UInt8(ascii: ":") { next += 1 }
                    if next + 2 <= utf8.count, let m = num(next, 2) { om = m; next += 2 }
                    offset = sign * (oh * 3600 + om * 60)
                    i = next
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        utf8.removeAll()
        guard i >= 19 else { return nil }
        if i != text.utf8.count { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Howard Hinnant's days_from_civil.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
