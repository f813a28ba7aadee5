import Foundation
import ParapetCore
import ParapetProviders
import ParapetTesting
import Testing

@Suite("Azure tokens: client secret, certificate assertion, managed identity")
struct AzureTokenProviderTests {
    @Test("the client secret from its file buys a token, cached for later calls")
    func clientSecret() async throws {
        try await AzureHarness.run { azure in
            let tokens = azure.tokens(azure.configuration(.secret))
            #expect(tokens.method == .clientSecret)
            let token = try await tokens.token()
            #expect(try await tokens.token() == token)
            #expect(await azure.fake.tokenRequests == 1)
        }
    }

    @Test("a revoked secret is refused with Entra ID's code and description, never the secret")
    func revokedSecret() async throws {
        try await AzureHarness.run { azure in
            let file = try azure.directory.write("old-secret", "an-0ld~revoked.secret-value").path
            let error = await #expect(throws: CloudSourceError.self) {
                try await azure.tokens(azure.configuration(.secret, secretFile: file)).token()
            }
            #expect(error?.code == .authentication)
            let text = error?.description ?? ""
            #expect(text.contains("invalid_client: AADSTS7000215: Invalid client secret provided"))
            #expect(text.contains(FakeAzure.tenant))
            #expect(text.contains(file))
            #expect(!text.contains("an-0ld~revoked.secret-value"))
        }
    }

    @Test("a certificate's client assertion (RS256, x5t = SHA-1 thumbprint) is verified by the token endpoint")
    func certificate() async throws {
        try await AzureHarness.run { azure in
            let tokens = azure.tokens(azure.configuration(.certificate))
            #expect(tokens.method == .certificate)
            let token = try await tokens.token()
            #expect(token.hasPrefix("eyJ0eXAi.fake-"))
            #expect(await azure.fake.tokenRequests == 1)
        }
    }

    @Test("a certificate file without a private key, or without a certificate, is named with what is missing")
    func badCertificateFiles() async throws {
        try await AzureHarness.run { azure in
            for (name, contents, expected) in [
                ("cert-only.pem", AzureTestCertificate.certificate, "has no private key block"),
                ("key-only.pem", AzureTestCertificate.privateKey, "has no '-----BEGIN CERTIFICATE-----' block"),
            ] {
                var configuration = azure.configuration(.certificate)
                configuration.certificateFile = try azure.directory.write(name, contents).path
                let error = await #expect(throws: CloudSourceError.self) { try await azure.tokens(configuration).token() }
                #expect(error?.code == .credentials)
                #expect(error?.description.contains(name) == true)
                #expect(error?.description.contains(expected) == true)
                #expect(error?.description.contains("PRIVATE KEY-----\n") == false)
            }
            #expect(await azure.fake.tokenRequests == 0)
        }
    }

    @Test("without a secret or certificate the managed identity is asked through IMDS with Metadata: true")
    func managedIdentity() async throws {
        try await AzureHarness.run { azure in
            let tokens = azure.tokens(azure.configuration(.managedIdentity))
            #expect(tokens.method == .managedIdentity)
            let token = try await tokens.token()
            #expect(token.hasPrefix("eyJ0eXAi.imds-"))
            #expect(try await tokens.token() == token)
            #expect(await azure.fake.imdsRequests == 1)

            let page = try await azure.source(configuration: azure.configuration(.managedIdentity), tokens: tokens).poll(after: nil)
            #expect(page.cursor != nil)
        }
    }
}
