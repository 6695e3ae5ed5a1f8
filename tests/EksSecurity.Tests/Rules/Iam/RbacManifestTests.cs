using EksSecurity.Engine;
using EksSecurity.Tests.Manifests;

namespace EksSecurity.Tests.Rules.Iam;

/// <summary>The graph rules on manifest files: objects without a namespace land in "default", as kubectl applies them.</summary>
public class RbacManifestTests
{
    [Fact]
    public void A_chart_that_lets_its_own_workload_create_pods_is_caught_before_it_is_deployed()
    {
        using var tree = new TempTree();
        var path = tree.Write("chart.yaml", """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: builder
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: builder
            rules:
              - apiGroups: [""]
                resources: ["pods"]
                verbs: ["create", "delete"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: builder
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: builder
            subjects:
              - kind: ServiceAccount
                name: builder
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: builder
            spec:
              selector:
                matchLabels: {app: builder}
              template:
                metadata:
                  labels: {app: builder}
                spec:
                  serviceAccountName: builder
                  containers:
                    - name: builder
                      image: public.ecr.aws/docker/library/busybox:1.37
            """);
        IEksSecurityEngine engine = new SecurityEngine();
        var log = new RecordingLog();
        var snapshot = engine.ReadManifests(new ManifestRequest { Paths = [path] }, log);
        log.NoProblems();
        var findings = engine.Evaluate(snapshot, new EvaluationOptions { RuleIds = ["EKS-IAM-013", "EKS-IAM-025", "EKS-IAM-027"] });

        var create = Assert.Single(findings, f => f.RuleId == "EKS-IAM-013");
        Assert.Equal(FindingStatus.Fail, create.Status);
        Assert.Equal("ServiceAccount default/builder can create pods in namespace default.", create.Message);
        var workload = Assert.Single(findings, f => f.RuleId == "EKS-IAM-027");
        Assert.Equal(FindingStatus.Fail, workload.Status);
        Assert.Equal(Severity.Medium, workload.Severity);
        Assert.Equal((path, 28), (workload.SourcePath, workload.SourceLine));   // the Deployment's kind: line
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.RuleId == "EKS-IAM-025").Status);
    }
}
