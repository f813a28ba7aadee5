// The shared fakes (moto, CloudTrail, Google Cloud, Azure) live in ParapetTesting; every file here sees them.
@_exported import ParapetTesting
