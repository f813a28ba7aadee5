import Foundation
import ParapetCore
import ParapetTesting

/// The clouds without an emulator, served from this test process on 127.0.0.1 while the child
/// `parapet` talks to them over loopback: CloudTrail LookupEvents (one trail per region), STS
/// refusing every AssumeRole, Google's token endpoint and Cloud Logging, Entra ID's token
/// endpoint and Azure Monitor's Activity Log.
struct CloudFakeEstate: Sendable {
    let cloudTrail: URL
    let sts: URL
    let google: URL
    let azure: URL
    let googleFake: FakeGoogleCloud
    let azureFake: FakeAzure
    let directory: TemporaryDirectory

    static let accessKey = "AKIAPARAPETLOOKUP001"
    static let secretKey = "parapet-lookup-secret"
    static let project = "payments-analytics"

    /// Runs `body` with every fake serving; `trails`: region → CloudTrail records (JSON lines).
    static func run<T: Sendable>(in directory: TemporaryDirectory, trails: [String: [String]],
                                 gcp: [CloudSamples.Record], azure: [CloudSamples.Record],
                                 _ body: @Sendable (CloudFakeEstate) async throws -> T) async throws -> T {
        var byRegion: [String: FakeCloudTrail] = [:]
        for (region, lines) in trails { byRegion[region] = try FakeCloudTrail(lines: lines) }
        // The signature itself is verified against the signer in the provider tests (SigV4Verifier
        // needs ParapetProviders' internals); here the access key must be the one given to the daemon.
        let router = FakeCloudTrailServer.router(byRegion: byRegion) { request in
            guard let scope = FakeCloudTrailServer.credentialScope(of: request) else {
                throw FakeCloudTrailServer.AuthenticationFailure.invalidSignature
            }
            guard scope.accessKey == accessKey else { throw FakeCloudTrailServer.AuthenticationFailure.unknownKey }
            return scope.accessKey
        }
        let googleFake = FakeGoogleCloud(records: gcp)
        let azureFake = FakeAzure(records: azure)
        return try await LocalHTTPServer.with(router) { cloudTrail in
            try await CloudFakeServer.run({ refuseAssumeRole($0) }) { sts in
                try await CloudFakeServer.run({ await googleFake.handle($0) }) { google in
                    try await CloudFakeServer.run({ await azureFake.handle($0) }) { azure in
                        await googleFake.setTokenURI(google.appendingPathComponent("token").absoluteString)
                        await azureFake.setBase(azure.absoluteString)
                        let estate = CloudFakeEstate(cloudTrail: cloudTrail, sts: sts, google: google, azure: azure,
                                                     googleFake: googleFake, azureFake: azureFake, directory: directory)
                        return try await body(estate)
                    }
                }
            }
        }
    }

    /// STS as it answers a principal that the role's trust policy does not admit.
    static func refuseAssumeRole(_ request: FakeRequest) -> FakeResponse {
        let form = URLComponents(string: "http://x/?" + request.bodyText)?.queryItems ?? []
        let role = form.first { $0.name == "RoleArn" }?.value ?? ""
        guard request.method == "POST", form.contains(where: { $0.name == "Action" && $0.value == "AssumeRole" }) else {
            return FakeResponse(status: 400, body: Data("<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>".utf8))
        }
        let xml = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>\
            <Message>User: arn:aws:iam::123456789012:user/parapet is not authorized to perform: sts:AssumeRole on resource: \(role)</Message>\
            </Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>
            """
        return FakeResponse(status: 403, headers: ["Content-Type": "text/xml"], body: Data(xml.utf8))
    }

    /// The environment the daemon gets: the AWS keys the fake CloudTrail knows.
    var environment: [String: String] { ["AWS_ACCESS_KEY_ID": Self.accessKey, "AWS_SECRET_ACCESS_KEY": Self.secretKey] }

    /// `aws`, `gcp` and `azure` sections pointing at the fakes (writes the key and secret files).
    func providerConfiguration() throws -> String {
        let keyFile = try GCPTestKeys.writeKeyFile(in: directory, tokenURI: google.appendingPathComponent("token"))
        let secretFile = try directory.write("azure-secret", FakeAzure.secret + "\n").path
        return """
            aws: { region: us-east-1, endpoints: { cloudtrail: "\(cloudTrail.absoluteString)", sts: "\(sts.absoluteString)" } }
            gcp: { credentials_file: "\(keyFile)", endpoints: { logging: "\(google.absoluteString)", resourcemanager: "\(google.absoluteString)" } }
            azure:
              tenant: \(FakeAzure.tenant)
              client_id: \(FakeAzure.clientID)
              client_secret_file: "\(secretFile)"
              endpoints: { management: "\(azure.absoluteString)", login: "\(azure.absoluteString)" }
            """
    }

    /// The top of every configuration: a database in the temporary folder, the built-in policies
    /// and the SigmaHQ cloud rules.
    static var commonConfiguration: String {
        """
        database: state/parapet.db
        policies: [\(PackagePaths.root.appendingPathComponent("policies").path), \(PackagePaths.shared.appendingPathComponent("sigma/rules").path)]
        placeholders: { allowed_regions: [us-east-1, eu-west-1, europe-west1, westeurope] }
        http: { listen: off }
        """
    }
}
