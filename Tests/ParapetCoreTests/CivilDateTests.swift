import Foundation
import Testing
@testable import ParapetCore

@Suite struct CivilDateTests {
    @Test(arguments: [Int64(0), -1, 951_782_400, 951_868_799, 1_709_164_800, 4_107_542_399, -2_208_988_800, 1_732_003_600])
    func componentsAgreeWithFoundationsGregorianCalendar(seconds: Int64) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let expected = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                               from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let c = CivilDate.components(epochSeconds: seconds)
        #expect([c.year, c.month, c.day, c.hour, c.minute, c.second]
                == [expected.year, expected.month, expected.day, expected.hour, expected.minute, expected.second])
    }

    @Test func padsToTheWidthAndNeverTruncates() {
        #expect(CivilDate.pad(7, 2) == "07")
        #expect(CivilDate.pad(2026, 4) == "2026")
        #expect(CivilDate.pad(12345, 3) == "12345")
    }
}
