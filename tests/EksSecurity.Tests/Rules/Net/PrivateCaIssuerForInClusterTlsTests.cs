using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Net;

public class PrivateCaIssuerForInClusterTlsTests
{
    private static V1Deployment Deployment(string ns, string name, string image) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new V1DeploymentSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = image }] } } },
    };

    [Fact]
    public void Absent_issuer_is_an_informational_warning()
    {
        var finding = Assert.Single(TestSnapshots.Run<PrivateCaIssuerForInClusterTls>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal("EKS-NET-017", finding.RuleId);
        Assert.Equal(Severity.Informational, finding.Severity);
        Assert.Contains("nor cert-manager", finding.Message);
    }

    [Fact]
    public void Cert_manager_without_the_issuer_is_named()
    {
        var snapshot = TestSnapshots.Empty().Add(k => k.Deployments, Deployment("cert-manager", "cert-manager", "quay.io/jetstack/cert-manager-controller:v1.16.2"));
        var finding = Assert.Single(TestSnapshots.Run<PrivateCaIssuerForInClusterTls>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("cert-manager is installed", finding.Message);
    }

    [Fact]
    public void Issuer_found_by_image_under_any_release_name_passes()
    {
        var snapshot = TestSnapshots.Empty()
            .Add(k => k.Deployments, Deployment("pca", "my-release", "public.ecr.aws/k1n1h4h4/cert-manager-aws-privateca-issuer:v1.4.0"))
            .With(s => s.Aws.Addons!.Items!.Add(new EksAddon { AddonName = "cert-manager", AddonVersion = "v1.16.2-eksbuild.1" }));
        var finding = Assert.Single(TestSnapshots.Run<PrivateCaIssuerForInClusterTls>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("EKS add-on cert-manager"));
    }

    [Fact]
    public void Denied_deployments_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Deployments = Section<V1Deployment>.Denied("list deployments.apps"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<PrivateCaIssuerForInClusterTls>(snapshot)).Status);
    }
}
