using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine;

/// <summary>The engine behind the cmdlets. The loader creates it by name in the isolated load context.</summary>
public sealed class SecurityEngine : IEksSecurityEngine
{
    private readonly RuleCatalog _catalog;
    private readonly RuleRunner _runner;

    public SecurityEngine() : this(RuleCatalog.Default, RuleSettings.Default) { }

    public SecurityEngine(RuleCatalog catalog, RuleSettings settings)
    {
        _catalog = catalog;
        _runner = new RuleRunner(catalog, settings);
        Rules = catalog.Rules.Select(r => r.Metadata).ToList();
    }

    public IReadOnlyList<EksSecurityRule> Rules { get; }

    public IClusterSnapshot ReadSnapshot(string path, CancellationToken cancellationToken = default) =>
        SnapshotReader.Read(path, cancellationToken);

    public IReadOnlyList<EksSecurityExclusion> DefaultExclusions => EksSecurity.Engine.Rules.DefaultExclusions.All;

    public IClusterSnapshot ReadManifests(ManifestRequest request, IEngineLog log, CancellationToken cancellationToken = default) =>
        Manifests.ManifestReader.Read(request, log, cancellationToken);

    public IReadOnlyList<PodSecurityResult> EvaluatePodSecurity(IClusterSnapshot snapshot, PodSecurityOptions options, CancellationToken cancellationToken = default)
    {
        if (snapshot is not ClusterSnapshot data)
            throw new EksSecurityException("SnapshotNotFromEngine", EksErrorKind.InvalidArgument, "The snapshot was not read by this engine.");
        return EksSecurity.Engine.PodSecurity.PodSecurityRunner.Run(data, options, cancellationToken);
    }

    public AwsAccessInfo ResolveAwsAccess(AwsAccessRequest request) => Aws.AwsCredentialResolver.Resolve(request).Info;

    public async Task<IClusterSnapshot> CollectAsync(AwsAccessRequest access, CollectionRequest request, IProgress<EngineProgress>? progress,
        CancellationToken cancellationToken = default)
    {
        var resolved = Aws.AwsCredentialResolver.Resolve(access);
        var snapshot = new ClusterSnapshot
        {
            ClusterName = request.ClusterName,
            Region = resolved.Region,
            Origin = SnapshotOrigin.Live,
            CollectedAt = DateTimeOffset.UtcNow,
            Generator = $"EksSecurity {typeof(SecurityEngine).Assembly.GetName().Version?.ToString(3)}",
        };
        using var http = new Aws.AwsHttpClient(resolved);
        var aws = new Aws.Collection.AwsCollector(http, request.PageSize)
        {
            Progress = p => progress?.Report(new EngineProgress(p.Activity, p.Status, p.Completed, p.Total)),
        };
        if (request.Aws) await aws.CollectAsync(snapshot, request.ClusterName, cancellationToken).ConfigureAwait(false);
        if (request.Kubernetes)
        {
            var config = KubernetesConfiguration(request, resolved, snapshot);
            using var client = await Kubernetes.Collection.KubernetesConnection.OpenAsync(config, cancellationToken).ConfigureAwait(false);
            var collector = new Kubernetes.Collection.KubernetesCollector(client)
            {
                Progress = status => progress?.Report(new EngineProgress("Collecting Kubernetes objects", status, 0, 0)),
            };
            await collector.CollectAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
        // Roles named by aws-auth and IRSA annotations, and the volumes behind PVs, need both halves.
        if (request.Aws) await aws.CollectDependentAsync(snapshot, cancellationToken).ConfigureAwait(false);
        snapshot.Normalize();
        return snapshot;
    }

    public IReadOnlyList<WorkloadIdentityResult> TestIrsa(IClusterSnapshot snapshot, WorkloadIdentityQuery query, CancellationToken cancellationToken = default) =>
        Identity.WorkloadIdentityRunner.Irsa(OwnSnapshot(snapshot), query, cancellationToken);

    public IReadOnlyList<WorkloadIdentityResult> TestPodIdentity(IClusterSnapshot snapshot, WorkloadIdentityQuery query, CancellationToken cancellationToken = default) =>
        Identity.WorkloadIdentityRunner.PodIdentity(OwnSnapshot(snapshot), query, cancellationToken);

    private static ClusterSnapshot OwnSnapshot(IClusterSnapshot snapshot) => snapshot as ClusterSnapshot
        ?? throw new EksSecurityException("SnapshotNotFromEngine", EksErrorKind.InvalidArgument, "The snapshot was not read by this engine.");

    public string NewIrsaTrustPolicy(IrsaTrustPolicyRequest request) => Identity.TrustPolicyGenerator.Irsa(request);

    public string NewPodIdentityTrustPolicy(PodIdentityTrustPolicyRequest request) => Identity.TrustPolicyGenerator.PodIdentity(request);

    public async Task<EksClusterIdentity> DescribeClusterIdentityAsync(AwsAccessRequest access, string clusterName, CancellationToken cancellationToken = default)
    {
        var resolved = Aws.AwsCredentialResolver.Resolve(access);
        var cluster = await Remediation.KubernetesTarget.DescribeClusterAsync(resolved, clusterName, cancellationToken).ConfigureAwait(false);
        var parts = (cluster.Arn ?? "").Split(':', 6);
        if (parts.Length != 6)
            throw new EksSecurityException("ClusterDescribeFailed", EksErrorKind.InvalidData, $"eks:DescribeCluster of '{clusterName}' returned no cluster ARN.", clusterName);
        return new EksClusterIdentity { Name = cluster.Name ?? clusterName, Arn = cluster.Arn!, AccountId = parts[4], Region = parts[3], OidcIssuer = cluster.Identity?.Oidc?.Issuer };
    }

    public IReadOnlyList<KubernetesManifest> NewMetadataDenyPolicies(MetadataDenyPolicyRequest request) => Remediation.MetadataDenyPolicies.Build(request);

    public IReadOnlyList<MetadataEgressReview> ReviewMetadataDenyPolicies(IClusterSnapshot snapshot, MetadataDenyPolicyRequest request) =>
        Remediation.MetadataDenyPolicies.Review(OwnSnapshot(snapshot), request);

    public IReadOnlyList<KubernetesManifest> NewSecurityGroupPolicies(SecurityGroupPolicyRequest request) => Remediation.SecurityGroupPolicies.Build(request);

    public void SaveManifests(IReadOnlyList<KubernetesManifest> manifests, string path) => Remediation.ManifestFile.Save(manifests, path);

    public async Task<IClusterSnapshot> ReadKubernetesAsync(KubernetesAccessRequest access, KubernetesReadRequest request, CancellationToken cancellationToken = default)
    {
        using var target = await Remediation.KubernetesTarget.OpenAsync(access, cancellationToken).ConfigureAwait(false);
        return await Remediation.KubernetesReader.ReadAsync(target, request, cancellationToken).ConfigureAwait(false);
    }

    public ClusterNamespaces GetNamespaces(IClusterSnapshot snapshot) => Remediation.NamespaceInventory.From(OwnSnapshot(snapshot));

    public async Task<IReadOnlyList<KubernetesApplyResult>> ApplyManifestsAsync(KubernetesAccessRequest access, IReadOnlyList<KubernetesManifest> manifests,
        KubernetesWriteOptions options, CancellationToken cancellationToken = default)
    {
        using var target = await Remediation.KubernetesTarget.OpenAsync(access, cancellationToken).ConfigureAwait(false);
        return await Remediation.KubernetesWriter.ApplyAsync(target, manifests, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<KubernetesApplyResult>> SetNamespaceLabelsAsync(KubernetesAccessRequest access, IReadOnlyList<NamespaceLabelChange> changes,
        KubernetesWriteOptions options, CancellationToken cancellationToken = default)
    {
        using var target = await Remediation.KubernetesTarget.OpenAsync(access, cancellationToken).ConfigureAwait(false);
        return await Remediation.KubernetesWriter.SetNamespaceLabelsAsync(target, changes, options, cancellationToken).ConfigureAwait(false);
    }

    public string GetScannerIamPolicy(IReadOnlyCollection<string>? ruleIds) =>
        Aws.Collection.AwsPermissions.PolicyDocument(SelectRules(ruleIds));

    public string GetScannerClusterRole(IReadOnlyCollection<string>? ruleIds) =>
        Kubernetes.Collection.KubernetesPermissions.ClusterRoleYaml(SelectRules(ruleIds));

    private IEnumerable<Rules.Rule> SelectRules(IReadOnlyCollection<string>? ruleIds) =>
        ruleIds is null ? _catalog.Rules : _catalog.Rules.Where(r => ruleIds.Contains(r.Metadata.Id, StringComparer.OrdinalIgnoreCase));

    /// <summary>kubeconfig when asked for; else an EKS token for the described cluster; else in-cluster.</summary>
    private static k8s.KubernetesClientConfiguration KubernetesConfiguration(CollectionRequest request, Aws.AwsAccess access, ClusterSnapshot snapshot) =>
        Kubernetes.Collection.KubernetesConnection.Choose(request.KubeConfigPath, request.KubeContext, snapshot.Aws.Cluster?.Value, access, request.ClusterName, inClusterFallback: true)
        ?? throw new EksSecurityException(Kubernetes.Collection.KubernetesConnection.ErrorConfig, EksErrorKind.InvalidArgument,
            $"No way to reach the Kubernetes API of '{request.ClusterName}': the cluster's endpoint and CA could not be described, no kubeconfig was given, and this is not a pod. Use -KubeConfigPath, or allow eks:DescribeCluster.");

    public void SaveSnapshot(IClusterSnapshot snapshot, string path)
    {
        if (snapshot is not ClusterSnapshot data)
            throw new EksSecurityException("SnapshotNotFromEngine", EksErrorKind.InvalidArgument, "The snapshot was not made by this engine.");
        try
        {
            SnapshotWriter.Write(data, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EksSecurityException("SnapshotWriteFailed", EksErrorKind.PermissionDenied, $"Cannot write snapshot file '{path}': {ex.Message}", path, ex);
        }
    }

    public IReadOnlyList<EksSecurityFinding> Evaluate(IClusterSnapshot snapshot, EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        if (snapshot is not ClusterSnapshot data)
            throw new EksSecurityException("SnapshotNotFromEngine", EksErrorKind.InvalidArgument, "The snapshot was not read by this engine.");
        return _runner.Run(data, options, cancellationToken);
    }
}
