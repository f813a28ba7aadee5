import Foundation
import ParapetCore
import ParapetTesting

/// A Control Tower–shaped organisation built in moto with boto3 (the AWS SDK installed with
/// `moto[server]`, an independent client), and the log-archive bucket it writes its trail to:
///
///     Root ─ Workloads ─ Payments ─ payments-prod, retired (SUSPENDED)
///          │           └ Platform ─ platform-prod
///          └ Security ─ log-archive
struct CloudMotoOrganisation: Sendable {
    let endpoint: URL
    let organizationID: String
    /// Account name → id.
    let accounts: [String: String]
    static let bucket = "aws-controltower-logs-123456789012-us-east-1"
    static let accessKey = "AKIAPARAPETE2ETEST00"
    static let secretKey = "parapet-e2e-secret-key"

    static let script = #"""
        import json, os, sys
        import boto3
        endpoint, command = sys.argv[1], sys.argv[2]
        session = dict(endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id=os.environ["SETUP_KEY"], aws_secret_access_key=os.environ["SETUP_SECRET"])
        if command == "organisation":
            org = boto3.client("organizations", **session)
            org.create_organization(FeatureSet="ALL")
            organization_id = org.describe_organization()["Organization"]["Id"]
            root = org.list_roots()["Roots"][0]["Id"]
            def ou(name, parent):
                return org.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]
            def account(name, parent):
                created = org.create_account(AccountName=name, Email=name + "@example.com")
                account_id = created["CreateAccountStatus"]["AccountId"]
                org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
                return account_id
            workloads = ou("Workloads", root)
            payments, platform, security = ou("Payments", workloads), ou("Platform", workloads), ou("Security", root)
            accounts = {"payments-prod": account("payments-prod", payments), "platform-prod": account("platform-prod", platform),
                        "log-archive": account("log-archive", security), "retired": account("retired", payments)}
            org.close_account(AccountId=accounts["retired"])
            boto3.client("s3", **session).create_bucket(Bucket=sys.argv[3])
            print(json.dumps({"organization_id": organization_id, "accounts": accounts}))
        elif command == "upload":
            s3, bucket, folder = boto3.client("s3", **session), sys.argv[3], sys.argv[4]
            for directory, _, files in os.walk(folder):
                for name in files:
                    path = os.path.join(directory, name)
                    with open(path, "rb") as body:
                        s3.put_object(Bucket=bucket, Key=os.path.relpath(path, folder), Body=body.read())
        """#

    /// Runs the boto3 script; a missing python3 or boto3 is a failure that says what to install.
    static func boto3(_ arguments: [String], in directory: TemporaryDirectory) async throws -> CommandResult {
        let script = try directory.write("moto-setup.py", Self.script)
        let result = try await CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path] + arguments,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                          "HOME": ProcessInfo.processInfo.environment["HOME"] ?? directory.path,
                          "SETUP_KEY": accessKey, "SETUP_SECRET": secretKey], timeout: 60)
        guard result.status == 0 else {
            throw CloudTestFailure("setting up moto with boto3 failed (python3 with boto3 comes with `pip install 'moto[server]'`): "
                                   + result.stderr.suffix(1500))
        }
        return result
    }

    static func create(on server: MotoServer, in directory: TemporaryDirectory) async throws -> CloudMotoOrganisation {
        let answer = try await boto3([server.endpoint.absoluteString, "organisation", bucket], in: directory)
        let json = try JSONValue(parsing: answer.stdout)
        guard let organizationID = json["organization_id"]?.stringValue, let accounts = json["accounts"]?.objectValue else {
            throw CloudTestFailure("the moto set-up printed no organisation: \(answer.stdout)")
        }
        return CloudMotoOrganisation(endpoint: server.endpoint, organizationID: organizationID,
                                     accounts: accounts.dictionary.compactMapValues(\.stringValue))
    }

    /// The Control Tower key of a trail file: `o-ORG/AWSLogs/o-ORG/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
    /// ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`.
    func key(account: String, region: String, delivered: Date, unique: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: delivered)
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        let day = "\(c.year ?? 0)/\(two(c.month))/\(two(c.day))"
        let stamp = "\(c.year ?? 0)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))Z"
        return "\(organizationID)/AWSLogs/\(organizationID)/\(account)/CloudTrail/\(region)/\(day)/"
            + "\(account)_CloudTrail_\(region)_\(stamp)_\(unique).json.gz"
    }

    /// Writes `{"Records": […]}` gzipped under `key` in a staging folder, to be uploaded by `upload`.
    func stage(_ records: [JSONValue], key: String, in staging: URL) throws {
        let file = staging.appendingPathComponent(key)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try GzipTool.compress(Data(JSONValue.object(["Records": .array(records)]).serialized().utf8)).write(to: file)
    }

    /// Uploads every staged file to the log-archive bucket, and empties the staging folder.
    func upload(_ staging: URL, in directory: TemporaryDirectory) async throws {
        _ = try await Self.boto3([endpoint.absoluteString, "upload", Self.bucket, staging.path], in: directory)
        try FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    }
}
