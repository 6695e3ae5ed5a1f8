using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;

namespace EksSecurity.Tests.Rules.Iam;

/// <summary>What every graph-based RBAC rule (EKS-IAM-012 to 021, 024, 025, 027, 028) shares: catalogue titles, metadata, sections.</summary>
public class RbacRuleMetadataTests
{
    private static readonly Dictionary<string, (Rule Rule, string Title, Severity Severity)> Rules = new()
    {
        ["EKS-IAM-012"] = (new MinimizeSecretReadAccess(), "Minimize read access to Secrets", Severity.Medium),
        ["EKS-IAM-013"] = (new MinimizePodCreation(), "Minimize create-pods rights", Severity.Medium),
        ["EKS-IAM-014"] = (new LimitBindEscalateImpersonate(), "Limit bind / escalate / impersonate", Severity.High),
        ["EKS-IAM-015"] = (new MinimizePersistentVolumeCreation(), "Minimize create PersistentVolumes", Severity.Medium),
        ["EKS-IAM-016"] = (new MinimizeNodeProxyAccess(), "Minimize nodes/proxy access", Severity.High),
        ["EKS-IAM-017"] = (new MinimizeWebhookConfigurationAccess(), "Minimize webhook configuration access", Severity.High),
        ["EKS-IAM-018"] = (new MinimizeServiceAccountTokenCreation(), "Minimize ServiceAccount token creation", Severity.Medium),
        ["EKS-IAM-019"] = (new MinimizeCsrApproval(), "Minimize CSR approval", Severity.Medium),
        ["EKS-IAM-020"] = (new LimitExecAttachPortForward(), "Limit exec/attach/port-forward", Severity.Medium),
        ["EKS-IAM-021"] = (new ProtectKubeSystemConfigMaps(), "Protect kube-system ConfigMaps (aws-auth, coredns)", Severity.High),
        ["EKS-IAM-024"] = (new DefaultServiceAccountNoBindings(), "Default ServiceAccount has no role bindings", Severity.Medium),
        ["EKS-IAM-025"] = (new TokensMountedOnlyWhereNeeded(), "Tokens mounted only where needed", Severity.Low),
        ["EKS-IAM-027"] = (new NoWorkloadHoldsTakeoverRbac(), "No workload holds admin/takeover RBAC", Severity.High),
        ["EKS-IAM-028"] = (new NoLegacyServiceAccountTokenSecrets(), "No legacy long-lived SA token Secrets", Severity.Medium),
    };

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var id in Rules.Keys) data.Add(id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Metadata_is_complete_and_matches_the_catalogue(string id)
    {
        var (rule, title, severity) = Rules[id];
        var m = rule.Metadata;
        Assert.Equal(id, m.Id);
        Assert.Equal(title, m.Title);
        Assert.Equal(severity, m.Severity);
        Assert.Equal(RuleArea.Iam, m.Area);
        Assert.Contains("rbac", m.Tags);
        Assert.Contains("manifest", m.Tags);
        Assert.True(m.AppliesToManifests);
        Assert.False(string.IsNullOrWhiteSpace(m.Rationale));
        Assert.Contains("\n", m.Remediation);   // carries a kubectl or YAML snippet
        Assert.Contains(m.References, r => r.StartsWith("https://docs.aws.amazon.com/eks/latest/best-practices/", StringComparison.Ordinal));
        Assert.Contains(m.References, r => r.StartsWith("https://kubernetes.io/docs/concepts/security/rbac-good-practices/", StringComparison.Ordinal));
        if (id != "EKS-IAM-028") Assert.NotEmpty(m.Frameworks);   // 028 is new: no tool has it
        Assert.Contains(SnapshotSection.RoleBindings, m.Reads.Concat(m.OptionallyReads));
        Assert.Contains(SnapshotSection.ClusterRoleBindings, m.Reads.Concat(m.OptionallyReads));
        Assert.Same(rule.GetType(), RuleCatalog.Default.ById[id].GetType());
    }

    [Theory]
    [InlineData("EKS-IAM-012", "CIS EKS 1.8.0 4.1.2")]
    [InlineData("EKS-IAM-012", "Prowler rbac_minimize_secret_access")]
    [InlineData("EKS-IAM-012", "Kubescape C-0186")]
    [InlineData("EKS-IAM-013", "CIS EKS 1.8.0 4.1.4")]
    [InlineData("EKS-IAM-014", "CIS EKS 1.8.0 4.1.8")]
    [InlineData("EKS-IAM-015", "Prowler rbac_minimize_pv_creation_access")]
    [InlineData("EKS-IAM-016", "CIS EKS 1.8.0 4.1.10")]
    [InlineData("EKS-IAM-017", "Kubescape C-0281")]
    [InlineData("EKS-IAM-018", "CIS EKS 1.8.0 4.1.12")]
    [InlineData("EKS-IAM-019", "Kubescape C-0280")]
    [InlineData("EKS-IAM-020", "Kubescape C-0063")]
    [InlineData("EKS-IAM-021", "Kubescape C-0037")]
    [InlineData("EKS-IAM-024", "Kubescape C-0225")]
    [InlineData("EKS-IAM-025", "CIS EKS 1.8.0 4.1.6")]
    [InlineData("EKS-IAM-027", "Kubescape C-0272")]
    public void Frameworks_follow_the_anchors(string id, string framework) =>
        Assert.Contains(framework, Rules[id].Rule.Metadata.Frameworks);

    [Theory]
    [MemberData(nameof(Ids))]
    public void A_denied_binding_section_is_an_error_not_a_pass(string id)
    {
        var rule = Rules[id].Rule;
        if (!rule.Metadata.Reads.Contains(SnapshotSection.RoleBindings)) return;   // 028 reads bindings only when present
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.RoleBindings = EksSecurity.Engine.Snapshot.Section<k8s.Models.V1RoleBinding>.Denied("list rolebindings"));
        var finding = Assert.Single(new RuleRunner(new RuleCatalog([rule]), RuleSettings.Default).RunOne(rule, snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list rolebindings", string.Join(" ", finding.Evidence));
    }
}
