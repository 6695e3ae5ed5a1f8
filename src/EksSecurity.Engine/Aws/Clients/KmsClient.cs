using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Aws.Clients;

/// <summary>The KMS calls the data rules need, through the AWSSDK.KeyManagementService package.</summary>
public sealed class KmsClient : IDisposable
{
    private readonly AwsHttpClient _http;
    private readonly AmazonKeyManagementServiceClient _client;

    public KmsClient(AwsHttpClient http, string region)
    {
        _http = http;
        _client = new AmazonKeyManagementServiceClient(http.Access.Credentials, new AmazonKeyManagementServiceConfig
        {
            ServiceURL = AwsEndpoints.Resolve(AwsService.Kms, region, http.Access.EndpointUrl).ToString(),
            AuthenticationRegion = region,
            MaxErrorRetry = 7,
            RetryMode = RequestRetryMode.Standard,
        });
    }

    /// <summary>Key metadata, rotation status (customer keys only) and the default key policy.</summary>
    public async Task<KmsKeyInfo> DescribeKeyAsync(string keyArn, CancellationToken ct)
    {
        var described = await _http.RunAsync(AwsService.Kms, "DescribeKey",
            () => _client.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyArn }, ct), ct).ConfigureAwait(false);
        var info = new KmsKeyInfo { KeyMetadata = SdkBridge.Convert<KmsKeyMetadata>(described.KeyMetadata) };
        if (info.KeyMetadata.KeyManager == "CUSTOMER")
        {
            var rotation = await _http.RunAsync(AwsService.Kms, "GetKeyRotationStatus",
                () => _client.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyArn }, ct), ct).ConfigureAwait(false);
            info.KeyRotationEnabled = rotation.KeyRotationEnabled;
        }
        var policy = await _http.RunAsync(AwsService.Kms, "GetKeyPolicy",
            () => _client.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = keyArn, PolicyName = "default" }, ct), ct).ConfigureAwait(false);
        info.Policy = policy.Policy;
        return info;
    }

    public void Dispose() => _client.Dispose();
}
