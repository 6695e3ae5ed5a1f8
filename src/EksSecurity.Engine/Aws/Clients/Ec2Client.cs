using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Aws.Clients;

/// <summary>The EC2 calls the rules need, through the AWSSDK.EC2 package, mapped to the snapshot model.</summary>
public sealed class Ec2Client : IDisposable
{
    private readonly AwsHttpClient _http;
    private readonly AmazonEC2Client _client;

    public Ec2Client(AwsHttpClient http)
    {
        _http = http;
        var config = new AmazonEC2Config
        {
            ServiceURL = http.Endpoint(AwsService.Ec2).ToString(),
            AuthenticationRegion = http.Access.Region,
            MaxErrorRetry = 7,
            RetryMode = RequestRetryMode.Standard,
        };
        _client = new AmazonEC2Client(http.Access.Credentials, config);
    }

    /// <summary>Instances of a cluster: EKS-managed (aws:eks:cluster-name), eksctl/self-managed (eks:cluster-name) and kubernetes.io/cluster/&lt;name&gt; tags.</summary>
    public async Task<List<Ec2Instance>> DescribeClusterInstancesAsync(string clusterName, CancellationToken ct)
    {
        var byId = new Dictionary<string, Ec2Instance>(StringComparer.Ordinal);
        var filters = new List<List<Filter>>
        {
            new() { new Filter("tag:aws:eks:cluster-name", [clusterName]) },
            new() { new Filter("tag:eks:cluster-name", [clusterName]) },
            new() { new Filter("tag-key", [$"kubernetes.io/cluster/{clusterName}"]) },
        };
        foreach (var filter in filters)
        {
            string? token = null;
            do
            {
                var response = await _http.RunAsync(AwsService.Ec2, "DescribeInstances",
                    () => _client.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = filter, NextToken = token, MaxResults = 1000 }, ct), ct).ConfigureAwait(false);
                foreach (var reservation in response.Reservations ?? [])
                    foreach (var instance in reservation.Instances ?? [])
                        byId[instance.InstanceId] = SdkBridge.Convert<Ec2Instance>(instance);
                token = response.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
        }
        return byId.Values.OrderBy(i => i.InstanceId, StringComparer.Ordinal).ToList();
    }

    public async Task<List<Ec2LaunchTemplateVersion>> DescribeLaunchTemplateVersionsAsync(string templateId, string? version, CancellationToken ct)
    {
        var response = await _http.RunAsync(AwsService.Ec2, "DescribeLaunchTemplateVersions",
            () => _client.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest
            {
                LaunchTemplateId = templateId,
                Versions = [string.IsNullOrEmpty(version) ? "$Default" : version],
            }, ct), ct).ConfigureAwait(false);
        return (response.LaunchTemplateVersions ?? []).Select(v =>
        {
            var model = SdkBridge.Convert<Ec2LaunchTemplateVersion>(v);
            // User data can carry secrets (bootstrap tokens, keys): never kept.
            if (model.LaunchTemplateData is { } data) data.UserData = null;
            return model;
        }).ToList();
    }

    public async Task<List<Ec2SecurityGroup>> DescribeSecurityGroupsAsync(IReadOnlyCollection<string> groupIds, CancellationToken ct)
    {
        var result = new List<Ec2SecurityGroup>();
        foreach (var chunk in groupIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(100))
        {
            string? token = null;
            do
            {
                var response = await _http.RunAsync(AwsService.Ec2, "DescribeSecurityGroups",
                    () => _client.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [.. chunk], NextToken = token }, ct), ct).ConfigureAwait(false);
                result.AddRange((response.SecurityGroups ?? []).Select(SdkBridge.Convert<Ec2SecurityGroup>));
                token = response.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
        }
        return result;
    }

    public async Task<List<Ec2Subnet>> DescribeSubnetsAsync(IReadOnlyCollection<string> subnetIds, CancellationToken ct)
    {
        var result = new List<Ec2Subnet>();
        foreach (var chunk in subnetIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(100))
        {
            var response = await _http.RunAsync(AwsService.Ec2, "DescribeSubnets",
                () => _client.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [.. chunk] }, ct), ct).ConfigureAwait(false);
            result.AddRange((response.Subnets ?? []).Select(SdkBridge.Convert<Ec2Subnet>));
        }
        return result;
    }

    public async Task<List<Ec2Volume>> DescribeVolumesAsync(IReadOnlyCollection<string> volumeIds, CancellationToken ct)
    {
        var result = new List<Ec2Volume>();
        foreach (var chunk in volumeIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(200))
        {
            var response = await _http.RunAsync(AwsService.Ec2, "DescribeVolumes",
                () => _client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [.. chunk] }, ct), ct).ConfigureAwait(false);
            result.AddRange((response.Volumes ?? []).Select(SdkBridge.Convert<Ec2Volume>));
        }
        return result;
    }

    public async Task<Ec2EbsEncryptionDefault> GetEbsEncryptionByDefaultAsync(CancellationToken ct)
    {
        var response = await _http.RunAsync(AwsService.Ec2, "GetEbsEncryptionByDefault",
            () => _client.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest(), ct), ct).ConfigureAwait(false);
        return new Ec2EbsEncryptionDefault { EbsEncryptionByDefault = response.EbsEncryptionByDefault, SseType = response.SseType?.Value };
    }

    public void Dispose() => _client.Dispose();
}
