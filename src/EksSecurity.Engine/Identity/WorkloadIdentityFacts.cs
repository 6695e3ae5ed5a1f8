using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Aws.Policy;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.Identity;

/// <summary>
/// What the workload identity checks (Test-EksIrsa, Test-EksPodIdentity and the IAM rules) look up in a snapshot:
/// the cluster's issuer and ARN, IAM roles and their policies parsed once, the pods of a service account, the
/// node and instance under a pod. Every lookup says when the data was not collected, so no check passes blind.
/// </summary>
internal sealed class WorkloadIdentityFacts
{
    public const string RoleArnAnnotation = "eks.amazonaws.com/role-arn";

    private readonly ClusterSnapshot _snapshot;
    private readonly Dictionary<string, RolePolicies> _policies = new(StringComparer.Ordinal);
    private ILookup<(string, string), V1Pod>? _podsByServiceAccount;
    private Dictionary<string, V1Node>? _nodes;
    private Dictionary<string, Ec2Instance>? _instances;

    public WorkloadIdentityFacts(ClusterSnapshot snapshot) => _snapshot = snapshot;

    public ClusterSnapshot Snapshot => _snapshot;
    public EksCluster? Cluster => _snapshot.Aws.Cluster?.Value;
    public string ClusterName => _snapshot.ClusterName ?? Cluster?.Name ?? "";
    public string? ClusterArn => Cluster?.Arn ?? _snapshot.ClusterArn;
    public string? Issuer => Cluster?.Identity?.Oidc?.Issuer;

    /// <summary>The account and partition of the cluster (from its ARN).</summary>
    public string? Account => ArnPart(ClusterArn, 4);
    public string Partition => ArnPart(ClusterArn, 1) ?? "aws";

    private static string? ArnPart(string? arn, int index) =>
        arn?.Split(':', 6) is { Length: 6 } parts && parts[index].Length > 0 ? parts[index] : null;

    public bool Has(SnapshotSection section) => _snapshot.GetSection(section)?.IsCollected == true;

    /// <summary>"section IamRoles Denied (needs iam:GetRole)": why a check could not look.</summary>
    public string Missing(SnapshotSection section)
    {
        var info = _snapshot.DescribeSection(section);
        return $"section {section} is {info.Status}" + (info.Permission is null ? "" : $" (needs {info.Permission})") + (info.Reason is null ? "" : $": {info.Reason}");
    }

    public IReadOnlyList<V1ServiceAccount> ServiceAccounts => _snapshot.Kubernetes.ServiceAccounts?.All ?? [];

    public V1ServiceAccount? ServiceAccount(string ns, string name) =>
        ServiceAccounts.FirstOrDefault(sa => sa.Metadata?.NamespaceProperty == ns && sa.Metadata?.Name == name);

    public static string? RoleArnOf(V1ServiceAccount sa) =>
        sa.Metadata?.Annotations?.TryGetValue(RoleArnAnnotation, out var arn) == true && !string.IsNullOrWhiteSpace(arn) ? arn.Trim() : null;

    /// <summary>The role as IAM described it; null with the reason when it was not looked up or not collected.</summary>
    public (IamRole? Role, string? Problem) Role(string arn)
    {
        if (!Has(SnapshotSection.IamRoles)) return (null, Missing(SnapshotSection.IamRoles));
        var parsed = IamPrincipalArn.Parse(arn);
        if (parsed is not { Kind: PrincipalKind.Role }) return (null, $"'{arn}' is not an IAM role ARN");
        var role = _snapshot.Aws.IamRoles!.All.FirstOrDefault(r => IamPrincipalArn.Parse(r.Arn) is { } p && p.SameEntity(parsed));
        return role is null ? (null, $"the role {arn} was not looked up in IAM (IamRoles has no entry for it)") : (role, null);
    }

    /// <summary>The role's identity policies and boundary parsed once; unreadable documents are listed, not dropped.</summary>
    public RolePolicies PoliciesOf(IamRole role)
    {
        var key = role.Arn ?? role.RoleName ?? "";
        if (_policies.TryGetValue(key, out var known)) return known;
        var documents = new List<PolicyDocument>();
        var problems = new List<(string?, string)>();
        if (role.AttachedPolicies is null) problems.Add((null, "attached policies were not listed (iam:ListAttachedRolePolicies)"));
        foreach (var attached in role.AttachedPolicies ?? [])
        {
            var name = attached.PolicyArn ?? attached.PolicyName ?? "(unnamed)";
            if (attached.Document is null) problems.Add((attached.PolicyArn, $"the document of {name} was not read (iam:GetPolicyVersion)"));
            else if (PolicyDocument.TryParse(attached.Document, name, out var doc, out var error)) documents.Add(doc);
            else problems.Add((attached.PolicyArn, error));
        }
        if (role.InlinePolicies is null) problems.Add((null, "inline policies were not listed (iam:ListRolePolicies)"));
        foreach (var inline in role.InlinePolicies ?? [])
        {
            var name = $"{role.RoleName}/{inline.PolicyName}";
            if (PolicyDocument.TryParse(inline.PolicyDocument, name, out var doc, out var error)) documents.Add(doc);
            else problems.Add((null, error));
        }
        var result = new RolePolicies(role, documents, problems);
        _policies[key] = result;
        return result;
    }

    /// <summary>The role's trust policy, or the reason it cannot be read.</summary>
    public static (PolicyDocument? Trust, string? Problem) TrustOf(IamRole role)
    {
        if (string.IsNullOrWhiteSpace(role.AssumeRolePolicyDocument)) return (null, $"the trust policy of {role.Arn} was not collected");
        return PolicyDocument.TryParse(role.AssumeRolePolicyDocument, $"{role.RoleName} trust policy", out var trust, out var error, PolicyKind.Trust)
            ? (trust, null)
            : (null, error);
    }

    /// <summary>Pods running as the service account (spec.serviceAccountName; "default" when unset).</summary>
    public IReadOnlyList<V1Pod> PodsOf(string ns, string serviceAccount)
    {
        _podsByServiceAccount ??= (_snapshot.Kubernetes.Pods?.All ?? [])
            .ToLookup(p => (p.Metadata?.NamespaceProperty ?? "", p.Spec?.ServiceAccountName ?? "default"));
        return _podsByServiceAccount[(ns, serviceAccount)].ToList();
    }

    public V1Node? Node(string? name)
    {
        if (name is null) return null;
        _nodes ??= (_snapshot.Kubernetes.Nodes?.All ?? []).Where(n => n.Metadata?.Name is not null)
            .GroupBy(n => n.Metadata!.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _nodes.GetValueOrDefault(name);
    }

    public Ec2Instance? Instance(string? instanceId)
    {
        if (instanceId is null) return null;
        _instances ??= (_snapshot.Aws.Instances?.All ?? []).Where(i => i.InstanceId is not null)
            .GroupBy(i => i.InstanceId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _instances.GetValueOrDefault(instanceId);
    }
}

/// <summary>A role's identity policies parsed, and what could not be read (with the managed policy ARN it concerns, when one).</summary>
internal sealed record RolePolicies(IamRole Role, IReadOnlyList<PolicyDocument> Documents, IReadOnlyList<(string? PolicyArn, string Problem)> Unreadable)
{
    public IReadOnlyList<string> Problems => Unreadable.Select(u => u.Problem).ToList();
    public bool Complete => Unreadable.Count == 0;

    /// <summary>The problems left once policies judged by name (AWS managed ones a rule knows) are set aside.</summary>
    public IReadOnlyList<string> ProblemsExcept(Func<string, bool> judgedByName) =>
        Unreadable.Where(u => u.PolicyArn is null || !judgedByName(u.PolicyArn)).Select(u => u.Problem).ToList();
}
