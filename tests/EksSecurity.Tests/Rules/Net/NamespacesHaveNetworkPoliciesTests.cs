using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class NamespacesHaveNetworkPoliciesTests
{
    [Fact]
    public void Namespace_without_policy_fails_and_one_with_a_policy_passes()
    {
        var snapshot = TestSnapshots.Empty()
            .Add(k => k.Namespaces, Namespace("shop"), Namespace("billing"))
            .Add(k => k.NetworkPolicies, Policy("billing", "default-deny", types: ["Ingress", "Egress"]), Policy("other", "stray"));
        var findings = TestSnapshots.Run<NamespacesHaveNetworkPolicies>(snapshot);
        Assert.Equal(2, findings.Count);
        var shop = Assert.Single(findings, f => f.ResourceName == "shop");
        Assert.Equal(FindingStatus.Fail, shop.Status);
        Assert.Equal("EKS-NET-007", shop.RuleId);
        Assert.Equal(Severity.Medium, shop.Severity);
        Assert.Equal("Namespace", shop.ResourceType);
        Assert.Equal("shop", shop.Namespace);
        var billing = Assert.Single(findings, f => f.ResourceName == "billing");
        Assert.Equal(FindingStatus.Pass, billing.Status);
        Assert.Contains(billing.Evidence, e => e.Contains("default-deny"));
    }

    [Fact]
    public void Policies_that_allow_all_traffic_back_pass_with_evidence_that_they_restrict_nothing()
    {
        // "ingress: [{}]" isolates its pods and lets everything back in: a NetworkPolicy object (a pass here; EKS-NET-008 fails it).
        var allowAll = Policy("shop", "allow-all", ingress: [new V1NetworkPolicyIngressRule()]);
        var finding = Judge(allowAll);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("allow-all isolates ingress but all ingress is allowed back by shop/allow-all ingress[0]"));
        Assert.Contains(finding.Evidence, e => e.StartsWith("none of them restricts traffic", StringComparison.Ordinal));

        // A narrow deny is undone by a policy that lets every pod receive from every namespace.
        var everyNamespace = Policy("shop", "from-everywhere", ingress:
            [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector() }] }]);
        Assert.Contains(Judge(Policy("shop", "deny-web", Labels(("app", "web"))), everyNamespace).Evidence,
            e => e.StartsWith("none of them restricts traffic", StringComparison.Ordinal));
    }

    [Fact]
    public void A_policy_restricting_one_direction_is_enough()
    {
        var allowAllEgress = Policy("shop", "allow-all-egress", types: ["Egress"], egress: [new V1NetworkPolicyEgressRule()]);
        var finding = Judge(Policy("shop", "deny-web", Labels(("app", "web"))), allowAllEgress);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "restricting traffic: deny-web (ingress)");
    }

    private static EksSecurityFinding Judge(params V1NetworkPolicy[] policies) =>
        Assert.Single(TestSnapshots.Run<NamespacesHaveNetworkPolicies>(TestSnapshots.Empty().Add(k => k.Namespaces, Namespace("shop")).Add(k => k.NetworkPolicies, policies)));

    [Fact]
    public void System_namespaces_are_skipped()
    {
        var snapshot = TestSnapshots.Empty().Add(k => k.Namespaces, Namespace("kube-system"), Namespace("kube-public"), Namespace("kube-node-lease"));
        var finding = Assert.Single(TestSnapshots.Run<NamespacesHaveNetworkPolicies>(snapshot));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);

        var custom = new RuleSettings { SystemNamespaces = new HashSet<string> { "platform" } };
        var judged = TestSnapshots.Run<NamespacesHaveNetworkPolicies>(TestSnapshots.Empty().Add(k => k.Namespaces, Namespace("platform"), Namespace("kube-system")), custom);
        Assert.Equal("kube-system", Assert.Single(judged).ResourceName);
    }

    [Fact]
    public void Cilium_users_are_told_their_crd_policies_are_not_seen()
    {
        var snapshot = TestSnapshots.Empty()
            .Add(k => k.Namespaces, Namespace("shop"))
            .Add(k => k.DaemonSets, DaemonSet("kube-system", "cilium", new V1Container { Name = "cilium-agent" }));
        var finding = Assert.Single(TestSnapshots.Run<NamespacesHaveNetworkPolicies>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("CiliumNetworkPolicy"));
    }

    [Fact]
    public void Denied_network_policies_is_an_error_never_a_pass()
    {
        var snapshot = TestSnapshots.Empty().Add(k => k.Namespaces, Namespace("shop"))
            .With(s => s.Kubernetes.NetworkPolicies = Section<V1NetworkPolicy>.Denied("list networkpolicies.networking.k8s.io"));
        var finding = Assert.Single(TestSnapshots.Run<NamespacesHaveNetworkPolicies>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("NetworkPolicies", finding.Message);
    }

    [Fact]
    public void Runs_on_manifests()
    {
        Assert.True(new NamespacesHaveNetworkPolicies().Metadata.AppliesToManifests);
        Assert.Contains("manifest", new NamespacesHaveNetworkPolicies().Metadata.Tags);
    }
}
