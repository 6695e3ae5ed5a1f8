using System.Net;
using EksSecurity.Engine.Identity;
using EksSecurity.Engine.Kubernetes.NetworkPolicies;
using EksSecurity.Engine.Rules.Infra;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-019: no pod can reach the instance metadata service (and so the node's IAM role). A pod is kept away when its node
/// requires IMDSv2 with hop limit 1 (or is a Fargate or Auto Mode node), see <see cref="ImdsReachability"/>, or when enforced
/// NetworkPolicies deny its egress to 169.254.169.254 (and fd00:ec2::254 on IPv6 clusters) on port 80. One finding per
/// namespace for the pods on the pod network, one per host-network pod (those always reach it); a namespace without running
/// pods is judged for a new pod when the nodes agree, and is not applicable otherwise.
/// </summary>
public sealed class PodsCannotReachInstanceMetadata : Rule
{
    /// <summary>The instance metadata service's IPv4 address.</summary>
    internal static readonly IPAddress ImdsIpv4 = IPAddress.Parse("169.254.169.254");

    /// <summary>Its IPv6 address on Nitro instances (answers when the instance's HttpProtocolIpv6 is enabled).</summary>
    internal static readonly IPAddress ImdsIpv6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>IMDS answers HTTP on port 80.</summary>
    internal static readonly ProtocolPort ImdsPort = ProtocolPort.Tcp(80);

    /// <summary>Pods named in a message, and per-pod evidence lines per kind, before "and N more".</summary>
    private const int Shown = 10;

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-019",
        Title = "Pods cannot reach the instance metadata service",
        Severity = Severity.High,
        Area = RuleArea.Net,
        Rationale = "A pod that reaches the instance metadata service (169.254.169.254) gets the credentials of the node's IAM role, which can " +
                    "pull every image, describe the account's network and, with the VPC CNI policy, change network interfaces; a server-side " +
                    "request forgery in any such pod is enough. The node stops it with IMDSv2 and a PUT response hop limit of 1 (the token's " +
                    "answer dies one hop short of a pod), or a NetworkPolicy stops it by denying egress to the address. A policy only counts " +
                    "when something enforces NetworkPolicy, and host-network pods share the node's network: neither protection applies to them.",
        Remediation = "On the nodes: aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-tokens required " +
                      "--http-put-response-hop-limit 1, and the same MetadataOptions in the node groups' launch templates so new nodes keep it " +
                      "(EKS-IAM-032, EKS-IAM-033). Or per namespace, with NetworkPolicy enforcement on (EKS-NET-006): " +
                      "New-EksMetadataDenyPolicy -Namespace <ns> -Apply (-IPv6 on IPv6 clusters; -AllowPodSelector for the few pods that need " +
                      "IMDS), or kubectl apply a policy whose egress allows 0.0.0.0/0 except 169.254.169.254/32. Give workloads that need AWS " +
                      "access IRSA or EKS Pod Identity instead of the node role, and keep hostNetwork: true to node agents.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node",
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html",
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
        ],
        Reads = [SnapshotSection.Namespaces, SnapshotSection.Pods, SnapshotSection.Nodes],
        OptionallyReads = [SnapshotSection.Instances, SnapshotSection.NetworkPolicies, .. NetworkPolicyEngineEnforcing.DetectionSections],
        ClusterWide = true,
        Tags = ["network", "imds", "instance-metadata", "network-policy", "nodes", "iam"],
    };

    internal enum Reach { Protected, Reaches, Unknown, Undetermined }

    internal sealed record PodJudgment(string Pod, Reach Reach, string Why, bool DeniedByUnenforcedPolicy = false);

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var scope = new Scope(context);
        var namespaces = context.Kubernetes.Namespaces!.All.Select(n => n.Metadata?.Name).OfType<string>()
            .Concat(context.Index.PodsByNamespace.Select(g => g.Key))
            .Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            var pods = context.Index.PodsByNamespace[ns].Where(IsRunning).ToList();
            foreach (var pod in pods.Where(p => p.Spec?.HostNetwork == true))
                yield return HostNetworkPod(context, scope, pod);
            yield return JudgeNamespace(context, scope, ns, pods);
        }
    }

    /// <summary>A finished pod (Succeeded, Failed) runs nothing and reaches nothing.</summary>
    private static bool IsRunning(V1Pod pod) => pod.Status?.Phase is not ("Succeeded" or "Failed");

    private static EksSecurityFinding HostNetworkPod(RuleContext context, Scope scope, V1Pod pod)
    {
        var verdict = ImdsReachability.Of(pod, scope.Facts);
        var resource = ResourceRef.Of("Pod", pod.Metadata);
        return context.Fail(resource,
            $"Pod {resource.Namespace}/{resource.Name} uses the host network: it reaches the instance metadata service as its node does, " +
            "and neither the hop limit nor a NetworkPolicy can stop it.",
            [verdict.Why, "NetworkPolicy does not apply to host-network pods"]);
    }

    private static EksSecurityFinding JudgeNamespace(RuleContext context, Scope scope, string ns, List<V1Pod> pods)
    {
        var resource = new ResourceRef("Namespace", ns, ns);
        var hostNetwork = pods.Count(p => p.Spec?.HostNetwork == true);
        var judged = pods.Where(p => p.Spec?.HostNetwork != true).Select(p => scope.Judge(p)).ToList();
        var decided = judged.Where(j => j.Reach != Reach.Undetermined).ToList();
        var evidence = new List<string> { scope.Enforcement.Summary, scope.TargetsNote };
        if (hostNetwork > 0) evidence.Add($"{hostNetwork} host-network pod(s) reported on their own (they always reach IMDS)");
        var undetermined = judged.Where(j => j.Reach == Reach.Undetermined).ToList();
        AddLines(evidence, "not scheduled yet, not judged (could land on a node that answers pods)", undetermined);

        if (decided.Count == 0) return NewPod(context, scope, ns, resource, evidence);

        var reaches = decided.Where(j => j.Reach == Reach.Reaches).ToList();
        var unknown = decided.Where(j => j.Reach == Reach.Unknown).ToList();
        var protectedPods = decided.Where(j => j.Reach == Reach.Protected).ToList();
        AddLines(evidence, "reaches IMDS", reaches);
        AddLines(evidence, "cannot be told", unknown);
        AddLines(evidence, "kept away", protectedPods);

        if (reaches.Count > 0)
        {
            var unenforced = reaches.Count(j => j.DeniedByUnenforcedPolicy);
            return context.Fail(resource,
                $"{reaches.Count} of {decided.Count} pod(s) in namespace {ns} can reach the instance metadata service and the node role's credentials: " +
                $"{Names(reaches)}." + (unenforced > 0 ? $" A NetworkPolicy would deny {unenforced} of them, but {scope.Enforcement.Summary}." : ""),
                evidence);
        }
        if (unknown.Count > 0)
            return context.Error(resource,
                $"Whether {unknown.Count} of {decided.Count} pod(s) in namespace {ns} can reach the instance metadata service could not be told: {Names(unknown)}.",
                evidence);
        var byPolicy = protectedPods.Count(j => j.Why.StartsWith("NetworkPolicy", StringComparison.Ordinal));
        return context.Pass(resource,
            $"None of the {decided.Count} pod(s) in namespace {ns} can reach the instance metadata service" +
            (byPolicy == 0 ? ": their nodes keep it from them." : byPolicy == decided.Count ? ": enforced NetworkPolicies deny it." : $": {decided.Count - byPolicy} by their nodes' settings, {byPolicy} by enforced NetworkPolicies.") +
            (hostNetwork > 0 ? $" {hostNetwork} host-network pod(s) are reported on their own." : ""),
            evidence);
    }

    /// <summary>A namespace without running pods on the pod network: what would a new pod get, when the nodes agree?</summary>
    private static EksSecurityFinding NewPod(RuleContext context, Scope scope, string ns, ResourceRef resource, List<string> evidence)
    {
        var judgment = scope.Decide(PolicyPod.AnyPodIn(ns), $"a new pod in {ns}", scope.Nodes.Uniform, scope.Nodes.Summary);
        evidence.Add($"a new pod (any labels; nodes other than Fargate): {judgment.Why}");
        evidence.AddRange(scope.Nodes.Evidence);
        return judgment.Reach switch
        {
            Reach.Protected => context.Pass(resource,
                $"Namespace {ns} has no running pods; a new pod could not reach the instance metadata service: " +
                (judgment.Why.StartsWith("NetworkPolicy", StringComparison.Ordinal) ? "enforced NetworkPolicies deny it for every pod." : "every node keeps it from pods."),
                evidence),
            Reach.Reaches => context.Fail(resource,
                $"Namespace {ns} has no running pods, but a new pod would reach the instance metadata service: every node answers pods" +
                (judgment.DeniedByUnenforcedPolicy ? $", and the NetworkPolicies that would deny it do not count: {scope.Enforcement.Summary}." : ", and no enforced NetworkPolicy denies it for every pod."),
                evidence),
            Reach.Unknown => context.Error(resource,
                $"Namespace {ns} has no running pods and every node answers pods on the instance metadata service; whether a NetworkPolicy stops a new pod could not be told.",
                evidence),
            _ => context.Finding(FindingStatus.NotApplicable, resource,
                $"Namespace {ns} has no running pods, and whether a new pod could reach the instance metadata service depends on the node it lands on: " +
                "the nodes do not agree (or are not all known), and no enforced NetworkPolicy denies it for every pod.",
                evidence),
        };
    }

    private static void AddLines(List<string> evidence, string kind, List<PodJudgment> judgments)
    {
        foreach (var j in judgments.Take(Shown)) evidence.Add($"{kind}: {j.Why}");
        if (judgments.Count > Shown) evidence.Add($"{kind}: ... and {judgments.Count - Shown} more pod(s)");
    }

    private static string Names(List<PodJudgment> judgments) =>
        string.Join(", ", judgments.Take(Shown).Select(j => j.Pod)) + (judgments.Count > Shown ? $" and {judgments.Count - Shown} more" : "");

    /// <summary>The judgment of one pod as this rule makes it (node settings, enforced NetworkPolicies): Test-EksIrsa and Test-EksPodIdentity ask the same question.</summary>
    internal static IReadOnlyList<PodJudgment> JudgePods(ClusterSnapshot snapshot, IEnumerable<V1Pod> pods)
    {
        var scope = new Scope(new RuleContext(snapshot, new PodsCannotReachInstanceMetadata().Metadata, RuleSettings.Default));
        return pods.Select(scope.Judge).ToList();
    }

    /// <summary>What every namespace is judged against: node facts, the policies and whether they are enforced, the addresses to deny.</summary>
    private sealed class Scope
    {
        private readonly NetworkPolicyEngine? _engine;
        private readonly string? _policiesMissing;
        private readonly IReadOnlyList<IPAddress> _targets;
        private readonly Dictionary<(string Namespace, string Labels), (bool? Denied, string Why)> _policyCache = [];

        public Scope(RuleContext context)
        {
            Facts = new WorkloadIdentityFacts(context.Snapshot);
            Enforcement = NetworkPolicyEngineEnforcing.Detect(context);
            if (context.Has(SnapshotSection.NetworkPolicies))
                _engine = new NetworkPolicyEngine(context.Kubernetes.NetworkPolicies!.All, context.Kubernetes.Namespaces!.All);
            else
                _policiesMissing = $"NetworkPolicies were not collected (section NetworkPolicies {context.Snapshot.DescribeSection(SnapshotSection.NetworkPolicies).Status})";

            var family = context.Has(SnapshotSection.Cluster) ? context.Aws.Cluster!.Value?.KubernetesNetworkConfig?.IpFamily : null;
            if (string.Equals(family, "ipv4", StringComparison.OrdinalIgnoreCase))
            {
                _targets = [ImdsIpv4];
                TargetsNote = $"IPv4 cluster: a policy must deny egress to {ImdsIpv4}/32 port {ImdsPort}";
            }
            else
            {
                _targets = [ImdsIpv4, ImdsIpv6];
                TargetsNote = family is null
                    ? $"cluster IP family not known: a policy must deny egress to {ImdsIpv4}/32 and {ImdsIpv6}/128 port {ImdsPort}"
                    : $"{family} cluster: a policy must deny egress to {ImdsIpv4}/32 and {ImdsIpv6}/128 port {ImdsPort}";
            }
            Nodes = new NodeAgreement(context, Facts);
        }

        public WorkloadIdentityFacts Facts { get; }
        public NetworkPolicyEngineEnforcing.Detection Enforcement { get; }
        public string TargetsNote { get; }
        public NodeAgreement Nodes { get; }

        /// <summary>Whether the policies selecting the pod deny its egress to every IMDS address; null when the policies are not known.</summary>
        public (bool? Denied, string Why) Policy(PolicyPod pod)
        {
            if (_engine is null) return (null, _policiesMissing!);
            var key = (pod.Namespace, pod.IsAnyPod ? "*" : string.Join(",", pod.Labels!.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
            if (_policyCache.TryGetValue(key, out var known)) return known;
            var verdicts = _targets.Select(t => (Target: t, Verdict: _engine.Egress(pod, t, ImdsPort))).ToList();
            var allowed = verdicts.Where(v => v.Verdict.Allowed).ToList();
            // Pods with the same labels share the answer, so it names policies and rules, not the pod.
            var result = allowed.Count == 0
                ? (true, $"NetworkPolicy denies egress to {string.Join(" and ", _targets)}: isolated for egress by {string.Join(", ", verdicts[0].Verdict.Isolation.IsolatedBy)}, and no rule allows it")
                : (false, string.Join("; ", allowed.Select(v => $"egress to {v.Target} " + (v.Verdict.Outcome == TrafficOutcome.AllowedByRule
                    ? $"allowed by {string.Join(", ", v.Verdict.AllowedBy)}"
                    : "allowed: no NetworkPolicy isolates it for egress"))));
            _policyCache[key] = result;
            return result;
        }

        public PodJudgment Judge(V1Pod pod)
        {
            var name = $"{pod.Metadata?.NamespaceProperty}/{pod.Metadata?.Name}";
            if (string.IsNullOrEmpty(pod.Spec?.NodeName))
                // Not scheduled yet: it gets what any node gives, when they agree.
                return Decide(PolicyPod.From(pod), $"pod {name}", Nodes.Uniform, $"pod {name} is not scheduled yet; {Nodes.Summary}");
            var node = ImdsReachability.Of(pod, Facts);
            // Kept away by its node: the policies need not be looked at.
            if (node.Verdict == ImdsReachability.Verdict.Blocked) return new(name, Reach.Protected, node.Why);
            return Decide(PolicyPod.From(pod), $"pod {name}", node.Verdict, node.Why);
        }

        /// <summary>
        /// The node's verdict (null: the pod is not on a node yet and the nodes do not agree) combined with the policies selecting the
        /// pod and their enforcement: policies count only when enforced; when enforcement or the policies are not known, and only a
        /// policy could keep the pod away, the answer is unknown.
        /// </summary>
        public PodJudgment Decide(PolicyPod pod, string name, ImdsReachability.Verdict? node, string nodeWhy)
        {
            var label = name.StartsWith("pod ", StringComparison.Ordinal) ? name[4..] : name;
            if (node == ImdsReachability.Verdict.Blocked) return new(label, Reach.Protected, nodeWhy);
            var (denied, policyWhy) = Policy(pod);
            if (denied == true && Enforcement.Enforced) return new(label, Reach.Protected, $"{policyWhy} ({name})");
            if (node is null) return new(label, Reach.Undetermined, $"{nodeWhy}; {policyWhy}");
            var policyUncertain = (denied == true && Enforcement.EnforcementUnknown) || (denied is null && !IsKnownOff);
            if (policyUncertain || node == ImdsReachability.Verdict.Unknown)
                return new(label, Reach.Unknown, $"{nodeWhy}; {policyWhy}" + (denied == true ? $"; {Enforcement.Summary}" : ""));
            return new(label, Reach.Reaches, denied == true ? $"{nodeWhy}; {policyWhy}, but {Enforcement.Summary}" : $"{nodeWhy}; {policyWhy}",
                DeniedByUnenforcedPolicy: denied == true);
        }

        /// <summary>Known not to be enforced: then what the policies say does not matter.</summary>
        private bool IsKnownOff => !Enforcement.Enforced && !Enforcement.EnforcementUnknown;
    }

    /// <summary>
    /// What the nodes a new pod could land on give it: Blocked or Reachable when every EC2 and Auto Mode node agrees (Fargate nodes
    /// only take pods a Fargate profile selects, so they are left out), null when they disagree, one is unknown, or there is none.
    /// </summary>
    private sealed class NodeAgreement
    {
        private const string NewPodName = "(a new pod)";

        public NodeAgreement(RuleContext context, WorkloadIdentityFacts facts)
        {
            var verdicts = context.Kubernetes.Nodes!.All.Where(n => n.Metadata?.Name is not null && !NodeFacts.IsFargate(n))
                .Select(n => ImdsReachability.Of(new V1Pod
                {
                    Metadata = new V1ObjectMeta { Name = NewPodName, NamespaceProperty = "*" },
                    Spec = new V1PodSpec { NodeName = n.Metadata!.Name },
                }, facts))
                .ToList();
            var kinds = verdicts.Select(v => v.Verdict).Distinct().ToList();
            Uniform = kinds.Count == 1 && kinds[0] != ImdsReachability.Verdict.Unknown ? kinds[0] : null;
            var reachable = verdicts.Count(v => v.Verdict == ImdsReachability.Verdict.Reachable);
            var unknown = verdicts.Count(v => v.Verdict == ImdsReachability.Verdict.Unknown);
            Summary = verdicts.Count == 0 ? "no EC2 or Auto Mode node in the snapshot"
                : Uniform == ImdsReachability.Verdict.Blocked ? $"all {verdicts.Count} node(s) keep IMDS from pods"
                : Uniform == ImdsReachability.Verdict.Reachable ? $"all {verdicts.Count} node(s) answer pods on IMDS"
                : $"of {verdicts.Count} node(s), {reachable} answer pods on IMDS, {verdicts.Count - reachable - unknown} keep it from them, {unknown} unknown";
            Evidence = verdicts.Where(v => v.Verdict != ImdsReachability.Verdict.Blocked).Take(Shown)
                .Select(v => "node: " + v.Why.Replace($"pod */{NewPodName} on ", "", StringComparison.Ordinal).Replace($"pod */{NewPodName} ", "", StringComparison.Ordinal)).ToList();
        }

        public ImdsReachability.Verdict? Uniform { get; }
        public string Summary { get; }
        public IReadOnlyList<string> Evidence { get; }
    }
}
