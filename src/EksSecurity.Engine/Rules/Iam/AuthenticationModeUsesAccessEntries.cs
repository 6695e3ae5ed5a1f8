using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-001: the cluster authenticates IAM principals through EKS access entries, not the aws-auth ConfigMap.</summary>
public sealed class AuthenticationModeUsesAccessEntries : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-001",
        Title = "Cluster uses EKS access entries (authentication mode)",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "With the CONFIG_MAP mode, cluster access lives in the kube-system/aws-auth ConfigMap: anyone who can edit it can grant " +
                    "themselves any Kubernetes group, a typo can lock every administrator out, and the grants are invisible to AWS APIs and CloudTrail. " +
                    "Access entries are managed, audited and revoked through the EKS API, with IAM controlling who may change them.",
        Remediation = "Move to access entries in two steps (neither can be reverted): " +
                      "aws eks update-cluster-config --name <cluster> --access-config authenticationMode=API_AND_CONFIG_MAP; " +
                      "recreate each aws-auth mapping with aws eks create-access-entry --cluster-name <cluster> --principal-arn <arn> " +
                      "(plus aws eks associate-access-policy or --kubernetes-groups), verify access, then " +
                      "aws eks update-cluster-config --name <cluster> --access-config authenticationMode=API.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_cluster_access_manager",
            "https://docs.aws.amazon.com/eks/latest/best-practices/cluster-access-management.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/migrating-access-entries.html",
        ],
        Frameworks = ["Kubescape C-0285", "CIS EKS 1.8.0 4.1.7", "CIS EKS 1.8.0 5.5.1"],
        Reads = [SnapshotSection.Cluster],
        OptionallyReads = [SnapshotSection.ConfigMaps],
        Tags = ["cis", "access-entries", "aws-auth", "authentication"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        if (cluster is null)
        {
            yield return context.Error(context.Cluster, "The cluster description is empty; the authentication mode cannot be judged.");
            yield break;
        }
        var mode = cluster.AccessConfig?.AuthenticationMode;
        var evidence = new List<string> { $"accessConfig.authenticationMode = {mode ?? "(not reported)"}" };
        switch (mode)
        {
            case "API":
                yield return context.Pass(context.Cluster, "The cluster authenticates IAM principals only through EKS access entries (mode API).", evidence);
                break;

            case "CONFIG_MAP":
                yield return context.Fail(context.Cluster,
                    "The cluster authenticates IAM principals only through the aws-auth ConfigMap (mode CONFIG_MAP); access entries are not used.", evidence);
                break;

            case "API_AND_CONFIG_MAP":
                yield return JudgeMigration(context, evidence);
                break;

            case null or "":
                // Clusters that predate access entries reported no accessConfig; they work as CONFIG_MAP.
                evidence.Add("a cluster description without accessConfig comes from a cluster or a tool that predates access entries; such clusters use aws-auth only");
                yield return context.Warn(context.Cluster,
                    "The cluster description does not report an authentication mode; the cluster most likely relies on the aws-auth ConfigMap (CONFIG_MAP).", evidence);
                break;

            default:
                yield return context.Error(context.Cluster, $"Unknown authentication mode '{mode}'; expected API, API_AND_CONFIG_MAP or CONFIG_MAP.", evidence);
                break;
        }
    }

    private static EksSecurityFinding JudgeMigration(RuleContext context, List<string> evidence)
    {
        if (!context.Has(SnapshotSection.ConfigMaps))
        {
            var info = context.Snapshot.DescribeSection(SnapshotSection.ConfigMaps);
            evidence.Add($"section ConfigMaps: {info.Status}" + (info.Permission is null ? "" : $" (needs {info.Permission})"));
            return context.Warn(context.Cluster,
                "The cluster accepts both access entries and aws-auth (API_AND_CONFIG_MAP); whether aws-auth still holds mappings could not be checked.", evidence);
        }
        var awsAuth = context.Index.AwsAuth;
        if (!awsAuth.Exists)
        {
            evidence.Add($"{AwsAuthConfig.Namespace}/{AwsAuthConfig.Name}: absent");
            return context.Pass(context.Cluster,
                "The cluster uses access entries and has no aws-auth ConfigMap left; switching to mode API would stop honouring a future aws-auth.", evidence);
        }
        evidence.Add($"{AwsAuthConfig.Namespace}/{AwsAuthConfig.Name}: mapRoles {awsAuth.Roles.Count} entries, mapUsers {awsAuth.Users.Count} entries, mapAccounts {awsAuth.Accounts.Count} entries");
        foreach (var error in awsAuth.ParseErrors) evidence.Add($"aws-auth parse error: {error}");
        var mappings = awsAuth.Roles.Count + awsAuth.Users.Count + awsAuth.Accounts.Count;
        if (mappings > 0)
            return context.Warn(context.Cluster,
                $"The migration to access entries is unfinished: the cluster accepts both (API_AND_CONFIG_MAP) and aws-auth still maps {mappings} principal(s) or account(s).", evidence);
        if (awsAuth.ParseErrors.Count > 0)
            return context.Warn(context.Cluster,
                "The cluster accepts both access entries and aws-auth (API_AND_CONFIG_MAP), and aws-auth could not be parsed, so its remaining mappings are unknown.", evidence);
        return context.Pass(context.Cluster,
            "The cluster uses access entries and aws-auth maps no principal any more; switching to mode API would stop honouring aws-auth.", evidence);
    }
}
