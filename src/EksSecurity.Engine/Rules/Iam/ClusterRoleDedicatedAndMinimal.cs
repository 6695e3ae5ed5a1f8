using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-039: the cluster IAM role trusts only EKS and carries only the EKS managed policies.</summary>
public sealed class ClusterRoleDedicatedAndMinimal : Rule
{
    internal const string EksService = "eks.amazonaws.com";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-039",
        Title = "Cluster IAM role is dedicated and minimal",
        Severity = Severity.Low,
        Area = RuleArea.Iam,
        Rationale = "The control plane acts in the account with the cluster IAM role. Extra policies on it widen what a control-plane compromise or a " +
                    "confused-deputy request can reach, and a trust policy that lets other principals assume it hands them the cluster's AWS permissions. " +
                    "A role used only by EKS, with only the policies EKS documents, keeps that blast radius known.",
        Remediation = "Give the cluster a role of its own that trusts only eks.amazonaws.com (aws iam update-assume-role-policy --role-name <role> " +
                      "--policy-document file://eks-trust.json) and detach everything else: aws iam detach-role-policy --role-name <role> --policy-arn <arn>, " +
                      "aws iam delete-role-policy --role-name <role> --policy-name <name>. Keep arn:aws:iam::aws:policy/AmazonEKSClusterPolicy " +
                      "(plus the AmazonEKS Compute, BlockStorage, LoadBalancing and Networking policies on Auto Mode).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_create_the_cluster_with_a_dedicated_iam_role",
            "https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Cluster, SnapshotSection.IamRoles],
        Tags = ["aws", "iam", "least-privilege", "cluster-role"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        var roleArn = cluster?.RoleArn?.Trim();
        if (string.IsNullOrEmpty(roleArn))
        {
            yield return context.Error(context.Cluster, "The cluster description names no roleArn; the cluster IAM role cannot be judged.", ["roleArn = (absent)"]);
            yield break;
        }
        var resource = new ResourceRef("IamRole", null, roleArn);
        var parsed = IamPrincipalArn.Parse(roleArn);
        var role = context.Aws.IamRoles!.All.FirstOrDefault(r =>
            string.Equals(r.Arn?.Trim(), roleArn, StringComparison.Ordinal) ||
            (parsed is not null && IamPrincipalArn.Parse(r.Arn) is { } p && p.SameEntity(parsed)));
        if (role is null)
        {
            yield return context.Error(resource, $"The cluster IAM role {roleArn} was not looked up in IAM; it cannot be judged.", [$"roleArn = {roleArn}", "IamRoles has no entry for it"]);
            yield break;
        }
        if (role.NoSuchEntity == true)
        {
            yield return context.Fail(resource, $"The cluster IAM role {roleArn} no longer exists: the control plane cannot act in the account, and anyone who recreates the name decides what it may do.",
                [$"roleArn = {roleArn}", "iam:GetRole: NoSuchEntity"]);
            yield break;
        }

        var autoMode = cluster!.ComputeConfig?.Enabled == true;
        var allowed = context.Settings.ClusterRoleAllowedPolicies
            .Concat(autoMode ? context.Settings.ClusterRoleAutoModePolicies : [])
            .ToHashSet(StringComparer.Ordinal);
        var evidence = new List<string>
        {
            $"roleArn = {roleArn}",
            $"computeConfig.enabled = {(autoMode ? "true (Auto Mode)" : cluster.ComputeConfig?.Enabled is false ? "false" : "(absent)")}",
        };
        var problems = new List<string>();
        var unknown = new List<string>();

        if (role.AttachedPolicies is null) unknown.Add("attached policies were not listed (iam:ListAttachedRolePolicies)");
        else
        {
            evidence.Add($"attached policies = {Rbac.List(role.AttachedPolicies.Select(p => p.PolicyArn ?? p.PolicyName ?? "(unnamed)"))}");
            var extra = role.AttachedPolicies.Where(p => AwsManagedName(p.PolicyArn) is not { } name || !allowed.Contains(name)).ToList();
            if (extra.Count > 0) problems.Add($"{extra.Count} attached polic{(extra.Count == 1 ? "y" : "ies")} beyond the EKS ones: {string.Join(", ", extra.Select(p => p.PolicyArn ?? p.PolicyName))}");
        }
        if (role.InlinePolicies is null) unknown.Add("inline policies were not listed (iam:ListRolePolicies)");
        else if (role.InlinePolicies.Count > 0)
        {
            evidence.Add($"inline policies = {Rbac.List(role.InlinePolicies.Select(p => p.PolicyName ?? "(unnamed)"))}");
            problems.Add($"{role.InlinePolicies.Count} inline polic{(role.InlinePolicies.Count == 1 ? "y" : "ies")}: {string.Join(", ", role.InlinePolicies.Select(p => p.PolicyName))}");
        }

        if (string.IsNullOrWhiteSpace(role.AssumeRolePolicyDocument)) unknown.Add("the trust policy was not collected");
        else if (!AwsPolicyStatements.TryParse(role.AssumeRolePolicyDocument, out var statements, out var error)) unknown.Add($"the trust policy could not be read: {error}");
        else
        {
            var foreign = statements.Where(s => s.IsAllow && (s.HasNotPrincipal || s.Principals.Count == 0 || s.Principals.Any(p => !(p.Type == "Service" && p.Value == EksService)))).ToList();
            evidence.AddRange(statements.Where(s => s.IsAllow).Select(s => "trust " + s.Describe()));
            if (foreign.Count > 0)
                problems.Add($"the trust policy lets principals other than {EksService} assume it: " +
                             string.Join("; ", foreign.Select(s => s.HasNotPrincipal ? $"{s.Name} uses NotPrincipal" : $"{s.Name} trusts {string.Join(", ", s.Principals.Where(p => !(p.Type == "Service" && p.Value == EksService)))}")));
        }

        if (problems.Count > 0)
            yield return context.Fail(resource, $"The cluster IAM role is not dedicated and minimal: {string.Join("; ", problems)}.",
                evidence.Concat(unknown.Select(u => "not judged: " + u)));
        else if (unknown.Count > 0)
            yield return context.Error(resource, $"The cluster IAM role could not be fully judged: {string.Join("; ", unknown)}.", evidence);
        else
            yield return context.Pass(resource, $"The cluster IAM role trusts only {EksService} and carries only the EKS managed policies.", evidence);
    }

    /// <summary>The policy name of an AWS managed policy ARN (arn:partition:iam::aws:policy/...); null for customer managed policies.</summary>
    internal static string? AwsManagedName(string? policyArn)
    {
        if (string.IsNullOrWhiteSpace(policyArn)) return null;
        var parts = policyArn.Trim().Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[4] != "aws" || !parts[5].StartsWith("policy/", StringComparison.Ordinal)) return null;
        return parts[5][(parts[5].LastIndexOf('/') + 1)..];
    }
}
