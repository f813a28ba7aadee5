import Foundation
import ParapetCore

/// The key layout of CloudTrail log files:
/// `[prefix/]AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`.
public struct CloudTrailLogKey: Sendable, Hashable {
    public var prefix: String?
    public var organizationID: String?

    public init(prefix: String?, organizationID: String?) {
        let trimmed = prefix?.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.prefix = trimmed?.isEmpty == false ? trimmed : nil
        self.organizationID = organizationID?.isEmpty == false ? organizationID : nil
    }

    /// `[prefix/]AWSLogs/[o-ORGID/]`: the folder whose subfolders are accounts.
    public var accountsFolder: String {
        (prefix.map { "\($0)/" } ?? "") + "AWSLogs/" + (organizationID.map { "\($0)/" } ?? "")
    }

    /// `…/ACCOUNT/CloudTrail/`: the folder whose subfolders are regions.
    public func regionsFolder(account: String) -> String { accountsFolder + "\(account)/CloudTrail/" }

    /// `…/ACCOUNT/CloudTrail/REGION/`: every log file of one account and region.
    public func folder(account: String, region: String) -> String { regionsFolder(account: account) + "\(region)/" }

    /// The key every log file of `account`/`region` delivered at or after `date` sorts after.
    public func keyFloor(account: String, region: String, date: Date) -> String {
        let (y, m, d, hh, mm, _) = AWSDate.components(date)
        func p(_ v: Int, _ w: Int = 2) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        return folder(account: account, region: region) + "\(p(y, 4))/\(p(m))/\(p(d))/"
            + "\(account)_CloudTrail_\(region)_\(p(y, 4))\(p(m))\(p(d))T\(p(hh))\(p(mm))Z"
    }

    /// The full key of a log file (tests and tools).
    public func key(account: String, region: String, date: Date, unique: String, gzip: Bool = true) -> String {
        keyFloor(account: account, region: region, date: date) + "_\(unique).json" + (gzip ? ".gz" : "")
    }

    /// The delivery time in a log file's name (minute precision), or nil when the name does not follow the layout.
    public static func deliveryTime(ofKey key: String) -> Date? {
        let name = key.split(separator: "/").last.map(String.init) ?? key
        let fields = name.split(separator: "_")
        guard fields.count >= 5, fields[1] == "CloudTrail" else { return nil }
        let stamp = Array(fields[3].utf8)
        guard stamp.count == 14, stamp[8] == UInt8(ascii: "T"), stamp[13] == UInt8(ascii: "Z") else { return nil }
        let text = String(decoding: stamp, as: UTF8.self)
        func part(_ from: Int, _ length: Int) -> String {
            let start = text.index(text.startIndex, offsetBy: from)
            return String(text[start..<text.index(start, offsetBy: length)])
        }
        return ISO8601.date(from: "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):00Z")
    }

    /// True for log files (`.json`, `.json.gz`), false for digests and anything else.
    public static func isLogFile(_ key: String) -> Bool {
        !key.contains("CloudTrail-Digest") && (key.hasSuffix(".json.gz") || key.hasSuffix(".json"))
    }
}
