using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Kubernetes.NetworkPolicies;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-020: every SecurityGroupPolicy takes effect and is tight: security groups for pods are on (ENABLE_POD_ENI on aws-node,
/// or EKS Auto Mode on Kubernetes 1.36 or later), it has a selector and security groups, each group exists and allows no ingress from
/// 0.0.0.0/0 or ::/0; it warns when the policy selects no running pod. One finding per SecurityGroupPolicy.
/// </summary>
public sealed class SecurityGroupPoliciesValidAndTight : Rule
{
    /// <summary>The first Kubernetes minor on which EKS Auto Mode applies SecurityGroupPolicies.</summary>
    private const int AutoModeSgpMinor = 36;

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-020",
        Title = "SecurityGroupPolicies are valid and tight",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "A SecurityGroupPolicy gives the pods it selects a network interface of their own with the listed security groups, usually " +
                    "so that only they can reach a database or another AWS service. It is accepted by the API server even when nothing acts on it: " +
                    "with ENABLE_POD_ENI off on the VPC CNI, or with a security group that was deleted, the pods silently keep the node's " +
                    "security groups and access. A listed group that allows ingress from 0.0.0.0/0 or ::/0 opens those pods to anyone who can " +
                    "route to them, and a policy that selects no pod is either stale or has a selector that does not match what it was meant for.",
        Remediation = "Turn security groups for pods on: aws eks update-addon --cluster-name <cluster> --addon-name vpc-cni --resolve-conflicts PRESERVE " +
                      "--configuration-values '{\"env\": {\"ENABLE_POD_ENI\": \"true\"}}' (or kubectl set env daemonset aws-node -n kube-system " +
                      "ENABLE_POD_ENI=true), with the AmazonEKSVPCResourceController policy on the cluster role and Nitro instance types. List " +
                      "only existing groups (aws ec2 describe-security-groups --group-ids <sg>; New-EksSecurityGroupPolicy writes a policy with " +
                      "checked ids), replace ingress from 0.0.0.0/0 or ::/0 with the sources that need it (aws ec2 revoke-security-group-ingress " +
                      "--group-id <sg> --protocol tcp --port <port> --cidr 0.0.0.0/0, then authorize-security-group-ingress --source-group " +
                      "<trusted-sg>), and fix or delete policies whose podSelector or serviceAccountSelector matches no pod " +
                      "(kubectl delete securitygrouppolicy <name> -n <ns>). Pods pick up a changed policy when they are recreated.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/sgpp.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_security_groups",
            "https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/sg-pods-example-deployment.html",
        ],
        Reads = [SnapshotSection.SecurityGroupPolicies],
        OptionallyReads = [SnapshotSection.DaemonSets, SnapshotSection.Cluster, SnapshotSection.SecurityGroups, SnapshotSection.Pods, SnapshotSection.ServiceAccounts],
        ClusterWide = true,
        Tags = ["aws", "network", "security-groups", "security-groups-for-pods", "vpc-cni"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var policies = context.Kubernetes.SecurityGroupPolicies!.All;
        if (policies.Count == 0) yield break;
        var (podEniProblem, podEniUnknown, podEniEvidence) = PodEni(context);
        var groups = context.Has(SnapshotSection.SecurityGroups)
            ? context.Aws.SecurityGroups!.All.Where(g => g.GroupId is not null).GroupBy(g => g.GroupId!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : null;
        foreach (var policy in policies)
            yield return Judge(context, policy, podEniProblem, podEniUnknown, podEniEvidence, groups);
    }

    /// <summary>Whether anything applies SecurityGroupPolicies: a problem (nothing does), or why it is unknown, and what was seen.</summary>
    private static (string? Problem, string? Unknown, string Evidence) PodEni(RuleContext context)
    {
        var awsNode = AwsNodeEnvironment.Of(context);
        if (awsNode.Missing is not null) return (null, awsNode.Missing, $"DaemonSet {awsNode.Name}: not known");
        if (awsNode.DaemonSet is not null)
        {
            var setting = awsNode.Read(AwsNodeEnvironment.EnablePodEni);
            var evidence = $"{awsNode.Name} container {AwsNodeEnvironment.Container}: {setting}";
            if (!setting.IsKnown) return (null, $"{AwsNodeEnvironment.EnablePodEni} could not be read: {setting.Unknown}", evidence);
            return AwsNodeEnvironment.IsTrue(setting)
                ? (null, null, evidence)
                : ($"security groups for pods are off ({AwsNodeEnvironment.EnablePodEni} is {(setting.Value is null ? "unset, false by default" : $"'{setting.Value}'")} on {awsNode.Name}), so the policy does nothing", null, evidence);
        }
        if (!context.Has(SnapshotSection.Cluster))
            return (null, $"{awsNode.Name} does not run and the cluster description (EKS Auto Mode or not) was not collected", $"DaemonSet {awsNode.Name}: absent");
        if (context.Aws.Cluster!.Value?.ComputeConfig?.Enabled != true)
            return ($"the Amazon VPC CNI does not run ({awsNode.Name} is absent) and the cluster is not EKS Auto Mode: nothing applies the policy", null, $"DaemonSet {awsNode.Name}: absent");
        var minor = context.KubernetesMinor;
        var autoEvidence = $"DaemonSet {awsNode.Name}: absent; EKS Auto Mode, Kubernetes 1.{minor?.ToString() ?? "?"}";
        if (minor is null) return (null, "the Kubernetes version of this EKS Auto Mode cluster is not known", autoEvidence);
        return minor >= AutoModeSgpMinor
            ? (null, null, autoEvidence + " (Auto Mode applies SecurityGroupPolicies)")
            : ($"EKS Auto Mode applies SecurityGroupPolicies from Kubernetes 1.{AutoModeSgpMinor} on; this cluster runs 1.{minor}, so the policy does nothing", null, autoEvidence);
    }

    private static EksSecurityFinding Judge(RuleContext context, SecurityGroupPolicy policy, string? podEniProblem, string? podEniUnknown, string podEniEvidence,
        Dictionary<string, Ec2SecurityGroup>? groups)
    {
        var resource = ResourceRef.Of("SecurityGroupPolicy", policy.Metadata);
        var ns = policy.Metadata?.NamespaceProperty ?? "";
        var name = $"{ns}/{policy.Metadata?.Name}";
        var problems = new List<string>();
        var unknown = new List<string>();
        var evidence = new List<string> { podEniEvidence };
        if (podEniProblem is not null) problems.Add(podEniProblem);
        if (podEniUnknown is not null) unknown.Add(podEniUnknown);

        // The security groups: present, existing, closed to the internet.
        var ids = (policy.Spec?.SecurityGroups?.GroupIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id.Trim()).Distinct(StringComparer.Ordinal).ToList();
        evidence.Add($"securityGroups.groupIds: {(ids.Count == 0 ? "(none)" : string.Join(", ", ids))}");
        if (ids.Count == 0) problems.Add("it lists no security group, so the VPC resource controller ignores it");
        else if (groups is null)
            unknown.Add($"the security groups were not collected (section SecurityGroups {context.Snapshot.DescribeSection(SnapshotSection.SecurityGroups).Status})");
        else
        {
            foreach (var id in ids)
            {
                if (!groups.TryGetValue(id, out var group))
                {
                    problems.Add($"security group {id} does not exist (ec2:DescribeSecurityGroups did not return it), so pods cannot get their interface");
                    continue;
                }
                var open = (group.IpPermissions ?? [])
                    .SelectMany(p => (p.IpRanges ?? []).Select(r => r.CidrIp).Concat((p.Ipv6Ranges ?? []).Select(r => r.CidrIpv6))
                        .Where(ClusterSecurityGroupsNotOpenToInternet.IsInternet).Select(c => $"{ClusterSecurityGroupsNotOpenToInternet.Ports(p)} from {c!.Trim()}"))
                    .Distinct().ToList();
                evidence.Add($"{id} ({group.GroupName ?? "(no name)"}): {(group.IpPermissions ?? []).Count} ingress rule(s)" + (open.Count > 0 ? $", open to the internet: {string.Join(", ", open)}" : ""));
                if (open.Count > 0) problems.Add($"security group {id} allows ingress from the internet ({string.Join(", ", open)})");
            }
        }

        // The selectors, and the pods they select.
        var podSelector = policy.Spec?.PodSelector;
        var accountSelector = policy.Spec?.ServiceAccountSelector;
        evidence.Add($"podSelector: {(podSelector is null ? "(none)" : LabelSelectors.Describe(podSelector))}; serviceAccountSelector: {(accountSelector is null ? "(none)" : LabelSelectors.Describe(accountSelector))}");
        int? selected = null;
        if (podSelector is null && accountSelector is null)
            problems.Add("it has neither a podSelector nor a serviceAccountSelector, so the VPC resource controller ignores it");
        else if (!context.Has(SnapshotSection.Pods))
            unknown.Add($"which pods it selects is unknown: pods were not collected (section Pods {context.Snapshot.DescribeSection(SnapshotSection.Pods).Status})");
        else if (accountSelector is not null && !context.Has(SnapshotSection.ServiceAccounts))
            unknown.Add($"which pods it selects is unknown: its serviceAccountSelector matches ServiceAccount labels, and ServiceAccounts were not collected");
        else
        {
            var matched = Selected(context, ns, podSelector, accountSelector);
            selected = matched.Count;
            evidence.Add(matched.Count == 0
                ? $"selects no running pod in namespace {ns}"
                : $"selects {matched.Count} running pod(s): {string.Join(", ", matched.Take(10))}" + (matched.Count > 10 ? $" and {matched.Count - 10} more" : ""));
        }

        if (problems.Count > 0)
            return context.Fail(resource, $"SecurityGroupPolicy {name}: {string.Join("; ", problems)}.", evidence.Concat(unknown.Select(u => "unknown: " + u)));
        if (unknown.Count > 0)
            return context.Error(resource, $"SecurityGroupPolicy {name} could not be fully judged: {string.Join("; ", unknown)}.", evidence);
        if (selected == 0)
            return context.Warn(resource, $"SecurityGroupPolicy {name} selects no running pod in namespace {ns}: it is stale, or its selector does not match the pods it was written for.", evidence);
        return context.Pass(resource, $"SecurityGroupPolicy {name} applies {ids.Count} existing security group(s), none open to the internet, to {selected} pod(s).", evidence);
    }

    /// <summary>
    /// The running pods on the pod network of the namespace that the policy selects, as the VPC resource controller matches them: each
    /// selector that is present must match (podSelector the pod's labels, serviceAccountSelector the labels of the pod's ServiceAccount).
    /// </summary>
    private static List<string> Selected(RuleContext context, string ns, V1LabelSelector? podSelector, V1LabelSelector? accountSelector)
    {
        var accounts = context.Has(SnapshotSection.ServiceAccounts)
            ? context.Kubernetes.ServiceAccounts!.All.Where(a => a.Metadata?.NamespaceProperty == ns && a.Metadata?.Name is not null)
                .GroupBy(a => a.Metadata!.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : [];
        var empty = new Dictionary<string, string>(StringComparer.Ordinal);
        return context.Index.PodsByNamespace[ns]
            .Where(p => p.Spec?.HostNetwork != true && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .Where(p => podSelector is null || LabelSelectors.Matches(podSelector, (IReadOnlyDictionary<string, string>?)p.Metadata?.Labels?.AsReadOnly() ?? empty))
            .Where(p => accountSelector is null || LabelSelectors.Matches(accountSelector,
                (IReadOnlyDictionary<string, string>?)accounts.GetValueOrDefault(p.Spec?.ServiceAccountName ?? "default")?.Metadata?.Labels?.AsReadOnly() ?? empty))
            .Select(p => p.Metadata?.Name ?? "(unnamed)")
            .ToList();
    }
}
