using System.Text.Json.Nodes;
using EksSecurity.Engine.Kubernetes.NetworkPolicies;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Remediation;

/// <summary>
/// New-EksMetadataDenyPolicy: per namespace, a NetworkPolicy that selects every pod and allows all egress except to the
/// instance metadata service. Its one rule has three peers: <c>ipBlock 0.0.0.0/0 except 169.254.169.254/32</c> (every other
/// address outside the cluster), <c>::/0 except fd00:ec2::254/128</c> on IPv6, and <c>namespaceSelector: {}</c>, because
/// Kubernetes leaves it to the network plugin whether an ipBlock matches pod addresses: pod-to-pod traffic (DNS to CoreDNS
/// included) must be allowed by a selector, or the policy would cut it. Ports are not restricted. The companion policy
/// (<see cref="MetadataDenyPolicyRequest.AllowPodSelector"/>) adds egress to the metadata addresses on TCP 80 for the selected
/// pods only: NetworkPolicies add up, so those pods get both.
/// </summary>
internal static class MetadataDenyPolicies
{
    public const string ApiVersion = "networking.k8s.io/v1";
    public const string Kind = "NetworkPolicy";
    public const string ImdsIPv4 = "169.254.169.254/32";
    public const string ImdsIPv6 = "fd00:ec2::254/128";

    public static IReadOnlyList<KubernetesManifest> Build(MetadataDenyPolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = KubernetesNames.ObjectName(request.Name);
        var allow = request.AllowPodSelector is null ? null : KubernetesNames.Labels(request.AllowPodSelector, "-AllowPodSelector");
        if (allow is { Count: 0 })
            throw new EksSecurityException("InvalidLabelSelector", EksErrorKind.InvalidArgument,
                "-AllowPodSelector selects every pod: name at least one label, or leave it out (the deny policy alone).");
        var allowName = CompanionName(name);
        var manifests = new List<KubernetesManifest>();
        foreach (var ns in Distinct(request.Namespaces))
        {
            manifests.Add(ManifestYaml.Manifest(Deny(ns, name, request.IPv6), request.ClusterName));
            if (allow is not null) manifests.Add(ManifestYaml.Manifest(Allow(ns, allowName, allow, request.IPv6), request.ClusterName));
        }
        return manifests;
    }

    /// <summary>
    /// What the namespaces' existing policies (those this generator wrote under these names aside) already do: a namespace whose
    /// every pod is isolated for egress without a way to the metadata service needs nothing (the deny policy would only widen its
    /// egress); policies that isolate some pods are widened; policies that allow the metadata service keep allowing it.
    /// </summary>
    public static IReadOnlyList<MetadataEgressReview> Review(ClusterSnapshot snapshot, MetadataDenyPolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var section = snapshot.Kubernetes.NetworkPolicies;
        if (section is not { IsCollected: true })
            throw new EksSecurityException("NetworkPoliciesNotCollected", EksErrorKind.InvalidData,
                section is null ? "The NetworkPolicies are not in the snapshot." : $"The NetworkPolicies were not collected ({section.Status}{(section.Reason is null ? "" : ": " + section.Reason)}).");
        var ours = new HashSet<string>(StringComparer.Ordinal) { request.Name, CompanionName(KubernetesNames.ObjectName(request.Name)) };
        var policies = section.All.Where(p => !(ours.Contains(p?.Metadata?.Name ?? "")
            && p!.Metadata.Labels?.TryGetValue(KubernetesNames.ManagedByLabel, out var by) == true && by == KubernetesNames.ManagedByValue));
        var engine = new NetworkPolicyEngine(policies, snapshot.Kubernetes.Namespaces?.All ?? []);
        var addresses = request.IPv6 ? new[] { "169.254.169.254", "fd00:ec2::254" } : ["169.254.169.254"];
        var reviews = new List<MetadataEgressReview>();
        foreach (var ns in Distinct(request.Namespaces))
        {
            var any = PolicyPod.AnyPodIn(ns);
            var isolating = engine.PoliciesIn(ns).Where(p => p.IsolatesEgress).ToList();
            var allowing = isolating.Where(p => addresses.Any(a => engine.RulesAllowing(p, TrafficDirection.Egress, any, TrafficPeer.Of(a), ProtocolPort.Tcp(80)).Count > 0))
                .Select(p => p.Name).ToList();
            var denied = allowing.Count == 0 && isolating.Any(p => p.SelectsEveryPod);
            var widened = denied ? [] : isolating.Select(p => p.Name).ToList();
            var message = new List<string>();
            if (denied)
                message.Add($"Namespace {ns} already isolates every pod for egress ({string.Join(", ", isolating.Where(p => p.SelectsEveryPod).Select(p => p.Name))}) " +
                            $"and no policy there allows the instance metadata service: {request.Name} is not needed there, and would allow its pods all other egress.");
            if (widened.Count > 0)
                message.Add($"In namespace {ns}, {Names(widened)} already restrict{(widened.Count == 1 ? "s" : "")} egress: with {request.Name}, the pods selected may also send anywhere but the instance metadata service.");
            if (allowing.Count > 0)
                message.Add($"In namespace {ns}, {Names(allowing)} allow{(allowing.Count == 1 ? "s" : "")} egress to the instance metadata service: the pods selected keep reaching it (NetworkPolicies only add allowed traffic).");
            reviews.Add(new MetadataEgressReview { Namespace = ns, AlreadyDenied = denied, WidenedPolicies = widened, AllowingPolicies = allowing, Message = string.Join(" ", message) });
        }
        return reviews;
    }

    private static string Names(IReadOnlyList<string> names) => (names.Count == 1 ? "NetworkPolicy " : "NetworkPolicies ") + string.Join(", ", names);

    /// <summary>"deny-x" → "allow-x"; any other name gets "-allow".</summary>
    public static string CompanionName(string name) =>
        KubernetesNames.ObjectName(name.StartsWith("deny-", StringComparison.Ordinal) ? "allow-" + name["deny-".Length..] : name + "-allow");

    public static IEnumerable<string> Distinct(IEnumerable<string> namespaces)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ns in namespaces)
            if (seen.Add(KubernetesNames.Namespace(ns))) yield return ns;
    }

    private static JsonObject Metadata(string ns, string name) => new()
    {
        ["name"] = name,
        ["namespace"] = ns,
        ["labels"] = new JsonObject { [KubernetesNames.ManagedByLabel] = KubernetesNames.ManagedByValue },
    };

    private static JsonObject Deny(string ns, string name, bool ipv6)
    {
        var peers = new JsonArray { IpBlock("0.0.0.0/0", ImdsIPv4) };
        if (ipv6) peers.Add(IpBlock("::/0", ImdsIPv6));
        peers.Add(new JsonObject { ["namespaceSelector"] = new JsonObject() });
        var spec = new JsonObject
        {
            ["podSelector"] = new JsonObject(),
            ["policyTypes"] = ManifestYaml.Strings(["Egress"]),
            ["egress"] = new JsonArray { new JsonObject { ["to"] = peers } },
        };
        return ManifestYaml.Object(ApiVersion, Kind, Metadata(ns, name), spec);
    }

    private static JsonObject Allow(string ns, string name, IReadOnlyDictionary<string, string> selector, bool ipv6)
    {
        var peers = new JsonArray { IpBlock(ImdsIPv4) };
        if (ipv6) peers.Add(IpBlock(ImdsIPv6));
        var spec = new JsonObject
        {
            ["podSelector"] = new JsonObject { ["matchLabels"] = ManifestYaml.Map(selector) },
            ["policyTypes"] = ManifestYaml.Strings(["Egress"]),
            ["egress"] = new JsonArray
            {
                new JsonObject
                {
                    ["to"] = peers,
                    ["ports"] = new JsonArray { new JsonObject { ["protocol"] = "TCP", ["port"] = 80 } },
                },
            },
        };
        return ManifestYaml.Object(ApiVersion, Kind, Metadata(ns, name), spec);
    }

    private static JsonObject IpBlock(string cidr, string? except = null)
    {
        var block = new JsonObject { ["cidr"] = cidr };
        if (except is not null) block["except"] = ManifestYaml.Strings([except]);
        return new JsonObject { ["ipBlock"] = block };
    }
}
