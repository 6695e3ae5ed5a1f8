using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Iam;

public class DefaultServiceAccountNoAutomountTests
{
    private static V1ServiceAccount Sa(string ns, string name, bool? automount) =>
        new() { Metadata = TestSnapshots.Meta(name, ns), AutomountServiceAccountToken = automount };

    private static ClusterSnapshot With(params V1ServiceAccount[] accounts) =>
        TestSnapshots.Empty().With(s => s.Kubernetes.ServiceAccounts!.Items!.AddRange(accounts));

    [Fact]
    public void Default_account_without_the_field_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<DefaultServiceAccountNoAutomount>(With(Sa("team-a", "default", null))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("ServiceAccount", finding.ResourceType);
        Assert.Equal("team-a", finding.Namespace);
        Assert.Equal("default", finding.ResourceName);
        Assert.Contains("automountServiceAccountToken = (not set; Kubernetes defaults to true)", finding.Evidence);
    }

    [Fact]
    public void Default_account_set_to_true_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<DefaultServiceAccountNoAutomount>(With(Sa("team-a", "default", true))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("automountServiceAccountToken = true", finding.Evidence);
    }

    [Fact]
    public void Default_account_set_to_false_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<DefaultServiceAccountNoAutomount>(With(Sa("team-a", "default", false))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("automountServiceAccountToken = false", finding.Evidence);
    }

    [Fact]
    public void Every_namespace_is_judged_including_system_ones_and_other_accounts_are_ignored()
    {
        var findings = TestSnapshots.Run<DefaultServiceAccountNoAutomount>(With(
            Sa("kube-system", "default", null), Sa("team-a", "default", false), Sa("team-a", "app", null), Sa("kube-system", "aws-node", null)));
        Assert.Equal(2, findings.Count);
        Assert.Equal(FindingStatus.Fail, Assert.Single(findings, f => f.Namespace == "kube-system").Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.Namespace == "team-a").Status);
    }

    [Fact]
    public void No_default_accounts_is_not_applicable_not_a_failure()
    {
        var finding = Assert.Single(TestSnapshots.Run<DefaultServiceAccountNoAutomount>(With(Sa("team-a", "app", null))));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }

    [Fact]
    public void Denied_service_accounts_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.ServiceAccounts = Section<V1ServiceAccount>.Denied("list serviceaccounts"));
        var finding = Assert.Single(TestSnapshots.Run<DefaultServiceAccountNoAutomount>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list serviceaccounts", string.Join(" ", finding.Evidence));
    }
}
