import Foundation
import ParapetCore

/// Azure Activity Log timestamps. Azure writes ISO 8601 in UTC with 0–9 fractional digits and
/// `Z`, a numeric offset or no designator (which Azure Monitor means as UTC); all of those are
/// accepted. US-style spellings (`1/9/2007 9:41:00 AM`) seen in re-exported logs are rejected:
/// nothing in the text says whether `1/9` is 9 January or 1 September.
enum AzureTime {
    static func date(from text: String, field: String) throws -> Date {
        if let date = ISO8601.date(from: text) { return date }
        if text.utf8.contains(UInt8(ascii: "/")) {
            throw NormaliseError(
                "field '\(field)' is not an unambiguous timestamp: '\(RecordFields.clip(text))' (day/month order unknown; expected ISO 8601)")
        }
        throw NormaliseError("field '\(field)' is not a timestamp: '\(RecordFields.clip(text))'")
    }
}
