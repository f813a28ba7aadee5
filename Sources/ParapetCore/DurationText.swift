import Foundation

/// Durations as written in configuration and on the command line: `90s`, `15m`, `24h`, `90d`,
/// `500ms`, or a combination such as `1h30m`.
public enum DurationText {
    public static func parse(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        var total = 0.0
        var number = ""
        var chars = Array(trimmed)
        var i = 0
        var sawUnit = false
        while i < chars.count {
            let c = chars[i]
            if c.isNumber || c == "." {
                number.append(c)
                i += 1
                continue
            }
            guard let value = Double(number) else { return nil }
            var unit = String(c)
            if c == "m", i + 1 < chars.count, chars[i + 1] == "s" { unit = "ms"; i += 1 }
            let scale: Double
            switch unit {
            case "ms": scale = 0.001
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            case "d": scale = 86400
            case "w": scale = 7 * 86400
            default: return nil
            }
            total += value * scale
            number = ""
            sawUnit = true
            i += 1
        }
        chars.removeAll()
        if !number.isEmpty { return nil }
        return sawUnit ? total : nil
    }

    public static func format(_ interval: TimeInterval) -> String {
        let s = Int(interval)
        if s % 86400 == 0 && s >= 86400 { return "\(s / 86400)d" }
        if s % 3600 == 0 && s >= 3600 { return "\(s / 3600)h" }
        if s % 60 == 0 && s >= 60 { return "\(s / 60)m" }
        return "\(s)s"
    }
}
