using EksSecurity.Engine;

namespace EksSecurity.Tests.Manifests;

/// <summary>Manifests through the engine: rules judge the objects and put file:line into findings.</summary>
public class ManifestEvaluationTests
{
    [Fact]
    public void Findings_on_manifest_objects_carry_file_and_line()
    {
        using var tree = new TempTree();
        var path = tree.Write("rbac.yaml", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: narrow
            rules:
              - apiGroups: [""]
                resources: ["pods"]
                verbs: ["get"]
            ---
            # Source: chart/templates/role.yaml
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: everything
              namespace: shop
            rules:
              - apiGroups: ["*"]
                resources: ["*"]
                verbs: ["*"]
            """);
        IEksSecurityEngine engine = new SecurityEngine();
        var log = new RecordingLog();
        var snapshot = engine.ReadManifests(new ManifestRequest { Paths = [path] }, log);
        log.NoProblems();
        var findings = engine.Evaluate(snapshot, new EvaluationOptions { RuleIds = ["EKS-IAM-011"] });

        var fail = Assert.Single(findings, f => f.Status == FindingStatus.Fail);
        Assert.Equal(("Role", "shop", "everything"), (fail.ResourceType, fail.Namespace, fail.ResourceName));
        Assert.Equal((path, 12), (fail.SourcePath, fail.SourceLine));
        var pass = Assert.Single(findings, f => f.ResourceName == "narrow");
        Assert.Equal((path, 2), (pass.SourcePath, pass.SourceLine));
        // Rules that need AWS data do not apply to manifests at all.
        Assert.DoesNotContain(engine.Evaluate(snapshot, new EvaluationOptions()), f => f.RuleId.StartsWith("EKS-LOG", StringComparison.Ordinal));
    }
}
