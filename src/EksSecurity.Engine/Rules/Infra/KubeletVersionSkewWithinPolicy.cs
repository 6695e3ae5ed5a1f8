using System.Globalization;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-003: every node's kubelet is within the allowed number of minor versions behind the control plane, and on a supported minor.</summary>
public sealed class KubeletVersionSkewWithinPolicy : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-003",
        Title = "Kubelet version skew within policy",
        Severity = Severity.Medium,
        Area = RuleArea.Infra,
        Rationale = "Kubernetes supports a kubelet up to three minor versions older than the API server (two before 1.28), and never a newer one. " +
                    "Beyond that, behaviour is untested and the next control-plane upgrade can break the node. A kubelet on a minor version EKS no " +
                    "longer supports also stops receiving security fixes for the kubelet and the container runtime it drives.",
        Remediation = "Upgrade the nodes to the control plane's minor version: managed node groups with aws eks update-nodegroup-version --cluster-name " +
                      "<cluster> --nodegroup-name <name> --kubernetes-version <version>; Karpenter by updating the EC2NodeClass AMI selector (or letting " +
                      "drift replace nodes); self-managed nodes by rolling their Auto Scaling group onto a new AMI. Fargate pods pick up the new " +
                      "version when they are restarted (kubectl rollout restart).",
        References =
        [
            "https://kubernetes.io/releases/version-skew-policy/#kubelet",
            "https://docs.aws.amazon.com/eks/latest/best-practices/cluster-upgrades.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html",
        ],
        Frameworks = ["Kubescape C-0273"],
        Reads = [SnapshotSection.Nodes],
        OptionallyReads = [SnapshotSection.Cluster, SnapshotSection.ServerVersion, SnapshotSection.ClusterVersions],
        ClusterWide = true,
        Tags = ["version", "upgrade", "nodes", "kubelet", "lifecycle"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var nodes = context.Kubernetes.Nodes!.All;
        if (nodes.Count == 0) yield break;
        if (NodeFacts.ControlPlaneMinor(context) is not { } cp)
        {
            var cluster = context.Snapshot.DescribeSection(SnapshotSection.Cluster);
            var server = context.Snapshot.DescribeSection(SnapshotSection.ServerVersion);
            yield return context.Error(context.Cluster, "The control plane's version is unknown, so the kubelets' version skew cannot be judged.",
                [$"section Cluster: {cluster.Status}", $"section ServerVersion: {server.Status}"]);
            yield break;
        }
        var cpMinor = cp.Minor;
        var allowed = context.Settings.KubeletMaxMinorVersionSkew ?? (cpMinor >= 28 ? 3 : 2);
        var allowedSource = context.Settings.KubeletMaxMinorVersionSkew is null
            ? $"{allowed} (Kubernetes version skew policy for control plane 1.{cpMinor})"
            : $"{allowed} (KubeletMaxMinorVersionSkew)";
        var calendar = context.Has(SnapshotSection.ClusterVersions) ? context.Aws.ClusterVersions!.All : null;
        var now = context.Snapshot.CollectedAt;

        foreach (var node in nodes)
        {
            var resource = NodeFacts.Ref(node);
            var name = NodeFacts.Name(node);
            var kubelet = node.Status?.NodeInfo?.KubeletVersion;
            var evidence = new List<string> { cp.Source, $"status.nodeInfo.kubeletVersion = {kubelet ?? "(absent)"}", $"allowed skew = {allowedSource}" };
            if (RuleContext.ParseMinor(kubelet) is not { } nodeMinor)
            {
                yield return context.Error(resource, $"Node {name} reports no readable kubelet version; its skew cannot be judged.", evidence);
                continue;
            }
            var fargate = NodeFacts.IsFargate(node) ? " Restart its pod to move it to the current version." : "";
            var behind = cpMinor - nodeMinor;
            evidence.Add($"skew = {behind.ToString(CultureInfo.InvariantCulture)} minor version(s)");
            if (behind < 0)
            {
                yield return context.Fail(resource, $"Node {name} runs kubelet {kubelet}, newer than the control plane (1.{cpMinor}): Kubernetes does not support that.", evidence);
                continue;
            }
            if (behind > allowed)
            {
                yield return context.Fail(resource, $"Node {name} runs kubelet {kubelet}, {behind} minor versions behind the control plane (1.{cpMinor}); at most {allowed} are allowed.{fargate}", evidence);
                continue;
            }
            if (Unsupported(calendar, nodeMinor, now, evidence) is { } why)
            {
                yield return context.Fail(resource, $"Node {name} runs kubelet {kubelet}: {why}.{fargate}", evidence);
                continue;
            }
            yield return context.Pass(resource, behind == 0
                ? $"Node {name} runs the control plane's minor version ({kubelet})."
                : $"Node {name} runs kubelet {kubelet}, {behind} minor version(s) behind the control plane (1.{cpMinor}), within the allowed {allowed}.", evidence);
        }
    }

    /// <summary>Why EKS no longer supports this minor, from the version calendar; null when it does, or when the calendar is not collected.</summary>
    private static string? Unsupported(IReadOnlyList<Aws.Model.EksClusterVersion>? calendar, int minor, DateTimeOffset? now, List<string> evidence)
    {
        if (calendar is null || calendar.Count == 0) return null;
        var version = $"1.{minor}";
        var entry = calendar.FirstOrDefault(v => v.ClusterVersion?.Trim() == version && (v.ClusterType is null || v.ClusterType.Equals("eks", StringComparison.OrdinalIgnoreCase)))
                    ?? calendar.FirstOrDefault(v => v.ClusterVersion?.Trim() == version);
        if (entry is null)
        {
            var oldest = calendar.Select(v => RuleContext.ParseMinor(v.ClusterVersion)).OfType<int>().DefaultIfEmpty(int.MaxValue).Min();
            if (minor < oldest)
            {
                evidence.Add($"the EKS version calendar starts at 1.{oldest}");
                return $"Kubernetes {version} is older than every version in the EKS version calendar";
            }
            return null;
        }
        evidence.Add($"clusterVersions[{version}].versionStatus = {entry.VersionStatus ?? "(absent)"}");
        if (string.Equals(entry.VersionStatus, "UNSUPPORTED", StringComparison.OrdinalIgnoreCase))
            return $"Kubernetes {version} is no longer supported by EKS";
        if (now is { } t && entry.EndOfExtendedSupportDate is { } end && end <= t)
        {
            evidence.Add($"clusterVersions[{version}].endOfExtendedSupportDate = {NodeFacts.Day(end)}");
            return $"Kubernetes {version} is past the end of EKS extended support";
        }
        return null;
    }
}
