import Foundation
import ParapetCore
import ParapetProviders
import ParapetTesting
import Testing

@Suite("GCP tokens: service-account JWT and metadata server")
struct GCPTokenProviderTests {
    @Test("a key file's RS256 assertion is verified by the token endpoint and the token is cached")
    func serviceAccountToken() async throws {
        try await GCPHarness.run { gcp in
            let tokens = gcp.tokens(gcp.configuration())
            let token = try await tokens.token()
            #expect(token.hasPrefix("ya29.fake-"))
            #expect(try await tokens.token() == token)
            #expect(await gcp.fake.tokenRequests == 1)
            #expect(try await tokens.token(forceRefresh: true) != token)
        }
    }

    @Test("concurrent callers share one token request")
    func concurrentCallers() async throws {
        try await GCPHarness.run { gcp in
            let tokens = gcp.tokens(gcp.configuration())
            let all = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { try await tokens.token() } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(all.count == 1)
            #expect(await gcp.fake.tokenRequests == 1)
        }
    }

    @Test("a key the token endpoint does not know is refused with Google's error, never the key")
    func wrongKey() async throws {
        try await GCPHarness.run { gcp in
            let file = try GCPTestKeys.writeKeyFile(in: gcp.directory, tokenURI: gcp.base.appendingPathComponent("token"), key: GCPTestKeys.otherKey)
            let error = await #expect(throws: CloudSourceError.self) { try await gcp.tokens(gcp.configuration(keyFile: file)).token() }
            #expect(error?.code == .authentication)
            let text = error?.description ?? ""
            #expect(text.contains("invalid_grant: Invalid JWT Signature."))
            #expect(text.contains(GCPTestKeys.clientEmail))
            #expect(text.contains(file))
            #expect(!text.contains("PRIVATE KEY"))
        }
    }

    @Test("invalid key files name the file and the field, never the key", arguments: [
        ("not json", "is not JSON"),
        (#"{"type":"authorized_user","client_id":"x","refresh_token":"secret-refresh"}"#, "field 'type' is 'authorized_user'"),
        (#"{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n","token_uri":"https://oauth2.googleapis.com/token"}"#, "field 'client_email' is missing"),
        (#"{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com","token_uri":"https://oauth2.googleapis.com/token"}"#, "field 'private_key' is missing"),
        (#"{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nTUlJQ0lqQU5CZ2txaGtpRzl3\n-----END PRIVATE KEY-----\n","token_uri":"https://oauth2.googleapis.com/token"}"#, "field 'private_key' is not a PEM RSA private key"),
        (#"{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com","private_key":"x","token_uri":"http://evil.example/token"}"#, "field 'token_uri' must be an https URL"),
    ])
    func invalidKeyFile(contents: String, expected: String) async throws {
        let directory = try ParapetTesting.TemporaryDirectory(prefix: "parapet-gcp-key")
        defer { directory.remove() }
        let file = try directory.write("key.json", contents).path
        let tokens = GCPTokenProvider(configuration: GCPConfiguration(credentialsFile: file), http: URLSessionHTTPClient())
        let error = await #expect(throws: CloudSourceError.self) { try await tokens.token() }
        #expect(error?.code == .credentials)
        let text = error?.description ?? ""
        #expect(text.contains(file))
        #expect(text.contains(expected))
        #expect(!text.contains("TUlJQ0lqQU5CZ2txaGtpRzl3"))
        #expect(!text.contains("secret-refresh"))
    }

    @Test("a missing key file is named")
    func missingKeyFile() async throws {
        let error = #expect(throws: CloudSourceError.self) { try GCPServiceAccountKey.load(path: "/nonexistent/gcp-key.json") }
        #expect(error?.description.contains("/nonexistent/gcp-key.json") == true)
    }

    @Test("without a key file the metadata server is asked, with Metadata-Flavor: Google")
    func metadataServer() async throws {
        try await GCPHarness.run { gcp in
            let tokens = gcp.tokens(gcp.configuration(keyFile: .some(nil)))
            let token = try await tokens.token()
            #expect(token.hasPrefix("ya29.fake-"))
            _ = try await tokens.token()
            #expect(await gcp.fake.metadataRequests == 1)
            #expect(await gcp.fake.tokenRequests == 0)
        }
    }
}
