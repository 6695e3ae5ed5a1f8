using EksSecurity.Engine.Rules.Pod;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.NamespacesHavePodSecurityLabelsTests;

namespace EksSecurity.Tests.Rules.Pod;

public class PodSecurityEnforcesBaselineOrRestrictedTests
{
    private const string P = "pod-security.kubernetes.io/";

    private static EksSecurityFinding Judge(V1Namespace ns) =>
        Assert.Single(TestSnapshots.Run<PodSecurityEnforcesBaselineOrRestricted>(WithNamespaces(Ns("kube-system"), ns)));

    [Fact]
    public void Missing_enforce_fails()
    {
        var finding = Judge(Ns("app", (P + "audit", "restricted"), (P + "warn", "restricted")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-002", finding.RuleId);
        Assert.Equal("app", finding.ResourceName);
        Assert.Contains("no pod-security.kubernetes.io/enforce label", finding.Message);
        Assert.Contains(finding.Evidence, e => e == $"metadata.labels[{P}enforce] = (absent)");
    }

    [Fact]
    public void Privileged_enforce_fails()
    {
        var finding = Judge(Ns("app", (P + "enforce", "privileged"), (P + "audit", "restricted"), (P + "warn", "restricted")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("privileged", finding.Message);
    }

    [Fact]
    public void Restricted_everywhere_passes()
    {
        var finding = Judge(Ns("app", (P + "enforce", "restricted"), (P + "audit", "restricted"), (P + "warn", "restricted")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("app", finding.ResourceName);
    }

    [Fact]
    public void Baseline_enforce_with_stricter_audit_and_warn_passes()
    {
        var finding = Judge(Ns("app", (P + "enforce", "baseline"), (P + "audit", "restricted"), (P + "warn", "restricted"), (P + "enforce-version", "v1.33")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e == $"metadata.labels[{P}enforce-version] = v1.33");
    }

    [Fact]
    public void Invalid_level_fails_naming_the_value()
    {
        var finding = Judge(Ns("app", (P + "enforce", "strict"), (P + "audit", "restricted"), (P + "warn", "restricted")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("enforce=\"strict\"", finding.Message);
    }

    [Fact]
    public void Levels_are_case_sensitive()
    {
        var finding = Judge(Ns("app", (P + "enforce", "baseline"), (P + "audit", "Restricted"), (P + "warn", "restricted")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("audit=\"Restricted\"", finding.Message);
    }

    [Fact]
    public void Audit_weaker_than_enforce_warns()
    {
        var finding = Judge(Ns("app", (P + "enforce", "restricted"), (P + "audit", "baseline"), (P + "warn", "restricted")));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("audit=baseline is weaker than enforce=restricted", finding.Message);
    }

    [Fact]
    public void Unset_audit_and_warn_warn()
    {
        var finding = Judge(Ns("app", (P + "enforce", "baseline")));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("audit is unset and warn is unset", finding.Message);
    }

    [Fact]
    public void Denied_namespaces_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Namespaces = Section<V1Namespace>.Denied("list namespaces"));
        var finding = Assert.Single(TestSnapshots.Run<PodSecurityEnforcesBaselineOrRestricted>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
    }
}
