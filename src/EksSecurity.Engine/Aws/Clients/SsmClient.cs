using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Aws.Clients;

/// <summary>Reads AWS's public SSM parameters (recommended EKS AMI releases) through the AWSSDK.SimpleSystemsManagement package.</summary>
public sealed class SsmClient : IDisposable
{
    private readonly AwsHttpClient _http;
    private readonly AmazonSimpleSystemsManagementClient _client;

    public SsmClient(AwsHttpClient http)
    {
        _http = http;
        _client = new AmazonSimpleSystemsManagementClient(http.Access.Credentials, new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = AwsEndpoints.Resolve(AwsService.Ssm, http.Access.Region, http.Access.EndpointUrl).ToString(),
            AuthenticationRegion = http.Access.Region,
            MaxErrorRetry = 7,
            RetryMode = RequestRetryMode.Standard,
        });
    }

    /// <summary>The parameter, or null when it does not exist (an AMI family AWS does not publish for that version).</summary>
    public async Task<SsmParameter?> GetParameterAsync(string name, CancellationToken ct)
    {
        try
        {
            var response = await _http.RunAsync(AwsService.Ssm, "GetParameter",
                () => _client.GetParameterAsync(new GetParameterRequest { Name = name }, ct), ct).ConfigureAwait(false);
            return SdkBridge.Convert<SsmParameter>(response.Parameter);
        }
        catch (AwsServiceException ex) when (ex.Code == "ParameterNotFound")
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
