using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>What an IAM principal ARN names.</summary>
internal enum PrincipalKind
{
    Role,
    User,
    /// <summary>An account root, a group, a federated user, or an ARN that could not be read.</summary>
    Other,
}

/// <summary>
/// An IAM principal ARN taken apart: arn:partition:iam::account:role/path/name, .../user/path/name, or
/// arn:partition:sts::account:assumed-role/name/session (which stands for the role).
/// </summary>
internal sealed record IamPrincipalArn(string Arn, string Account, PrincipalKind Kind, string Name, string? Path)
{
    public static IamPrincipalArn? Parse(string? arn)
    {
        if (string.IsNullOrWhiteSpace(arn)) return null;
        var text = arn.Trim();
        var parts = text.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn") return null;
        var (service, account, resource) = (parts[2], parts[4], parts[5]);
        var segments = resource.Split('/');
        if (service == "iam" && segments.Length >= 2 && segments[0] is "role" or "user")
        {
            var kind = segments[0] == "role" ? PrincipalKind.Role : PrincipalKind.User;
            var path = segments.Length > 2 ? string.Join('/', segments[1..^1]) : null;
            return new IamPrincipalArn(text, account, kind, segments[^1], path);
        }
        if (service == "sts" && segments.Length >= 2 && segments[0] == "assumed-role")
            return new IamPrincipalArn(text, account, PrincipalKind.Role, segments[1], null);
        return new IamPrincipalArn(text, account, PrincipalKind.Other, resource, null);
    }

    /// <summary>IAM role and user names are unique regardless of case.</summary>
    public bool SameEntity(IamPrincipalArn other) =>
        Kind == other.Kind && Kind != PrincipalKind.Other &&
        string.Equals(Account, other.Account, StringComparison.Ordinal) &&
        string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One way a principal reaches the cluster: an access entry or an aws-auth mapping.</summary>
internal sealed class AccessGrant
{
    public const string ClusterAdminPolicy = "AmazonEKSClusterAdminPolicy";
    public const string AdminPolicy = "AmazonEKSAdminPolicy";

    public EksAccessEntry? Entry { get; init; }
    public AwsAuthMapping? Mapping { get; init; }

    public bool IsAccessEntry => Entry is not null;

    /// <summary>AmazonEKSClusterAdminPolicy at cluster scope (access entry), or system:masters (aws-auth).</summary>
    public bool IsClusterAdmin => Entry is not null
        ? HasPolicyAtClusterScope(Entry, ClusterAdminPolicy)
        : Mapping!.Groups.Any(g => g.Trim() == NoSystemMastersInAwsAuth.MastersGroup);

    public string Describe()
    {
        if (Entry is not null)
        {
            var policies = Entry.AssociatedAccessPolicies is null
                ? "policies not listed"
                : "policies [" + string.Join(", ", Entry.AssociatedAccessPolicies.Select(DescribePolicy)) + "]";
            var groups = Entry.KubernetesGroups is { Count: > 0 } g ? $", kubernetesGroups {Rbac.List(g)}" : "";
            return $"access entry (type {Entry.Type ?? "(absent)"}, {policies}{groups})";
        }
        return $"aws-auth {Mapping!.Source} (line {Mapping.Line}), groups {Rbac.List(Mapping.Groups)}";
    }

    public static string PolicyName(string? policyArn) =>
        string.IsNullOrEmpty(policyArn) ? "(none)" : policyArn[(policyArn.LastIndexOf('/') + 1)..];

    public static string DescribePolicy(EksAssociatedAccessPolicy p)
    {
        var scope = p.AccessScope?.Type ?? "(no scope)";
        if (p.AccessScope?.Namespaces is { Count: > 0 } ns) scope += " " + Rbac.List(ns);
        return $"{PolicyName(p.PolicyArn)} @ {scope}";
    }

    public static bool IsClusterScope(EksAssociatedAccessPolicy p) =>
        string.Equals(p.AccessScope?.Type, "cluster", StringComparison.OrdinalIgnoreCase);

    public static bool HasPolicyAtClusterScope(EksAccessEntry entry, string policyName) =>
        entry.AssociatedAccessPolicies?.Any(p => PolicyName(p.PolicyArn) == policyName && IsClusterScope(p)) == true;
}

/// <summary>An IAM principal that can authenticate to the cluster, with every grant that lets it in.</summary>
internal sealed class ClusterPrincipal
{
    public required string Arn { get; init; }
    public IamPrincipalArn? Parsed { get; init; }
    public List<AccessGrant> Grants { get; } = [];

    public PrincipalKind Kind => Parsed?.Kind ?? PrincipalKind.Other;
    public bool IsClusterAdmin => Grants.Any(g => g.IsClusterAdmin);
    public bool InAwsAuth => Grants.Any(g => g.Mapping is not null);
    public bool HasAccessEntry => Grants.Any(g => g.IsAccessEntry);

    public ResourceRef Resource => new(Kind switch { PrincipalKind.Role => "IamRole", PrincipalKind.User => "IamUser", _ => "IamPrincipal" }, null, Arn);

    public IEnumerable<string> GrantEvidence() => Grants.Select(g => $"{Arn}: {g.Describe()}");

    /// <summary>The IAM role look-up for this principal, or null when the snapshot has none.</summary>
    public IamRole? FindRole(IEnumerable<IamRole> roles) =>
        Kind != PrincipalKind.Role ? null : roles.FirstOrDefault(r => Matches(r.Arn, r.RoleName, PrincipalKind.Role));

    /// <summary>The IAM user look-up for this principal, or null when the snapshot has none.</summary>
    public IamUser? FindUser(IEnumerable<IamUser> users) =>
        Kind != PrincipalKind.User ? null : users.FirstOrDefault(u => Matches(u.Arn, u.UserName, PrincipalKind.User));

    private bool Matches(string? arn, string? name, PrincipalKind kind)
    {
        if (Parsed is null) return false;
        var parsed = IamPrincipalArn.Parse(arn);
        if (parsed is not null) return parsed.SameEntity(Parsed);
        // A look-up that failed may carry only the name.
        return kind == Parsed.Kind && string.Equals(name, Parsed.Name, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// Every IAM principal that can authenticate to the cluster: EKS access entries plus aws-auth
/// mappings, each consulted only when the cluster's authentication mode honours it. A source that
/// must be consulted but was not collected becomes a gap, which rules report as Error: never a silent pass.
/// </summary>
internal sealed class ClusterAccessInventory
{
    public IReadOnlyList<ClusterPrincipal> Principals { get; private init; } = [];
    /// <summary>Sources that could not be read, each a sentence naming the section and permission.</summary>
    public IReadOnlyList<string> Gaps { get; private init; } = [];
    /// <summary>How the sources were chosen (authentication mode), for evidence.</summary>
    public IReadOnlyList<string> Notes { get; private init; } = [];

    /// <summary>The sections an inventory reads; rules list them in OptionallyReads.</summary>
    public static readonly SnapshotSection[] Sections = [SnapshotSection.Cluster, SnapshotSection.AccessEntries, SnapshotSection.ConfigMaps];

    public static ClusterAccessInventory From(RuleContext context)
    {
        var notes = new List<string>();
        var gaps = new List<string>();
        string? mode = null;
        if (context.Has(SnapshotSection.Cluster))
        {
            mode = context.Aws.Cluster!.Value?.AccessConfig?.AuthenticationMode;
            notes.Add($"accessConfig.authenticationMode = {mode ?? "(not reported: aws-auth only)"}");
        }
        else
        {
            notes.Add("the cluster description was not collected, so both access entries and aws-auth are consulted");
        }
        // Clusters that report no mode predate access entries and use aws-auth only.
        var useEntries = mode is null ? !context.Has(SnapshotSection.Cluster) : mode != "CONFIG_MAP";
        var useAwsAuth = mode != "API";

        var byKey = new Dictionary<string, ClusterPrincipal>(StringComparer.Ordinal);
        var ordered = new List<ClusterPrincipal>();
        void Add(string arn, AccessGrant grant)
        {
            var parsed = IamPrincipalArn.Parse(arn);
            var key = parsed is { Kind: not PrincipalKind.Other }
                ? $"{parsed.Account}|{parsed.Kind}|{parsed.Name.ToUpperInvariant()}"
                : "arn|" + arn.Trim();
            if (!byKey.TryGetValue(key, out var principal))
            {
                principal = new ClusterPrincipal { Arn = arn.Trim(), Parsed = parsed };
                byKey[key] = principal;
                ordered.Add(principal);
            }
            principal.Grants.Add(grant);
        }

        if (useEntries)
        {
            if (context.Has(SnapshotSection.AccessEntries))
            {
                foreach (var entry in context.Aws.AccessEntries!.All)
                    if (!string.IsNullOrWhiteSpace(entry.PrincipalArn)) Add(entry.PrincipalArn, new AccessGrant { Entry = entry });
            }
            else
            {
                gaps.Add("access entries could not be read (" + Describe(context, SnapshotSection.AccessEntries) + ")");
            }
        }
        else
        {
            notes.Add("access entries are not consulted in this authentication mode");
        }

        if (useAwsAuth)
        {
            if (context.Has(SnapshotSection.ConfigMaps))
            {
                var awsAuth = context.Index.AwsAuth;
                foreach (var mapping in awsAuth.All)
                    if (!string.IsNullOrWhiteSpace(mapping.Arn)) Add(mapping.Arn, new AccessGrant { Mapping = mapping });
                if (awsAuth.ParseErrors.Count > 0)
                    gaps.Add($"aws-auth could not be fully parsed, so principals may be missing: {awsAuth.ParseErrors[0]}");
                if (!awsAuth.Exists) notes.Add("kube-system/aws-auth: absent");
            }
            else
            {
                gaps.Add("the aws-auth ConfigMap could not be read (" + Describe(context, SnapshotSection.ConfigMaps) + ")");
            }
        }
        else
        {
            notes.Add("aws-auth is not consulted in authentication mode API");
        }

        return new ClusterAccessInventory { Principals = ordered, Gaps = gaps, Notes = notes };
    }

    /// <summary>One Error finding on the cluster per source that could not be read.</summary>
    public IEnumerable<EksSecurityFinding> GapFindings(RuleContext context, string what) =>
        Gaps.Select(gap => context.Error(context.Cluster, $"Some principals with cluster access could not be listed, so {what} is not known for them: {gap}.", Notes));

    internal static string Describe(RuleContext context, SnapshotSection section)
    {
        var info = context.Snapshot.DescribeSection(section);
        return $"section {section}: {info.Status}" + (info.Permission is null ? "" : $", needs {info.Permission}") + (info.Reason is null ? "" : $", {info.Reason}");
    }
}
