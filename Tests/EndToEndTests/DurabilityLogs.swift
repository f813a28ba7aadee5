import Foundation
import ParapetTesting

/// Generated CloudTrail activity for the durability tests: JSON-lines files for several accounts,
/// mostly harmless reads with, here and there, a trail stopped (critical; some started again
/// later, which resolves the violation), an access key created (high) or a security group opened
/// (medium). Deterministic for a seed, so an interrupted and an uninterrupted run read the same.
struct DurabilityLogs {
    static let accounts: [(id: String, team: String)] = [
        ("210000000001", "payments"), ("210000000002", "payments"), ("210000000003", "platform"), ("210000000004", "platform"),
    ]

    static let policies = """
        title: Trail stopped
        id: durability-trail-stopped
        level: critical
        logsource: { product: aws, service: cloudtrail }
        detection:
          selection: { eventSource: cloudtrail.amazonaws.com, eventName: StopLogging }
          condition: selection
        parapet:
          resolves_on: { eventSource: cloudtrail.amazonaws.com, eventName: StartLogging }
        ---
        title: Access key created
        id: durability-access-key
        level: high
        logsource: { product: aws, service: cloudtrail }
        detection:
          selection: { eventSource: iam.amazonaws.com, eventName: CreateAccessKey }
          condition: selection
        ---
        title: Security group opened
        id: durability-sg-open
        level: medium
        logsource: { product: aws, service: cloudtrail }
        detection:
          selection: { eventSource: ec2.amazonaws.com, eventName: AuthorizeSecurityGroupIngress }
          condition: selection
        """

    var filesPerAccount = 3
    var recordsPerFile = 300
    var seed: UInt64 = 0x5EED_0001
    /// The first event's time (four hours ago, whole seconds); the same for every copy written.
    var start = (Date().timeIntervalSince1970 - 4 * 3600).rounded()

    /// Writes `logs/<account>/part-N.jsonl` and the policy file into `directory`; returns the number of records.
    @discardableResult
    func write(into directory: TemporaryDirectory) throws -> Int {
        var random = SeededRandom(seed: seed)
        var total = 0
        for (accountIndex, account) in Self.accounts.enumerated() {
            var stoppedTrails: [String] = []
            for file in 0..<filesPerAccount {
                var lines: [String] = []
                for index in 0..<recordsPerFile {
                    let sequence = file * recordsPerFile + index
                    let time = Date(timeIntervalSince1970: start + Double(sequence) * 2 + Double(accountIndex) / 10)
                    let (source, name, parameters) = Self.operation(account: account.id, sequence: sequence,
                                                                    stopped: &stoppedTrails, random: &random)
                    lines.append(Self.record(account: account.id, time: time, source: source, name: name,
                                             parameters: parameters, eventID: random.uuid()))
                }
                total += lines.count
                try directory.write("logs/\(account.id)/part-\(file).jsonl", lines.joined(separator: "\n") + "\n")
            }
        }
        try directory.write("policies/durability.yaml", Self.policies)
        return total
    }

    /// Picks an operation: ~1% trail stops, ~0.5% trail starts (of a stopped trail), ~1% access
    /// keys, ~1% security groups, the rest reads.
    static func operation(account: String, sequence: Int, stopped: inout [String],
                          random: inout SeededRandom) -> (String, String, String) {
        let roll = random.next() % 1000
        switch roll {
        case 0..<10:
            let trail = "trail-\(account)-\(sequence)"
            stopped.append(trail)
            return ("cloudtrail.amazonaws.com", "StopLogging", #"{"name": "\#(trail)"}"#)
        case 10..<15 where !stopped.isEmpty:
            let trail = stopped.removeFirst()
            return ("cloudtrail.amazonaws.com", "StartLogging", #"{"name": "\#(trail)"}"#)
        case 15..<25:
            return ("iam.amazonaws.com", "CreateAccessKey", #"{"userName": "user-\#(sequence)"}"#)
        case 25..<35:
            return ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", #"{"groupId": "sg-\#(account)-\#(sequence)"}"#)
        case 35..<500:
            return ("s3.amazonaws.com", "GetObject", #"{"bucketName": "data-\#(account)", "key": "k\#(sequence)"}"#)
        default:
            return ("ec2.amazonaws.com", "DescribeInstances", #"{"filterSet": {}}"#)
        }
    }

    static func record(account: String, time: Date, source: String, name: String, parameters: String, eventID: String) -> String {
        let stamp = ISO8601DateFormatter().string(from: time)
        return """
            {"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": "AROAEXAMPLE:ci", \
            "arn": "arn:aws:sts::\(account):assumed-role/Deployer/ci", "accountId": "\(account)"}, \
            "eventTime": "\(stamp)", "eventSource": "\(source)", "eventName": "\(name)", "awsRegion": "eu-west-1", \
            "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.15", "requestParameters": \(parameters), \
            "responseElements": null, "requestID": "\(eventID)", "eventID": "\(eventID)", "readOnly": false, \
            "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "\(account)", "eventCategory": "Management"}
            """
    }
}

/// SplitMix64: a small seeded generator, so kill moments and logs repeat from run to run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uuid() -> String {
        let a = next(), b = next()
        let hex = String(format: "%016llx%016llx", a, b)
        let c = Array(hex)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }
}
