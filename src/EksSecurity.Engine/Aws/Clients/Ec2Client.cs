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

    /// <param name="skipMissing">
    /// Look the ids up with a group-id filter, which leaves out a group that does not exist instead of failing the whole call
    /// (InvalidGroup.NotFound): for ids taken from user objects, such as SecurityGroupPolicies.
    /// </param>
    public async Task<List<Ec2SecurityGroup>> DescribeSecurityGroupsAsync(IReadOnlyCollection<string> groupIds, CancellationToken ct, bool skipMissing = false)
    {
        var result = new List<Ec2SecurityGroup>();
        foreach (var chunk in groupIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(100))
        {
            string? token = null;
            do
            {
                var response = await _http.RunAsync(AwsService.Ec2, "DescribeSecurityGroups",
                    () => _client.DescribeSecurityGroupsAsync(skipMissing
                        ? new DescribeSecurityGroupsRequest { Filters = [new Filter("group-id", [.. chunk])], NextToken = token }
                        : new DescribeSecurityGroupsRequest { GroupIds = [.. chunk], NextToken = token }, ct), ct).ConfigureAwait(false);
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

    /// <summary>
    /// The volumes behind PersistentVolumes, looked up with a volume-id filter: a PV whose volume was deleted leaves that
    /// volume out (the rule reports the PV) instead of failing every other volume with InvalidVolume.NotFound.
    /// </summary>
    public async Task<List<Ec2Volume>> DescribeVolumesAsync(IReadOnlyCollection<string> volumeIds, CancellationToken ct)
    {
        var result = new List<Ec2Volume>();
        foreach (var chunk in volumeIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(200))
        {
            string? token = null;
            do
            {
                var response = await _http.RunAsync(AwsService.Ec2, "DescribeVolumes",
                    () => _client.DescribeVolumesAsync(new DescribeVolumesRequest { Filters = [new Filter("volume-id", [.. chunk])], NextToken = token }, ct), ct).ConfigureAwait(false);
                result.AddRange((response.Volumes ?? []).Select(SdkBridge.Convert<Ec2Volume>));
                token = response.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
        }
        return result;
    }

    public async Task<Ec2EbsEncryptionDefault> GetEbsEncryptionByDefaultAsync(CancellationToken ct)
    {
        var response = await _http.RunAsync(AwsService.Ec2, "GetEbsEncryptionByDefault",
            () => _client.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest(), ct), ct).ConfigureAwait(false);
        return new Ec2EbsEncryptionDefault { EbsEncryptionByDefault = response.EbsEncryptionByDefault, SseType = response.SseType?.Value };
    }

    /// <summary>Every route table of the given VPCs (the main table included, which subnets without an explicit association use).</summary>
    public Task<List<Ec2RouteTable>> DescribeRouteTablesAsync(IReadOnlyCollection<string> vpcIds, CancellationToken ct) =>
        vpcIds.Count == 0 ? Task.FromResult(new List<Ec2RouteTable>()) : PagedAsync("DescribeRouteTables",
            token => _client.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [VpcFilter(vpcIds)], NextToken = token, MaxResults = 100 }, ct),
            r => r.RouteTables?.Select(SdkBridge.Convert<Ec2RouteTable>), r => r.NextToken, ct);

    /// <summary>The flow logs whose resource is one of <paramref name="resourceIds"/> (VPCs, subnets or network interfaces).</summary>
    public async Task<List<Ec2FlowLog>> DescribeFlowLogsAsync(IReadOnlyCollection<string> resourceIds, CancellationToken ct)
    {
        var result = new List<Ec2FlowLog>();
        foreach (var chunk in resourceIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(200))
            result.AddRange(await PagedAsync("DescribeFlowLogs",
                token => _client.DescribeFlowLogsAsync(new DescribeFlowLogsRequest { Filter = [new Filter("resource-id", [.. chunk])], NextToken = token, MaxResults = 1000 }, ct),
                r => r.FlowLogs?.Select(SdkBridge.Convert<Ec2FlowLog>), r => r.NextToken, ct).ConfigureAwait(false));
        return result;
    }

    /// <summary>Every VPC endpoint in the given VPCs.</summary>
    public Task<List<Ec2VpcEndpoint>> DescribeVpcEndpointsAsync(IReadOnlyCollection<string> vpcIds, CancellationToken ct) =>
        vpcIds.Count == 0 ? Task.FromResult(new List<Ec2VpcEndpoint>()) : PagedAsync("DescribeVpcEndpoints",
            token => _client.DescribeVpcEndpointsAsync(new DescribeVpcEndpointsRequest { Filters = [VpcFilter(vpcIds)], NextToken = token, MaxResults = 1000 }, ct),
            r => r.VpcEndpoints?.Select(SdkBridge.Convert<Ec2VpcEndpoint>), r => r.NextToken, ct);

    private static Filter VpcFilter(IReadOnlyCollection<string> vpcIds) => new("vpc-id", [.. vpcIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    /// <summary>Every page of one EC2 call (NextToken until it is empty), with the items of each mapped to the snapshot model.</summary>
    private async Task<List<TModel>> PagedAsync<TResponse, TModel>(string operation, Func<string?, Task<TResponse>> call,
        Func<TResponse, IEnumerable<TModel>?> items, Func<TResponse, string?> next, CancellationToken ct)
    {
        var result = new List<TModel>();
        string? token = null;
        do
        {
            var page = token;
            var response = await _http.RunAsync(AwsService.Ec2, operation, () => call(page), ct).ConfigureAwait(false);
            result.AddRange(items(response) ?? []);
            token = next(response);
        }
        while (!string.IsNullOrEmpty(token));
        return result;
    }

    /// <summary>The account's IMDS defaults in the Region; every member null when nothing is set.</summary>
    public async Task<Ec2InstanceMetadataDefaults> GetInstanceMetadataDefaultsAsync(CancellationToken ct)
    {
        var response = await _http.RunAsync(AwsService.Ec2, "GetInstanceMetadataDefaults",
            () => _client.GetInstanceMetadataDefaultsAsync(new GetInstanceMetadataDefaultsRequest(), ct), ct).ConfigureAwait(false);
        return response.AccountLevel is { } account ? SdkBridge.Convert<Ec2InstanceMetadataDefaults>(account) : new Ec2InstanceMetadataDefaults();
    }

    public void Dispose() => _client.Dispose();
}
