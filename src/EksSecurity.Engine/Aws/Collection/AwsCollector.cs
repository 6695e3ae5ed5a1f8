using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EksSecurity.Engine.Aws.Clients;
using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Aws.Collection;

/// <summary>Progress of a collection, for Write-Progress.</summary>
public sealed record CollectionProgress(string Activity, string Status, int Completed, int Total);

/// <summary>
/// Collects the AWS half of a snapshot for one cluster. Sections are gathered concurrently under
/// the client's in-flight bound; a denied call marks its section Denied with the IAM action and
/// the rest goes on; roles and policies shared by many principals are fetched once.
/// </summary>
public sealed class AwsCollector
{
    public const string ErrorClusterNotFound = "ClusterNotFound";
    /// <summary>The credentials themselves were refused (wrong secret key, unknown or expired key): nothing can be collected.</summary>
    public const string ErrorAuthenticationFailed = "AwsAuthenticationFailed";

    /// <summary>The add-ons whose default versions EKS-INFRA-021 compares, installed or not.</summary>
    private static readonly string[] CoreAddons = ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent"];

    private readonly AwsHttpClient _http;
    private readonly EksClient _eks;
    private readonly IamClient _iam;
    // Lazy: ConcurrentDictionary.GetOrAdd may run its factory more than once when callers race, and
    // the factory starts the calls; a Lazy stored in the dictionary starts them exactly once.
    private readonly ConcurrentDictionary<string, Lazy<Task<IamRole>>> _roles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<IamAttachedPolicy>>> _policies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<IamUser>>> _users = new(StringComparer.Ordinal);

    public AwsCollector(AwsHttpClient http, int pageSize = 100)
    {
        _http = http;
        _eks = new EksClient(http) { PageSize = pageSize };
        _iam = new IamClient(http);
    }

    public Action<CollectionProgress>? Progress { get; init; }

    /// <summary>Fills <paramref name="snapshot"/>'s AWS sections; throws only when the cluster itself cannot be described at all because it does not exist.</summary>
    public async Task CollectAsync(ClusterSnapshot snapshot, string clusterName, CancellationToken ct)
    {
        var aws = snapshot.Aws;
        snapshot.ClusterName = clusterName;
        snapshot.Region = _http.Access.Region;
        Report("Describing the cluster", 0);
        EksCluster? cluster = null;
        try
        {
            cluster = await DescribeClusterAsync(clusterName, ct).ConfigureAwait(false);
            aws.Cluster = ObjectSection<EksCluster>.Collected(cluster);
            snapshot.ClusterArn = cluster.Arn;
        }
        catch (AwsServiceException ex)
        {
            aws.Cluster = Fail<ObjectSection<EksCluster>>(ex);
        }

        var tasks = new List<Task>
        {
            CollectList(s => aws.ClusterVersions = s, () => _eks.DescribeClusterVersionsAsync(ct)),
            CollectList(s => aws.NodeGroups = s, () => DescribeAll(_eks.ListNodegroupsAsync(clusterName, ct), n => _eks.DescribeNodegroupAsync(clusterName, n, ct))),
            CollectList(s => aws.Addons = s, () => DescribeAll(_eks.ListAddonsAsync(clusterName, ct), n => _eks.DescribeAddonAsync(clusterName, n, ct))),
            CollectList(s => aws.AccessEntries = s, () => DescribeAll(_eks.ListAccessEntriesAsync(clusterName, ct), async arn =>
            {
                var entry = await _eks.DescribeAccessEntryAsync(clusterName, arn, ct).ConfigureAwait(false);
                entry.AssociatedAccessPolicies = await _eks.ListAssociatedAccessPoliciesAsync(clusterName, arn, ct).ConfigureAwait(false);
                return entry;
            })),
            CollectList(s => aws.PodIdentityAssociations = s, () => DescribeAll(
                Map(_eks.ListPodIdentityAssociationsAsync(clusterName, ct), a => (string?)a["associationId"]?.GetValue<string>()),
                id => _eks.DescribePodIdentityAssociationAsync(clusterName, id, ct))),
            CollectList(s => aws.FargateProfiles = s, () => DescribeAll(_eks.ListFargateProfilesAsync(clusterName, ct), n => _eks.DescribeFargateProfileAsync(clusterName, n, ct))),
            CollectList(s => aws.IdentityProviderConfigs = s, async () =>
            {
                var configs = await _eks.ListIdentityProviderConfigsAsync(clusterName, ct).ConfigureAwait(false);
                var oidc = configs.Where(c => (string?)c["type"] == "oidc").Select(c => (string?)c["name"]).OfType<string>();
                var described = await Task.WhenAll(oidc.Select(n => _eks.DescribeOidcIdentityProviderConfigAsync(clusterName, "oidc", n, ct))).ConfigureAwait(false);
                return described.OfType<EksOidcIdentityProviderConfig>().ToList();
            }),
            CollectList(s => aws.OidcProviders = s, async () =>
            {
                var arns = await _iam.ListOpenIdConnectProviderArnsAsync(ct).ConfigureAwait(false);
                return (await Task.WhenAll(arns.Select(a => _iam.GetOpenIdConnectProviderAsync(a, ct))).ConfigureAwait(false)).ToList();
            }),
            // The account's other clusters (their issuers) and every role's trust: which OIDC trust is stale.
            CollectList(s => aws.AccountClusters = s, () => DescribeAll(_eks.ListClustersAsync(ct),
                n => n == clusterName && cluster is not null ? Task.FromResult(cluster) : _eks.DescribeClusterAsync(n, ct))),
            CollectList(s => aws.AccountRoles = s, () => _iam.ListRolesAsync(ct)),
            CollectObject(s => aws.AccountSettings = s, async () => new IamAccountSettings
            {
                PasswordPolicy = await _iam.GetAccountPasswordPolicyAsync(ct).ConfigureAwait(false),
                SummaryMap = await _iam.GetAccountSummaryAsync(ct).ConfigureAwait(false),
            }),
        };
        using var ec2 = new Ec2Client(_http);
        tasks.Add(CollectList(s => aws.Instances = s, () => ec2.DescribeClusterInstancesAsync(clusterName, ct)));
        await WhenAllReporting(tasks).ConfigureAwait(false);

        // The cluster's VPC (and any other VPC its nodes run in), and the subnets of the control plane, node groups, nodes and Fargate profiles.
        List<string> VpcIds() => new[] { cluster?.ResourcesVpcConfig?.VpcId }.Concat((aws.Instances?.Items ?? []).Select(i => i.VpcId))
            .OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        HashSet<string> SubnetIds()
        {
            var ids = new HashSet<string>(cluster?.ResourcesVpcConfig?.SubnetIds ?? [], StringComparer.Ordinal);
            foreach (var n in aws.NodeGroups?.Items ?? []) ids.UnionWith(n.Subnets ?? []);
            foreach (var f in aws.FargateProfiles?.Items ?? []) ids.UnionWith(f.Subnets ?? []);
            foreach (var i in aws.Instances?.Items ?? []) if (i.SubnetId is { } sid) ids.Add(sid);
            return ids;
        }

        // What depends on the first round: launch templates, security groups, the network, the KMS key, roles and users.
        var second = new List<Task>
        {
            CollectList(s => aws.LaunchTemplates = s, async () =>
            {
                var templates = (aws.NodeGroups?.Items ?? []).Select(n => n.LaunchTemplate).Where(t => t?.Id is not null)
                    .DistinctBy(t => (t!.Id, t.Version)).ToList();
                // Nodes launched from a template carry its id and version (self-managed groups, and the template EKS makes for a
                // managed node group given none); a template deleted since is skipped.
                var launchedFrom = (aws.Instances?.Items ?? []).Select(Rules.Iam.NodeImds.LaunchedFrom).OfType<(string Id, string Version)>()
                    .Where(t => !templates.Any(g => g!.Id == t.Id && g.Version == t.Version)).Distinct().ToList();
                var versions = await Task.WhenAll(templates.Select(t => ec2.DescribeLaunchTemplateVersionsAsync(t!.Id!, t.Version, ct))
                    .Concat(launchedFrom.Select(async t =>
                    {
                        try
                        {
                            return await ec2.DescribeLaunchTemplateVersionsAsync(t.Id, t.Version, ct).ConfigureAwait(false);
                        }
                        catch (AwsServiceException ex) when (ex.IsNotFound || ex.Code.StartsWith("InvalidLaunchTemplate", StringComparison.Ordinal))
                        {
                            return [];
                        }
                    }))).ConfigureAwait(false);
                return versions.SelectMany(v => v).DistinctBy(v => (v.LaunchTemplateId, v.VersionNumber)).ToList();
            }),
            CollectList(s => aws.SecurityGroups = s, () =>
            {
                var ids = new HashSet<string>(StringComparer.Ordinal);
                if (cluster?.ResourcesVpcConfig is { } vpc)
                {
                    if (vpc.ClusterSecurityGroupId is { } csg) ids.Add(csg);
                    foreach (var id in vpc.SecurityGroupIds ?? []) ids.Add(id);
                }
                foreach (var instance in aws.Instances?.Items ?? [])
                    foreach (var g in instance.SecurityGroups ?? []) if (g.GroupId is { } gid) ids.Add(gid);
                return ec2.DescribeSecurityGroupsAsync(ids, ct);
            }),
            CollectList(s => aws.Subnets = s, () => ec2.DescribeSubnetsAsync(SubnetIds(), ct)),
            CollectList(s => aws.RouteTables = s, () => ec2.DescribeRouteTablesAsync(VpcIds(), ct)),
            CollectList(s => aws.FlowLogs = s, () => ec2.DescribeFlowLogsAsync([.. VpcIds(), .. SubnetIds()], ct)),
            CollectList(s => aws.VpcEndpoints = s, () => ec2.DescribeVpcEndpointsAsync(VpcIds(), ct)),
            CollectObject(s => aws.InstanceMetadataDefaults = s, () => ec2.GetInstanceMetadataDefaultsAsync(ct)),
            CollectList(s => aws.AmiReleases = s, async () =>
            {
                using var ssm = new SsmClient(_http);
                var names = (aws.NodeGroups?.Items ?? [])
                    .Select(n => Rules.Infra.ManagedNodeGroupAmiCurrent.RecommendedReleaseParameter(n.Version, n.AmiType))
                    .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var found = await Task.WhenAll(names.Select(n => ssm.GetParameterAsync(n, ct))).ConfigureAwait(false);
                return found.OfType<SsmParameter>().ToList();
            }),
            CollectList(s => aws.AddonVersions = s, async () =>
            {
                if (cluster?.Version is not { } version) return [];
                var names = (aws.Addons?.Items ?? []).Select(a => a.AddonName).OfType<string>()
                    .Concat(CoreAddons).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var lists = await Task.WhenAll(names.Select(n => _eks.DescribeAddonVersionsAsync(n, version, ct))).ConfigureAwait(false);
                return lists.SelectMany(l => l).ToList();
            }),
            CollectObject(s => aws.EbsEncryptionByDefault = s, () => ec2.GetEbsEncryptionByDefaultAsync(ct)),
        };
        var keyArn = cluster?.EncryptionConfig?.Select(e => e.Provider?.KeyArn).FirstOrDefault(k => k is not null);
        if (keyArn is not null)
        {
            var keyRegion = keyArn.Split(':') is { Length: > 3 } parts && parts[3].Length > 0 ? parts[3] : _http.Access.Region;
            second.Add(CollectObject(s => aws.KmsKey = s, async () =>
            {
                using var kms = new KmsClient(_http, keyRegion);
                return await kms.DescribeKeyAsync(keyArn, ct).ConfigureAwait(false);
            }));
        }
        else if (cluster is not null)
        {
            // No key to describe: the section is complete and empty.
            aws.KmsKey = new ObjectSection<KmsKeyInfo> { Status = SectionStatus.Collected };
        }
        await WhenAllReporting(second).ConfigureAwait(false);
    }

    /// <summary>
    /// eks:DescribeCluster; a cluster that does not exist, or credentials AWS refuses, stop with an id (every other
    /// call would fail the same way). Other service errors are thrown for the caller to record.
    /// </summary>
    public async Task<EksCluster> DescribeClusterAsync(string clusterName, CancellationToken ct)
    {
        try
        {
            return await _eks.DescribeClusterAsync(clusterName, ct).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            throw new EksSecurityException(ErrorClusterNotFound, EksErrorKind.ObjectNotFound,
                $"No EKS cluster named '{clusterName}' in {_http.Access.Region}: {ex.ServiceMessage}", clusterName, ex);
        }
        catch (AwsServiceException ex) when (ex.IsAuthenticationFailure)
        {
            var info = _http.Access.Info;
            var key = info.AccessKeyId is null ? "the credentials" : $"access key {info.AccessKeyId}";
            throw new EksSecurityException(ErrorAuthenticationFailed, EksErrorKind.PermissionDenied,
                $"AWS did not accept {key} (credentials from {info.CredentialSource}) for {ex.Action}: {ex.Code}: {FirstLine(ex.ServiceMessage)} " +
                "Check the secret access key and session token, that the credentials have not expired, and the system clock.", clusterName, ex);
        }
    }

    /// <summary>
    /// What depends on the Kubernetes half as well: IAM roles and users named by aws-auth, IRSA
    /// annotations and access entries, the EBS volumes behind persistent volumes, and the security
    /// groups SecurityGroupPolicies name (added to the SecurityGroups section). Run after the
    /// Kubernetes collection (or without it, from the AWS half alone).
    /// </summary>
    public async Task CollectDependentAsync(ClusterSnapshot snapshot, CancellationToken ct)
    {
        var aws = snapshot.Aws;
        using var ec2 = new Ec2Client(_http);
        await WhenAllReporting(
        [
            CollectList(s => aws.IamRoles = s, () => CollectRoles(snapshot, ct)),
            CollectList(s => aws.IamUsers = s, () => CollectUsers(snapshot, ct)),
            CollectList(s => aws.EbsVolumes = s, () =>
            {
                var ids = (snapshot.Kubernetes.PersistentVolumes?.Items ?? [])
                    .Select(pv => pv.Spec?.Csi?.VolumeHandle ?? pv.Spec?.AwsElasticBlockStore?.VolumeID)
                    .Select(id => id?[(id.LastIndexOf('/') + 1)..])
                    .Where(id => id?.StartsWith("vol-", StringComparison.Ordinal) == true).OfType<string>().ToList();
                return ec2.DescribeVolumesAsync(ids, ct);
            }),
        ]).ConfigureAwait(false);

        // The security groups SecurityGroupPolicies name (EKS-NET-020), beside the cluster's and the nodes': looked up with a filter,
        // so a group that does not exist is left out (the rule reports it) instead of failing the call.
        if (SecurityGroupPolicyGroupIds(snapshot) is { Count: > 0 } extra)
            await WhenAllReporting([CollectList<Ec2SecurityGroup>(s => aws.SecurityGroups = s, async () =>
                [.. aws.SecurityGroups!.All, .. await ec2.DescribeSecurityGroupsAsync(extra, ct, skipMissing: true).ConfigureAwait(false)])]).ConfigureAwait(false);
    }

    /// <summary>Ids of security groups that SecurityGroupPolicies name and the SecurityGroups section does not hold yet (none unless both were collected).</summary>
    private static List<string> SecurityGroupPolicyGroupIds(ClusterSnapshot snapshot)
    {
        if (snapshot.Aws.SecurityGroups is not { IsCollected: true } groups || snapshot.Kubernetes.SecurityGroupPolicies is not { IsCollected: true } policies) return [];
        var known = groups.All.Select(g => g.GroupId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return policies.All.SelectMany(p => p.Spec?.SecurityGroups?.GroupIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id.Trim())
            .Where(id => !known.Contains(id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every IAM role the cluster's access and identity depend on.</summary>
    private async Task<List<IamRole>> CollectRoles(ClusterSnapshot snapshot, CancellationToken ct)
    {
        var arns = new SortedSet<string>(StringComparer.Ordinal);
        var aws = snapshot.Aws;
        void Add(string? arn) { if (RoleName(arn) is not null) arns.Add(arn!); }
        Add(aws.Cluster?.Value?.RoleArn);
        Add(aws.Cluster?.Value?.ComputeConfig?.NodeRoleArn);
        foreach (var n in aws.NodeGroups?.Items ?? []) Add(n.NodeRole);
        foreach (var f in aws.FargateProfiles?.Items ?? []) Add(f.PodExecutionRoleArn);
        foreach (var a in aws.Addons?.Items ?? []) Add(a.ServiceAccountRoleArn);
        foreach (var p in aws.PodIdentityAssociations?.Items ?? []) { Add(p.RoleArn); Add(p.TargetRoleArn); }
        foreach (var e in aws.AccessEntries?.Items ?? []) Add(e.PrincipalArn);
        foreach (var m in snapshot.Index.AwsAuth.Roles) Add(m.Arn);
        foreach (var sa in snapshot.Kubernetes.ServiceAccounts?.Items ?? [])
            if (sa.Metadata?.Annotations?.TryGetValue("eks.amazonaws.com/role-arn", out var irsa) == true) Add(irsa);
        return (await Task.WhenAll(arns.Select(a => GetRole(a, ct))).ConfigureAwait(false)).ToList();
    }

    private async Task<List<IamUser>> CollectUsers(ClusterSnapshot snapshot, CancellationToken ct)
    {
        var arns = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in snapshot.Aws.AccessEntries?.Items ?? [])
            if (e.PrincipalArn?.Contains(":user/", StringComparison.Ordinal) == true) arns.Add(e.PrincipalArn);
        foreach (var m in snapshot.Index.AwsAuth.Users)
            if (m.Arn?.Contains(":user/", StringComparison.Ordinal) == true) arns.Add(m.Arn);
        return (await Task.WhenAll(arns.Select(a => Once(_users, a, arn => LoadUser(arn, ct)))).ConfigureAwait(false)).ToList();
    }

    private Task<IamRole> GetRole(string arn, CancellationToken ct) => Once(_roles, arn, a => LoadRole(a, ct));

    private static Task<T> Once<T>(ConcurrentDictionary<string, Lazy<Task<T>>> cache, string key, Func<string, Task<T>> load) =>
        cache.GetOrAdd(key, k => new Lazy<Task<T>>(() => load(k), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private async Task<IamRole> LoadRole(string arn, CancellationToken ct)
    {
        var name = RoleName(arn)!;
        IamRole role;
        try
        {
            role = await _iam.GetRoleAsync(name, ct).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.Code == "NoSuchEntity")
        {
            return new IamRole { Arn = arn, RoleName = name, NoSuchEntity = true };
        }
        var attached = await _iam.ListAttachedRolePoliciesAsync(name, ct).ConfigureAwait(false);
        role.AttachedPolicies = (await Task.WhenAll(attached.Select(p => p.PolicyArn is null
            ? Task.FromResult(p)
            : Once(_policies, p.PolicyArn, policyArn => _iam.GetManagedPolicyAsync(policyArn, ct)))).ConfigureAwait(false)).ToList();
        var inline = await _iam.ListRolePoliciesAsync(name, ct).ConfigureAwait(false);
        role.InlinePolicies = (await Task.WhenAll(inline.Select(p => _iam.GetRolePolicyAsync(name, p, ct))).ConfigureAwait(false)).ToList();
        return role;
    }

    private async Task<IamUser> LoadUser(string arn, CancellationToken ct)
    {
        var name = arn[(arn.LastIndexOf('/') + 1)..];
        IamUser user;
        try
        {
            user = await _iam.GetUserAsync(name, ct).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.Code == "NoSuchEntity")
        {
            return new IamUser { Arn = arn, UserName = name, NoSuchEntity = true };
        }
        user.MfaDevices = await _iam.ListMfaDevicesAsync(name, ct).ConfigureAwait(false);
        user.HasLoginProfile = await _iam.HasLoginProfileAsync(name, ct).ConfigureAwait(false);
        var keys = await _iam.ListAccessKeysAsync(name, ct).ConfigureAwait(false);
        foreach (var key in keys)
        {
            if (key.AccessKeyId is null) continue;
            var (lastUsed, service) = await _iam.GetAccessKeyLastUsedAsync(key.AccessKeyId, ct).ConfigureAwait(false);
            key.LastUsedDate = lastUsed;
            key.LastUsedServiceName = service;
        }
        user.AccessKeys = keys;
        return user;
    }

    /// <summary>The role name of a role ARN (path dropped) or of an assumed-role ARN; null for anything else.</summary>
    public static string? RoleName(string? arn)
    {
        if (string.IsNullOrEmpty(arn)) return null;
        var resource = arn.Split(':', 6) is { Length: 6 } parts ? parts[5] : null;
        if (resource is null) return null;
        if (resource.StartsWith("role/", StringComparison.Ordinal)) return resource[(resource.LastIndexOf('/') + 1)..];
        if (resource.StartsWith("assumed-role/", StringComparison.Ordinal)) return resource.Split('/')[1];
        return null;
    }

    private int _done;
    private int _total;

    private async Task WhenAllReporting(List<Task> tasks)
    {
        Interlocked.Add(ref _total, tasks.Count);
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private void Report(string status, int increment)
    {
        var done = Interlocked.Add(ref _done, increment);
        Progress?.Invoke(new CollectionProgress("Collecting AWS data", status, done, Math.Max(_total, done)));
    }

    private async Task CollectList<T>(Action<Section<T>> set, Func<Task<List<T>>> load)
    {
        try
        {
            set(EksSecurity.Engine.Snapshot.Section<T>.Collected(await load().ConfigureAwait(false)));
        }
        catch (AwsServiceException ex)
        {
            set(Fail<Section<T>>(ex));
        }
        finally
        {
            Report($"{typeof(T).Name} done", 1);
        }
    }

    private async Task CollectObject<T>(Action<ObjectSection<T>> set, Func<Task<T>> load) where T : class
    {
        try
        {
            set(EksSecurity.Engine.Snapshot.ObjectSection<T>.Collected(await load().ConfigureAwait(false)));
        }
        catch (AwsServiceException ex)
        {
            set(Fail<ObjectSection<T>>(ex));
        }
        finally
        {
            Report($"{typeof(T).Name} done", 1);
        }
    }

    /// <summary>A denied call names the IAM action; anything else says what failed.</summary>
    private static TSection Fail<TSection>(AwsServiceException ex) where TSection : SectionBase, new() =>
        ex.IsAccessDenied
            ? new TSection { Status = SectionStatus.Denied, Permission = ex.Action, Reason = ex.ServiceMessage }
            : new TSection { Status = SectionStatus.Failed, Reason = $"{ex.Action}: {ex.Code}: {ex.ServiceMessage}" };

    /// <summary>IAM and STS append the canonical request to a signature mismatch: the first line says it.</summary>
    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }

    private static async Task<List<TOut>> DescribeAll<TOut>(Task<List<string>> list, Func<string, Task<TOut>> describe) =>
        (await Task.WhenAll((await list.ConfigureAwait(false)).Select(describe)).ConfigureAwait(false)).ToList();

    private static async Task<List<string>> Map(Task<List<JsonObject>> list, Func<JsonObject, string?> select) =>
        (await list.ConfigureAwait(false)).Select(select).OfType<string>().ToList();
}
