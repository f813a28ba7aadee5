import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

@Suite("Sigma value modifiers")
struct ModifierTests {
    @Test("contains, startswith and endswith are case-insensitive substring, prefix and suffix tests")
    func positions() throws {
        let contains = try RuleHarness(detection: "sel:\n    userAgent|contains: 'S3 Browser'\ncondition: sel")
        #expect(try contains.matches(json: #"{"userAgent":"aws-sdk S3 BROWSER 9.1"}"#))
        #expect(try !contains.matches(json: #"{"userAgent":"S3Browser"}"#))
        let starts = try RuleHarness(detection: "sel:\n    eventName|startswith: Update\ncondition: sel")
        #expect(try starts.matches(json: #"{"eventName":"updateFunctionConfiguration20150331v2"}"#))
        #expect(try !starts.matches(json: #"{"eventName":"FunctionUpdate"}"#))
        let ends = try RuleHarness(detection: "sel:\n    eventName|endswith: '.delete'\ncondition: sel")
        #expect(try ends.matches(json: #"{"eventName":"a.b.DELETE"}"#))
        #expect(try !ends.matches(json: #"{"eventName":"a.delete.b"}"#))
    }

    @Test("all requires every value; without it any value suffices")
    func allModifier() throws {
        let all = try RuleHarness(detection: "sel:\n    cmd|contains|all: [alpha, beta]\ncondition: sel")
        #expect(try all.matches(json: #"{"cmd":"beta then alpha"}"#))
        #expect(try !all.matches(json: #"{"cmd":"alpha only"}"#))
        let any = try RuleHarness(detection: "sel:\n    cmd|contains: [alpha, beta]\ncondition: sel")
        #expect(try any.matches(json: #"{"cmd":"alpha only"}"#))
    }

    @Test("cased makes the comparison case-sensitive")
    func cased() throws {
        let rule = try RuleHarness(detection: "sel:\n    eventName|cased: StopLogging\ncondition: sel")
        #expect(try rule.matches(json: #"{"eventName":"StopLogging"}"#))
        #expect(try !rule.matches(json: #"{"eventName":"stoplogging"}"#))
    }

    @Test("re is case-sensitive and searches; i, m and s set its flags")
    func regex() throws {
        let plain = try RuleHarness(detection: "sel:\n    arn|re: ':assumed-role/aws:.+'\ncondition: sel")
        #expect(try plain.matches(json: #"{"arn":"arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"}"#))
        #expect(try !plain.matches(json: #"{"arn":"arn:aws:sts::1:ASSUMED-ROLE/AWS:x"}"#))
        let insensitive = try RuleHarness(detection: "sel:\n    arn|re|i: ':assumed-role/aws:.+'\ncondition: sel")
        #expect(try insensitive.matches(json: #"{"arn":"arn:aws:sts::1:ASSUMED-ROLE/AWS:x"}"#))
        let multiline = try RuleHarness(detection: "sel:\n    msg|re|m: '^second$'\ncondition: sel")
        #expect(try multiline.matches(json: #"{"msg":"first\nsecond\nthird"}"#))
        let single = try RuleHarness(detection: "sel:\n    msg|re: '^second$'\ncondition: sel")
        #expect(try !single.matches(json: #"{"msg":"first\nsecond\nthird"}"#))
        let dotall = try RuleHarness(detection: "sel:\n    msg|re|s: 'first.second'\ncondition: sel")
        #expect(try dotall.matches(json: #"{"msg":"first\nsecond"}"#))
        let noDotall = try RuleHarness(detection: "sel:\n    msg|re: 'first.second'\ncondition: sel")
        #expect(try !noDotall.matches(json: #"{"msg":"first\nsecond"}"#))
    }

    @Test("exists tests presence only, a null value counts as present")
    func exists() throws {
        let present = try RuleHarness(detection: "sel:\n    errorCode|exists: true\ncondition: sel")
        #expect(try present.matches(json: #"{"errorCode":null}"#))
        #expect(try !present.matches(json: #"{"other":1}"#))
        let absent = try RuleHarness(detection: "sel:\n    errorCode|exists: false\ncondition: sel")
        #expect(try absent.matches(json: #"{"other":1}"#))
        #expect(try !absent.matches(json: #"{"errorCode":"AccessDenied"}"#))
    }

    @Test("cidr matches IPv4 and IPv6 networks and ignores non-addresses")
    func cidr() throws {
        let rule = try RuleHarness(detection: "sel:\n    sourceIPAddress|cidr: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7']\ncondition: sel")
        #expect(try rule.matches(json: #"{"sourceIPAddress":"10.200.3.4"}"#))
        #expect(try rule.matches(json: #"{"sourceIPAddress":"2001:db8:1::5"}"#))
        #expect(try rule.matches(json: #"{"sourceIPAddress":"192.0.2.7"}"#))
        #expect(try !rule.matches(json: #"{"sourceIPAddress":"11.0.0.1"}"#))
        #expect(try !rule.matches(json: #"{"sourceIPAddress":"2001:db9::1"}"#))
        #expect(try !rule.matches(json: #"{"sourceIPAddress":"AWS Internal"}"#))
    }

    @Test("lt, lte, gt and gte compare numbers, also numbers written as text")
    func comparisons() throws {
        let lt = try RuleHarness(detection: "sel:\n    n|lt: 10\ncondition: sel")
        #expect(try lt.matches(json: #"{"n":9}"#))
        #expect(try !lt.matches(json: #"{"n":10}"#))
        #expect(try lt.matches(json: #"{"n":"9.5"}"#))
        let lte = try RuleHarness(detection: "sel:\n    n|lte: 10\ncondition: sel")
        #expect(try lte.matches(json: #"{"n":10}"#))
        let gt = try RuleHarness(detection: "sel:\n    n|gt: 10\ncondition: sel")
        #expect(try gt.matches(json: #"{"n":11}"#))
        #expect(try !gt.matches(json: #"{"n":"abc"}"#))
        let gte = try RuleHarness(detection: "sel:\n    n|gte: 10\ncondition: sel")
        #expect(try gte.matches(json: #"{"n":10}"#))
        #expect(try !gte.matches(json: #"{"n":9.99}"#))
    }

    @Test("neq matches a present value that equals none of the values")
    func neq() throws {
        let rule = try RuleHarness(detection: "sel:\n    userIdentity.type|neq: [Root, IAMUser]\ncondition: sel")
        #expect(try rule.matches(json: #"{"userIdentity":{"type":"AssumedRole"}}"#))
        #expect(try !rule.matches(json: #"{"userIdentity":{"type":"root"}}"#))
        #expect(try !rule.matches(json: #"{"userIdentity":{}}"#))
        let number = try RuleHarness(detection: "sel:\n    n|neq: 3\ncondition: sel")
        #expect(try number.matches(json: #"{"n":4}"#))
        #expect(try !number.matches(json: #"{"n":3}"#))
    }

    @Test("base64 and base64offset find encoded text; utf16 variants encode first")
    func encodings() throws {
        let plain = try RuleHarness(detection: "sel:\n    data|base64: 'hello'\ncondition: sel")
        #expect(try plain.matches(json: #"{"data":"aGVsbG8="}"#))
        let offset = try RuleHarness(detection: "sel:\n    data|base64offset|contains: 'http://'\ncondition: sel")
        for prefix in ["", "a", "ab", "abc"] {
            let encoded = Data((prefix + "http://evil.example").utf8).base64EncodedString()
            #expect(offset.matches(.object(["data": .string(encoded)])), "prefix '\(prefix)'")
        }
        #expect(!offset.matches(.object(["data": .string(Data("https only".utf8).base64EncodedString())])))
        let wide = try RuleHarness(detection: "sel:\n    data|wide|base64offset|contains: 'cmd'\ncondition: sel")
        let utf16 = Data([0x78, 0x00] + Array("cmd".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).base64EncodedString()
        #expect(wide.matches(.object(["data": .string(utf16)])))
        let be = try RuleHarness(detection: "sel:\n    data|utf16be|base64: 'A'\ncondition: sel")
        #expect(be.matches(.object(["data": .string(Data([0x00, 0x41]).base64EncodedString())])))
        let bom = try RuleHarness(detection: "sel:\n    data|utf16|base64: 'A'\ncondition: sel")
        #expect(bom.matches(.object(["data": .string(Data([0xFF, 0xFE, 0x41, 0x00]).base64EncodedString())])))
        let le = try RuleHarness(detection: "sel:\n    data|utf16le|base64: 'A'\ncondition: sel")
        #expect(le.matches(.object(["data": .string(Data([0x41, 0x00]).base64EncodedString())])))
    }

    @Test("windash accepts every dash variant in place of - and /")
    func windash() throws {
        let rule = try RuleHarness(detection: "sel:\n    cmd|windash|contains: ' -exec '\ncondition: sel")
        for dash in ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"] {
            #expect(rule.matches(.object(["cmd": .string("run \(dash)exec now")])), "dash \(dash)")
        }
        #expect(try !rule.matches(json: #"{"cmd":"run exec now"}"#))
    }

    @Test("fieldref compares with another field of the same event")
    func fieldref() throws {
        let rule = try RuleHarness(detection: "sel:\n    userIdentity.userName|fieldref: requestParameters.userName\ncondition: sel")
        #expect(try rule.matches(json: #"{"userIdentity":{"userName":"Alice"},"requestParameters":{"userName":"alice"}}"#))
        #expect(try !rule.matches(json: #"{"userIdentity":{"userName":"alice"},"requestParameters":{"userName":"bob"}}"#))
        #expect(try !rule.matches(json: #"{"userIdentity":{"userName":"alice"}}"#))
        let contains = try RuleHarness(detection: "sel:\n    userIdentity.arn|fieldref|endswith: requestParameters.userName\ncondition: sel")
        #expect(try contains.matches(json: #"{"userIdentity":{"arn":"arn:aws:iam::1:user/alice"},"requestParameters":{"userName":"alice"}}"#))
    }

    @Test("expand replaces placeholders with the configured values")
    func expand() throws {
        let rule = try RuleHarness(detection: "sel:\n    userIdentity.arn|expand: '%Administrators%'\ncondition: sel",
                                   expansions: ["Administrators": ["*:role/Admin", "*:user/root-*"]])
        #expect(try rule.matches(json: #"{"userIdentity":{"arn":"arn:aws:iam::1:role/Admin"}}"#))
        #expect(try rule.matches(json: #"{"userIdentity":{"arn":"arn:aws:iam::1:user/root-x"}}"#))
        #expect(try !rule.matches(json: #"{"userIdentity":{"arn":"arn:aws:iam::1:role/Dev"}}"#))
        let escaped = try RuleHarness(detection: "sel:\n    msg|expand: '\\%plain%Admins%'\ncondition: sel",
                                      expansions: ["Admins": ["X"]])
        #expect(try escaped.matches(json: #"{"msg":"%plainX"}"#))
    }

    @Test("time parts read timestamps in UTC and compare as numbers")
    func timeParts() throws {
        let hour = try RuleHarness(detection: "sel:\n    eventTime|hour|gte: 22\ncondition: sel")
        #expect(try hour.matches(json: #"{"eventTime":"2024-03-05T23:10:00Z"}"#))
        #expect(try !hour.matches(json: #"{"eventTime":"2024-03-05T21:10:00Z"}"#))
        #expect(try hour.matches(json: #"{"eventTime":"2024-03-05T21:10:00-01:00"}"#))
        let parts: [(String, String, Bool)] = [
            ("minute: 10", "2024-03-05T23:10:59Z", true), ("day: 5", "2024-03-05T23:10:00Z", true),
            ("month: 3", "2024-03-05T23:10:00Z", true), ("year: 2024", "2024-03-05T23:10:00Z", true),
            ("week: 10", "2024-03-05T23:10:00Z", true), ("week: 1", "2024-12-30T00:00:00Z", true),
            ("week: 53", "2021-01-01T00:00:00Z", true), ("month: 4", "2024-03-05T23:10:00Z", false),
        ]
        for (selection, time, expected) in parts {
            let field = selection.split(separator: ":")[0]
            let value = selection.split(separator: ":")[1]
            let rule = try RuleHarness(detection: "sel:\n    eventTime|\(field):\(value)\ncondition: sel")
            #expect(rule.matches(.object(["eventTime": .string(time)])) == expected, "\(selection) at \(time)")
        }
        let epoch = try RuleHarness(detection: "sel:\n    ts|year: 2001\ncondition: sel")
        #expect(try epoch.matches(json: #"{"ts":1000000000}"#))
        #expect(try epoch.matches(json: #"{"ts":1000000000000}"#))
    }
}
