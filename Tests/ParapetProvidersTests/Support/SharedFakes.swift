import ParapetTesting

// The fakes shared with the end-to-end tests live in ParapetTesting; these names make them
// visible to every file of this target without each importing ParapetTesting.
typealias MotoServer = ParapetTesting.MotoServer
typealias LocalHTTPServer = ParapetTesting.LocalHTTPServer
typealias CloudFakeServer = ParapetTesting.CloudFakeServer
typealias FakeRequest = ParapetTesting.FakeRequest
typealias FakeResponse = ParapetTesting.FakeResponse
typealias FakeCloudTrail = ParapetTesting.FakeCloudTrail
typealias FakeCloudTrailServer = ParapetTesting.FakeCloudTrailServer
typealias FakeGoogleCloud = ParapetTesting.FakeGoogleCloud
typealias FakeLoggingFilter = ParapetTesting.FakeLoggingFilter
typealias FakeAzure = ParapetTesting.FakeAzure
typealias FakeActivityFilter = ParapetTesting.FakeActivityFilter
typealias FakeJWT = ParapetTesting.FakeJWT
typealias GCPTestKeys = ParapetTesting.GCPTestKeys
typealias AzureTestCertificate = ParapetTesting.AzureTestCertificate
typealias CloudSamples = ParapetTesting.CloudSamples
typealias CloudTestFailure = ParapetTesting.CloudTestFailure
typealias GzipTool = ParapetTesting.GzipTool
