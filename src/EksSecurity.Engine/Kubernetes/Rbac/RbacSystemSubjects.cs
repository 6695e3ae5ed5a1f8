using System.Runtime.CompilerServices;
using EksSecurity.Engine.Rules;

namespace EksSecurity.Engine.Kubernetes.Rbac;

/// <summary>
/// Which RBAC subjects are the platform's own: Kubernetes control-plane identities, EKS's
/// identities, and the ServiceAccounts of the control-plane controllers and EKS add-ons. Rules
/// that judge "non-system subjects" skip them. Patterns are "Kind:name" ("ServiceAccount:ns/name"
/// for ServiceAccounts), with <c>*</c> and <c>?</c> wildcards, as in the other allow-lists of
/// <see cref="RuleSettings"/>.
/// </summary>
public static class RbacSystemSubjects
{
    /// <summary>The kube-controller-manager controllers that run as ServiceAccounts in kube-system (--use-service-account-credentials, as EKS runs it).</summary>
    private static readonly string[] ControllerServiceAccounts =
    [
        "attachdetach-controller", "bootstrap-signer", "certificate-controller", "clusterrole-aggregation-controller",
        "cronjob-controller", "daemon-set-controller", "deployment-controller", "disruption-controller", "endpoint-controller",
        "endpointslice-controller", "endpointslicemirroring-controller", "ephemeral-volume-controller", "expand-controller",
        "generic-garbage-collector", "horizontal-pod-autoscaler", "job-controller", "kube-controller-manager",
        "legacy-service-account-token-cleaner", "namespace-controller", "node-controller", "persistent-volume-binder",
        "pod-garbage-collector", "pv-protection-controller", "pvc-protection-controller", "replicaset-controller",
        "replication-controller", "resourcequota-controller", "root-ca-cert-publisher", "route-controller",
        "service-account-controller", "service-cidrs-controller", "service-controller", "statefulset-controller",
        "token-cleaner", "ttl-after-finished-controller", "ttl-controller", "validatingadmissionpolicy-status-controller",
        "volumeattributesclass-protection-controller", "selinux-warning-controller", "resource-claim-controller",
        "cloud-provider", "kube-scheduler",
    ];

    /// <summary>ServiceAccounts of the add-ons EKS installs or offers as EKS add-ons, by namespace.</summary>
    private static readonly string[] AddonServiceAccounts =
    [
        "kube-system/aws-node", "kube-system/kube-proxy", "kube-system/coredns", "kube-system/vpc-resource-controller",
        "kube-system/eks-vpc-resource-controller", "kube-system/ebs-csi-controller-sa", "kube-system/ebs-csi-node-sa",
        "kube-system/efs-csi-controller-sa", "kube-system/efs-csi-node-sa", "kube-system/fsx-csi-controller-sa",
        "kube-system/fsx-csi-node-sa", "kube-system/s3-csi-driver-sa", "kube-system/snapshot-controller",
        "kube-system/eks-pod-identity-agent", "kube-system/eks-node-monitoring-agent", "kube-system/metrics-server",
        "amazon-guardduty/aws-guardduty-agent", "amazon-cloudwatch/cloudwatch-agent",
    ];

    /// <summary>
    /// The default system subjects: every system:* and eks:* user and group (Kubernetes and EKS
    /// components, nodes, system:masters), and the ServiceAccounts of the control-plane controllers
    /// and of the EKS add-ons.
    /// </summary>
    public static IReadOnlyList<string> Defaults { get; } =
    [
        "User:system:*", "Group:system:*", "User:eks:*", "Group:eks:*",
        .. ControllerServiceAccounts.Select(n => $"ServiceAccount:kube-system/{n}"),
        .. AddonServiceAccounts.Select(n => $"ServiceAccount:{n}"),
    ];

    /// <summary>
    /// Subjects that are never system ones, even though their names start with system:. They stand
    /// for everyone, for unauthenticated callers, or for every workload: a right granted to them is
    /// granted to people and applications, not to the platform.
    /// </summary>
    public static IReadOnlyList<string> NeverSystem { get; } =
    [
        "User:system:anonymous", "Group:system:unauthenticated", "Group:system:authenticated",
        "Group:system:serviceaccounts", "Group:system:serviceaccounts:*",
    ];

    private static readonly ConditionalWeakTable<IReadOnlyList<string>, Matcher> s_matchers = new();

    /// <summary>True when <paramref name="subject"/> matches <paramref name="system"/> and not <paramref name="neverSystem"/>.</summary>
    public static bool IsSystem(RbacSubject subject, IReadOnlyList<string> system, IReadOnlyList<string> neverSystem)
    {
        var key = subject.Key;
        return !MatcherFor(neverSystem).IsMatch(key) && MatcherFor(system).IsMatch(key);
    }

    private static Matcher MatcherFor(IReadOnlyList<string> patterns) => s_matchers.GetValue(patterns, p => new Matcher(p));

    /// <summary>Exact patterns in a hash set, wildcard ones tried in order: most subjects are decided by one look-up.</summary>
    private sealed class Matcher
    {
        private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
        private readonly List<string> _wildcards = [];

        public Matcher(IReadOnlyList<string> patterns)
        {
            foreach (var p in patterns)
            {
                if (string.IsNullOrEmpty(p)) continue;
                if (p.Contains('*') || p.Contains('?')) _wildcards.Add(p);
                else _exact.Add(p);
            }
        }

        public bool IsMatch(string key) => _exact.Contains(key) || _wildcards.Any(p => WildcardMatch.IsMatch(key, p));
    }
}
