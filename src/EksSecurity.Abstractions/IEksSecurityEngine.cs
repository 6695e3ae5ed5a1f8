namespace EksSecurity;

/// <summary>
/// The engine behind every cmdlet. It lives in an isolated load context with the AWS SDK,
/// KubernetesClient and YamlDotNet; only types of this assembly cross the boundary.
/// </summary>
public interface IEksSecurityEngine
{
    /// <summary>The rule catalogue, ordered by id.</summary>
    IReadOnlyList<EksSecurityRule> Rules { get; }

    /// <summary>Reads a snapshot file (JSON, gzip accepted). Throws <see cref="EksSecurityException"/> naming the file and the problem.</summary>
    IClusterSnapshot ReadSnapshot(string path, CancellationToken cancellationToken = default);

    /// <summary>Runs the selected rules over a snapshot; findings in rule-id order, deterministic.</summary>
    IReadOnlyList<EksSecurityFinding> Evaluate(IClusterSnapshot snapshot, EvaluationOptions options, CancellationToken cancellationToken = default);

    /// <summary>The built-in exclusions for EKS's own system workloads.</summary>
    IReadOnlyList<EksSecurityExclusion> DefaultExclusions { get; }

    /// <summary>
    /// Reads Kubernetes manifests (YAML, JSON, lists, directories, text) into a snapshot of the
    /// Kubernetes sections, every object remembering its file and line. Bad input is reported to
    /// <paramref name="log"/> and never stops the other inputs.
    /// </summary>
    IClusterSnapshot ReadManifests(ManifestRequest request, IEngineLog log, CancellationToken cancellationToken = default);

    /// <summary>Resolves AWS credentials and region as AWS Tools for PowerShell does; throws <see cref="EksSecurityException"/> when none are found.</summary>
    AwsAccessInfo ResolveAwsAccess(AwsAccessRequest request);

    /// <summary>Collects a live cluster into a snapshot. Denied or failed sections are recorded in it, not thrown.</summary>
    Task<IClusterSnapshot> CollectAsync(AwsAccessRequest access, CollectionRequest request, IProgress<EngineProgress>? progress, CancellationToken cancellationToken = default);

    /// <summary>The least-privilege IAM policy (JSON) the scanner needs for the given rules (all when null), generated from the data they declare.</summary>
    string GetScannerIamPolicy(IReadOnlyCollection<string>? ruleIds);

    /// <summary>The least-privilege Kubernetes ClusterRole (and its binding, YAML) the scanner needs for the given rules (all when null).</summary>
    string GetScannerClusterRole(IReadOnlyCollection<string>? ruleIds);

    /// <summary>Writes a snapshot file (gzip when the path ends in .gz).</summary>
    void SaveSnapshot(IClusterSnapshot snapshot, string path);

    /// <summary>Evaluates every pod and workload template of a snapshot against the Pod Security Standards.</summary>
    IReadOnlyList<PodSecurityResult> EvaluatePodSecurity(IClusterSnapshot snapshot, PodSecurityOptions options, CancellationToken cancellationToken = default);

    /// <summary>IRSA for the service accounts the query selects (every annotated one when it selects none): one result each, with every sub-check.</summary>
    IReadOnlyList<WorkloadIdentityResult> TestIrsa(IClusterSnapshot snapshot, WorkloadIdentityQuery query, CancellationToken cancellationToken = default);

    /// <summary>EKS Pod Identity for the associations of the service accounts the query selects (every association when it selects none).</summary>
    IReadOnlyList<WorkloadIdentityResult> TestPodIdentity(IClusterSnapshot snapshot, WorkloadIdentityQuery query, CancellationToken cancellationToken = default);

    /// <summary>A least-privilege IRSA trust policy (JSON): this cluster's OIDC provider, sts:AssumeRoleWithWebIdentity, StringEquals on sub and aud.</summary>
    string NewIrsaTrustPolicy(IrsaTrustPolicyRequest request);

    /// <summary>A least-privilege Pod Identity trust policy (JSON): pods.eks.amazonaws.com, sts:AssumeRole and sts:TagSession, scoped by aws:SourceAccount and aws:SourceArn.</summary>
    string NewPodIdentityTrustPolicy(PodIdentityTrustPolicyRequest request);

    /// <summary>eks:DescribeCluster only: the cluster's ARN, account, region and OIDC issuer.</summary>
    Task<EksClusterIdentity> DescribeClusterIdentityAsync(AwsAccessRequest access, string clusterName, CancellationToken cancellationToken = default);

    /// <summary>NetworkPolicies denying egress to the instance metadata service (169.254.169.254/32, and fd00:ec2::254/128 with IPv6) and nothing else, one per namespace, plus the companion policy for the allowed pods. Pure.</summary>
    IReadOnlyList<KubernetesManifest> NewMetadataDenyPolicies(MetadataDenyPolicyRequest request);

    /// <summary>For each namespace of the request: what its existing NetworkPolicies in the snapshot (the generated ones aside) already do to egress to the metadata service, and what the deny policy would change.</summary>
    IReadOnlyList<MetadataEgressReview> ReviewMetadataDenyPolicies(IClusterSnapshot snapshot, MetadataDenyPolicyRequest request);

    /// <summary>vpcresources.k8s.aws/v1beta1 SecurityGroupPolicies, one per namespace. Pure; throws <see cref="EksSecurityException"/> (InvalidSecurityGroupId ...) on bad input.</summary>
    IReadOnlyList<KubernetesManifest> NewSecurityGroupPolicies(SecurityGroupPolicyRequest request);

    /// <summary>Writes manifests as one multi-document YAML file.</summary>
    void SaveManifests(IReadOnlyList<KubernetesManifest> manifests, string path);

    /// <summary>Reads namespaces (and optionally their pods) of a live cluster into a snapshot for <see cref="GetNamespaces"/> and <see cref="EvaluatePodSecurity"/>; with a cluster name, also its eks:DescribeCluster.</summary>
    Task<IClusterSnapshot> ReadKubernetesAsync(KubernetesAccessRequest access, KubernetesReadRequest request, CancellationToken cancellationToken = default);

    /// <summary>The namespaces of a snapshot (a file, a live read), with the cluster's IP family and which are EKS's own.</summary>
    ClusterNamespaces GetNamespaces(IClusterSnapshot snapshot);

    /// <summary>Creates each object, or replaces it when it differs (GET, then POST or PUT); an object already as asked is left alone. Failures are results, connection problems throw.</summary>
    Task<IReadOnlyList<KubernetesApplyResult>> ApplyManifestsAsync(KubernetesAccessRequest access, IReadOnlyList<KubernetesManifest> manifests, KubernetesWriteOptions options, CancellationToken cancellationToken = default);

    /// <summary>Sets (or removes) namespace labels with a merge patch; a namespace already labelled so is left alone.</summary>
    Task<IReadOnlyList<KubernetesApplyResult>> SetNamespaceLabelsAsync(KubernetesAccessRequest access, IReadOnlyList<NamespaceLabelChange> changes, KubernetesWriteOptions options, CancellationToken cancellationToken = default);
}
