using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-004: no aws-auth mapping puts an IAM principal in the system:masters group.</summary>
public sealed class NoSystemMastersInAwsAuth : Rule
{
    internal const string MastersGroup = "system:masters";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-004",
        Title = "aws-auth does not map principals to system:masters",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "Members of system:masters bypass RBAC authorization entirely: no Role, binding or admission policy can narrow what they do, " +
                    "and removing their rights means editing aws-auth itself. Mapping IAM principals there turns every holder of those " +
                    "credentials into an unrestricted cluster superuser.",
        Remediation = "Map administrators to a group bound to a ClusterRole instead, for example " +
                      "kubectl create clusterrolebinding platform-admins --clusterrole=cluster-admin --group=platform-admins, then replace " +
                      "system:masters with platform-admins in the entry (eksctl create iamidentitymapping --cluster <cluster> --arn <role-arn> " +
                      "--username <name>:{{SessionName}} --group platform-admins after eksctl delete iamidentitymapping --arn <role-arn>). " +
                      "Better: move to access entries (EKS-IAM-001). Keep a single break-glass role only if you must, and list it in BreakGlassRoleArns.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_the_aws_auth_configmap_deprecated",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_create_the_cluster_with_a_dedicated_iam_role",
            "https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
        ],
        Frameworks = ["CIS EKS 1.5.0 4.1.7", "CIS EKS 1.2.0 4.1.7", "Kubescape C-0246"],
        Reads = [SnapshotSection.ConfigMaps],
        Tags = ["cis", "aws-auth", "rbac", "admin"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var awsAuth = context.Index.AwsAuth;
        if (!awsAuth.Exists) yield break;
        var resource = new ResourceRef("ConfigMap", AwsAuthConfig.Namespace, AwsAuthConfig.Name);

        var masters = awsAuth.All.Where(m => m.Groups.Any(g => g.Trim() == MastersGroup)).ToList();
        var allowed = masters.Where(m => IsBreakGlass(m, context.Settings)).ToList();
        var offending = masters.Except(allowed).ToList();

        var evidence = new List<string>();
        evidence.AddRange(offending.Select(m => $"{Where(m)} {m.Arn ?? "(no arn)"} groups = {Rbac.List(m.Groups)}"));
        evidence.AddRange(allowed.Select(m => $"{Where(m)} {m.Arn} groups = {Rbac.List(m.Groups)} (allowed by BreakGlassRoleArns)"));
        evidence.AddRange(awsAuth.ParseErrors.Select(e => $"parse error: {e}"));

        if (offending.Count > 0)
        {
            yield return context.Fail(resource,
                $"aws-auth maps {offending.Count} principal(s) to system:masters: {string.Join(", ", offending.Select(m => m.Arn ?? "(no arn)"))}.", evidence);
        }
        else if (awsAuth.ParseErrors.Count > 0)
        {
            // What could not be parsed may hold a system:masters mapping: never a pass.
            yield return context.Error(resource,
                $"aws-auth could not be fully parsed, so it cannot be shown to be free of system:masters mappings: {awsAuth.ParseErrors[0]}", evidence);
        }
        else if (allowed.Count > 0)
        {
            yield return context.Finding(FindingStatus.Suppressed, resource,
                $"aws-auth maps only the allow-listed break-glass role(s) {string.Join(", ", allowed.Select(m => m.Arn))} to system:masters (setting BreakGlassRoleArns).", evidence);
        }
        else
        {
            evidence.Add($"mapRoles: {awsAuth.Roles.Count} entries, mapUsers: {awsAuth.Users.Count} entries; none has group system:masters");
            yield return context.Pass(resource, "No aws-auth mapping grants system:masters.", evidence);
        }
    }

    private static bool IsBreakGlass(AwsAuthMapping mapping, RuleSettings settings) =>
        mapping.Source == "mapRoles" && mapping.Arn is { } arn && settings.BreakGlassRoleArns.Contains(arn.Trim());

    internal static string Where(AwsAuthMapping m) => $"{m.Source} (line {m.Line})";
}
