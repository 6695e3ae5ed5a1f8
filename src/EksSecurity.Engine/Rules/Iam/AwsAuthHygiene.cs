using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-005: the aws-auth ConfigMap parses, maps roles rather than users or accounts, and keeps audit attribution.</summary>
public sealed class AwsAuthHygiene : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-005",
        Title = "aws-auth hygiene",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "aws-auth is hand-edited YAML that decides who gets into the cluster: a malformed entry can lock administrators out or be silently ignored, " +
                    "and entries that the authenticator cannot match (role ARNs with a path, duplicates) hide what access really exists. " +
                    "Mapping whole accounts or individual IAM users grants access too broadly and too durably, and a shared role without {{SessionName}} " +
                    "in its username makes every person who assumes it look the same in the Kubernetes audit trail.",
        Remediation = "Edit the map with a tool that validates it (eksctl get iamidentitymapping --cluster <cluster>; eksctl delete/create iamidentitymapping), " +
                      "or kubectl edit configmap aws-auth -n kube-system and: fix the YAML at the reported line; remove mapAccounts; replace each mapUsers " +
                      "entry with a role the users assume; keep one entry per rolearn; write role ARNs without their path " +
                      "(arn:aws:iam::<account>:role/<name>); give human roles a username such as <name>:{{SessionName}}. " +
                      "Better: move to access entries (EKS-IAM-001).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_use_iam_roles_when_multiple_users_need_identical_access_to_the_cluster",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_if_relying_on_aws_auth_configmap_use_tools_to_make_changes",
            "https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html",
            "https://github.com/kubernetes-sigs/aws-iam-authenticator#full-configuration-format",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.ConfigMaps],
        Tags = ["aws-auth", "authentication", "audit"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var awsAuth = context.Index.AwsAuth;
        if (!awsAuth.Exists) yield break;
        var resource = new ResourceRef("ConfigMap", AwsAuthConfig.Namespace, AwsAuthConfig.Name);

        var problems = new List<string>();
        var evidence = new List<string>();
        void Problem(string summary, IEnumerable<string> details)
        {
            problems.Add(summary);
            evidence.AddRange(details);
        }

        if (awsAuth.ParseErrors.Count > 0)
            Problem($"YAML parse error in {Position(awsAuth.ParseErrors[0])}" + (awsAuth.ParseErrors.Count > 1 ? $" and {awsAuth.ParseErrors.Count - 1} more" : ""),
                awsAuth.ParseErrors.Select(e => $"parse error: {e}"));

        if (awsAuth.Accounts.Count > 0)
            Problem($"mapAccounts maps {awsAuth.Accounts.Count} account(s)",
                [$"mapAccounts = [{string.Join(", ", awsAuth.Accounts.Select(a => a.Trim()))}] (every IAM user of these accounts can authenticate)"]);
        else if (awsAuth.HasMapAccounts)
            evidence.Add("mapAccounts is present but empty");

        if (awsAuth.Users.Count > 0)
            Problem($"mapUsers has {awsAuth.Users.Count} entr{(awsAuth.Users.Count == 1 ? "y" : "ies")}",
                awsAuth.Users.Select(u => $"{NoSystemMastersInAwsAuth.Where(u)} userarn = {u.Arn ?? "(none)"}"));

        var missingArn = awsAuth.All.Where(m => string.IsNullOrWhiteSpace(m.Arn)).ToList();
        if (missingArn.Count > 0)
            Problem($"{missingArn.Count} entr{(missingArn.Count == 1 ? "y has" : "ies have")} no ARN",
                missingArn.Select(m => $"{NoSystemMastersInAwsAuth.Where(m)}: no {(m.Source == "mapUsers" ? "userarn" : "rolearn")}"));

        var duplicates = awsAuth.Roles.Where(r => !string.IsNullOrWhiteSpace(r.Arn))
            .GroupBy(r => r.Arn!.Trim(), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).ToList();
        if (duplicates.Count > 0)
            Problem($"{duplicates.Count} duplicate rolearn(s)",
                duplicates.Select(g => $"rolearn {g.Key} appears {g.Count()} times (lines {string.Join(", ", g.Select(r => r.Line))})"));

        var withPath = awsAuth.Roles.Where(r => RolePath(r.Arn) is not null).ToList();
        if (withPath.Count > 0)
            Problem($"{withPath.Count} role ARN(s) carry a path",
                withPath.Select(r => $"{NoSystemMastersInAwsAuth.Where(r)} rolearn = {r.Arn} has path /{RolePath(r.Arn)}/ (the authenticator compares ARNs without the path, so this entry never matches)"));

        var anonymousHumans = awsAuth.Roles.Where(r => IsHumanRole(r) && !HasSessionName(r.Username)).ToList();
        if (anonymousHumans.Count > 0)
            Problem($"{anonymousHumans.Count} role mapping(s) without {{{{SessionName}}}} in the username",
                anonymousHumans.Select(r => $"{NoSystemMastersInAwsAuth.Where(r)} rolearn = {r.Arn ?? "(none)"} username = {r.Username ?? "(not set)"}"));

        if (problems.Count > 0)
        {
            yield return context.Fail(resource, $"aws-auth has {problems.Count} hygiene problem(s): {string.Join("; ", problems)}.", evidence);
            yield break;
        }
        evidence.Add($"mapRoles: {awsAuth.Roles.Count} entries, mapUsers: 0 entries, mapAccounts: none");
        yield return context.Pass(resource, "aws-auth parses, maps roles only, without duplicates or paths, and human roles carry {{SessionName}}.", evidence);
    }

    /// <summary>"mapRoles line 3, column 7" from a parser message "mapRoles line 3, column 7: ...".</summary>
    private static string Position(string error)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? error[..colon] : error;
    }

    /// <summary>The path of a role ARN (arn:aws:iam::1:role/team/admin → "team"), or null when it has none.</summary>
    internal static string? RolePath(string? arn)
    {
        if (arn is null) return null;
        var parts = arn.Trim().Split(':', 6);
        if (parts.Length < 6 || parts[2] != "iam" || !parts[5].StartsWith("role/", StringComparison.Ordinal)) return null;
        var rest = parts[5]["role/".Length..];
        var slash = rest.LastIndexOf('/');
        return slash > 0 ? rest[..slash] : null;
    }

    /// <summary>Roles people assume: not node or Fargate roles, not AWS service-linked roles.</summary>
    internal static bool IsHumanRole(AwsAuthMapping mapping)
    {
        if (mapping.Groups.Any(g => g.Trim() is "system:bootstrappers" or "system:nodes")) return false;
        if (mapping.Username?.StartsWith("system:node:", StringComparison.Ordinal) == true) return false;
        var name = mapping.Arn?.Split('/').LastOrDefault() ?? "";
        return !name.StartsWith("AWSServiceRoleFor", StringComparison.Ordinal);
    }

    private static bool HasSessionName(string? username) =>
        username is not null && (username.Contains("{{SessionName}}", StringComparison.Ordinal) || username.Contains("{{SessionNameRaw}}", StringComparison.Ordinal));
}
