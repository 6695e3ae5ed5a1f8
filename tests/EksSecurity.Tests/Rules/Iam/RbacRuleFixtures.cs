using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Iam;

/// <summary>ServiceAccounts, workloads and Secrets for the graph-based RBAC rule tests (EKS-IAM-012 to 028).</summary>
internal static class RbacRuleFixtures
{
    public static V1ServiceAccount Account(string ns, string name, bool? automount = null, string? irsaRoleArn = null) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns, annotations: irsaRoleArn is null ? null : new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = irsaRoleArn }),
        AutomountServiceAccountToken = automount,
    };

    public static V1PodSpec PodSpec(string? account, bool? automount = null) => new()
    {
        ServiceAccountName = account,
        AutomountServiceAccountToken = automount,
        Containers = [new V1Container { Name = "app", Image = "public.ecr.aws/docker/library/nginx:1.27" }],
    };

    public static V1Deployment Deployment(string ns, string name, string? account, bool? automount = null) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector(),
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = PodSpec(account, automount) },
        },
    };

    public static V1Pod BarePod(string ns, string name, string? account, bool? automount = null) =>
        new() { Metadata = TestSnapshots.Meta(name, ns), Spec = PodSpec(account, automount) };

    public static V1Secret TokenSecret(string ns, string name, string? account) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns, annotations: account is null ? null : new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = account }),
        Type = "kubernetes.io/service-account-token",
    };

    public static V1Secret OpaqueSecret(string ns, string name) => new() { Metadata = TestSnapshots.Meta(name, ns), Type = "Opaque" };

    /// <summary>Adds RBAC objects (as IamFixtures.WithBindings does) and ServiceAccounts, pods, Deployments and Secrets to their sections.</summary>
    public static ClusterSnapshot WithObjects(this ClusterSnapshot snapshot, params object[] objects)
    {
        var rbac = new List<object>();
        foreach (var o in objects)
        {
            switch (o)
            {
                case V1ServiceAccount sa: snapshot.Kubernetes.ServiceAccounts!.Items!.Add(sa); break;
                case V1Deployment d: snapshot.Kubernetes.Deployments!.Items!.Add(d); break;
                case V1Pod p: snapshot.Kubernetes.Pods!.Items!.Add(p); break;
                case V1Secret s: snapshot.Kubernetes.Secrets!.Items!.Add(s); break;
                default: rbac.Add(o); break;
            }
        }
        return snapshot.WithBindings([.. rbac]);
    }

    public static ClusterSnapshot Cluster(params object[] objects) => TestSnapshots.Empty().WithObjects(objects);

    public static V1ClusterRoleBinding Labelled(this V1ClusterRoleBinding binding, string key, string value)
    {
        binding.Metadata.Labels = new Dictionary<string, string> { [key] = value };
        return binding;
    }

    public static V1RoleBinding Labelled(this V1RoleBinding binding, string key, string value)
    {
        binding.Metadata.Labels = new Dictionary<string, string> { [key] = value };
        return binding;
    }
}
