import Foundation
import ParapetCore

/// A named profile of the shared credentials and config files (`AWS_SHARED_CREDENTIALS_FILE`,
/// `AWS_CONFIG_FILE`, `AWS_PROFILE`): static keys, a role assumed from a `source_profile`, or a
/// role assumed with a `web_identity_token_file`.
public enum ProfileCredentialProvider {
    /// The files and profile name the environment points at.
    public struct Location: Sendable, Hashable {
        public var credentialsFile: String
        public var configFile: String
        public var profile: String

        public init(profile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
            let home = environment["HOME"] ?? NSHomeDirectory()
            self.credentialsFile = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials"
            self.configFile = environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
            self.profile = profile ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"] ?? "default"
        }
    }

    /// The provider for `location.profile`, or nil when neither file has that profile.
    public static func resolve(_ location: Location, http: any HTTPClient, configuration: AWSConfiguration) throws
        -> (any AWSCredentialProvider)?
    {
        let credentials = try AWSSharedConfigFile.load(path: location.credentialsFile, isConfigFile: false)
        let config = try AWSSharedConfigFile.load(path: location.configFile, isConfigFile: true)
        func settings(_ name: String) -> [String: String]? {
            let fromConfig = config?.profiles[name]
            let fromCredentials = credentials?.profiles[name]
            if fromConfig == nil && fromCredentials == nil { return nil }
            return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credentialsWins in credentialsWins }
        }
        guard settings(location.profile) != nil else { return nil }
        return try provider(for: location.profile, settings: settings, http: http, configuration: configuration, depth: 0,
                            files: "\(location.credentialsFile) / \(location.configFile)")
    }

    private static func provider(for name: String, settings: (String) -> [String: String]?, http: any HTTPClient,
                                 configuration: AWSConfiguration, depth: Int, files: String) throws -> any AWSCredentialProvider
    {
        guard depth < 5 else {
            throw AWSError(.invalidCredentialSource, "profile '\(name)' in \(files): source_profile chain is too long or circular")
        }
        guard let profile = settings(name) else {
            throw AWSError(.invalidCredentialSource, "profile '\(name)' is referenced but not defined in \(files)")
        }
        var regional = configuration
        if let region = profile["region"], !region.isEmpty, depth == 0 { regional.region = region }
        if let roleARN = profile["role_arn"] {
            let roleConfiguration = AssumeRoleCredentialProvider.Configuration(
                roleARN: roleARN, externalID: profile["external_id"],
                sessionName: profile["role_session_name"] ?? "parapet",
                duration: profile["duration_seconds"].flatMap(Double.init) ?? 3600)
            if let tokenFile = profile["web_identity_token_file"] {
                return WebIdentityCredentialProvider(
                    roleARN: roleARN, tokenFile: tokenFile, sessionName: roleConfiguration.sessionName,
                    client: AWSClient(http: http, credentials: StaticCredentialProvider(.anonymous), configuration: regional))
            }
            guard let source = profile["source_profile"] else {
                throw AWSError(.invalidCredentialSource,
                               "profile '\(name)' in \(files) has role_arn but neither source_profile nor web_identity_token_file"
                               + " (credential_source is not supported)")
            }
            let base: any AWSCredentialProvider
            if source == name {
                base = try staticKeys(name, profile, files)
            } else {
                base = try provider(for: source, settings: settings, http: http, configuration: configuration, depth: depth + 1,
                                    files: files)
            }
            return AssumeRoleCredentialProvider(configuration: roleConfiguration,
                                                base: AWSClient(http: http, credentials: base, configuration: regional))
        }
        return try staticKeys(name, profile, files)
    }

    private static func staticKeys(_ name: String, _ profile: [String: String], _ files: String) throws -> StaticCredentialProvider {
        guard let key = profile["aws_access_key_id"], !key.isEmpty, let secret = profile["aws_secret_access_key"], !secret.isEmpty
        else {
            throw AWSError(.invalidCredentialSource,
                           "profile '\(name)' in \(files) has neither aws_access_key_id/aws_secret_access_key nor role_arn")
        }
        let token = profile["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return StaticCredentialProvider(AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token))
    }
}

extension AWSCredentials {
    /// Placeholder for unsigned calls (AssumeRoleWithWebIdentity); never sent.
    static let anonymous = AWSCredentials(accessKeyID: "", secretAccessKey: "")
}
