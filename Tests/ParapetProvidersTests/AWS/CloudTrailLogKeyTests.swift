import Foundation
import ParapetCore
import Testing

@testable import ParapetProviders

@Suite struct CloudTrailLogKeyTests {
    static let date = ISO8601.date(from: "2024-08-05T09:07:31Z")!

    @Test func organisationAndAccountLayouts() {
        let org = CloudTrailLogKey(prefix: "o-abc123/", organizationID: "o-abc123")
        #expect(org.key(account: "111122223333", region: "eu-west-1", date: Self.date, unique: "Xy12")
            == "o-abc123/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2024/08/05/111122223333_CloudTrail_eu-west-1_20240805T0907Z_Xy12.json.gz")
        let plain = CloudTrailLogKey(prefix: nil, organizationID: nil)
        #expect(plain.folder(account: "111122223333", region: "us-east-1") == "AWSLogs/111122223333/CloudTrail/us-east-1/")
    }

    @Test func theFloorSortsBeforeEveryFileOfThatMinuteAndAfterEarlierOnes() {
        let layout = CloudTrailLogKey(prefix: nil, organizationID: nil)
        let floor = layout.keyFloor(account: "111122223333", region: "eu-west-1", date: Self.date)
        let same = layout.key(account: "111122223333", region: "eu-west-1", date: Self.date, unique: "0000")
        let earlier = layout.key(account: "111122223333", region: "eu-west-1", date: Self.date.addingTimeInterval(-60), unique: "zzzz")
        let nextDay = layout.key(account: "111122223333", region: "eu-west-1", date: Self.date.addingTimeInterval(86400), unique: "a")
        #expect(floor < same)
        #expect(earlier < floor)
        #expect(floor < nextDay)
    }

    @Test func sourcesScopedToAccountsHaveTheirOwnIDs() {
        let client = AWSClient(http: URLSessionHTTPClient(), credentials: StaticCredentialProvider(.init(accessKeyID: "A", secretAccessKey: "s")),
                               configuration: AWSConfiguration())
        func id(_ accounts: [String]?) -> String {
            CloudTrailS3Source(configuration: .init(bucket: "logs", prefix: "o-x", organizationID: "o-x", accounts: accounts),
                               client: client, decompress: { $0 }).id
        }
        #expect(id(nil) == "aws/s3/logs/o-x/AWSLogs/o-x/cloudtrail")
        #expect(id(["222222222222", "111111111111"]) == "aws/s3/logs/o-x/AWSLogs/o-x/111111111111+222222222222/cloudtrail")
    }

    @Test func deliveryTimeAndLogFileDetection() {
        let key = "AWSLogs/o-x/111122223333/CloudTrail/eu-west-1/2024/08/05/111122223333_CloudTrail_eu-west-1_20240805T0907Z_Xy12.json.gz"
        #expect(CloudTrailLogKey.deliveryTime(ofKey: key) == ISO8601.date(from: "2024-08-05T09:07:00Z"))
        #expect(CloudTrailLogKey.deliveryTime(ofKey: "AWSLogs/x/readme.json") == nil)
        #expect(CloudTrailLogKey.isLogFile(key))
        #expect(!CloudTrailLogKey.isLogFile("AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/08/05/x_CloudTrail-Digest_y.json.gz"))
        #expect(!CloudTrailLogKey.isLogFile("AWSLogs/111122223333/CloudTrail/eu-west-1/2024/08/05/notes.txt"))
    }
}
