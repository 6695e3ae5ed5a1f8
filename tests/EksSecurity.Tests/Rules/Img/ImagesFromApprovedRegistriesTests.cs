using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Img;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Img;

public class ImagesFromApprovedRegistriesTests
{
    [Fact]
    public void Docker_hub_image_fails()
    {
        var snapshot = Snapshot(Deployment("web", "shop", Spec(Container("nginx", image: "nginx:1.25"))));
        var finding = Assert.Single(TestSnapshots.Run<ImagesFromApprovedRegistries>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-IMG-007", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains(finding.Evidence, e => e == "containers[nginx].image = nginx:1.25 (registry docker.io, repository library/nginx: not approved)");
    }

    [Fact]
    public void Own_ecr_and_eks_registries_pass()
    {
        var spec = Spec(
                Container("app", image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.1"),
                Container("proxy", image: "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/kube-proxy:v1.33.0-eksbuild.2"),
                Container("lbc", image: "public.ecr.aws/eks/aws-load-balancer-controller:v2.8.1"))
            .WithInit(Container("init", image: "900612956339.dkr.ecr.eu-central-2.amazonaws.com/amazon-k8s-cni-init:v1.18"));
        var finding = Assert.Single(TestSnapshots.Run<ImagesFromApprovedRegistries>(Snapshot(Deployment("api", "shop", spec))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("approved by 111122223333.dkr.ecr.eu-west-1.amazonaws.com"));
    }

    [Fact]
    public void Another_accounts_or_regions_ecr_fails()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(
            Container("a", image: "999988887777.dkr.ecr.eu-west-1.amazonaws.com/app:1"),
            Container("b", image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1"))));
        var finding = Assert.Single(TestSnapshots.Run<ImagesFromApprovedRegistries>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("2 image(s)", finding.Message);
    }

    [Fact]
    public void Ephemeral_debug_image_is_judged()
    {
        var spec = Spec(Container("app")).WithEphemeral(Ephemeral("debugger", image: "busybox"));
        var finding = Assert.Single(TestSnapshots.Run<ImagesFromApprovedRegistries>(Snapshot(BarePod("p", "shop", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("ephemeralContainers[debugger].image = busybox (registry docker.io, repository library/busybox", StringComparison.Ordinal));
    }

    [Fact]
    public void Allowlist_is_configurable()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", image: "ghcr.io/acme/api:1.0"), Container("db", image: "ghcr.io/other/db:1"))));
        var settings = new RuleSettings { ApprovedRegistries = ["{AccountId}.dkr.ecr.{Region}.amazonaws.com", "ghcr.io/acme/*"] };
        var finding = Assert.Single(TestSnapshots.Run<ImagesFromApprovedRegistries>(snapshot, settings));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("containers[db]", StringComparison.Ordinal) && e.Contains("not approved"));
        Assert.Contains(finding.Evidence, e => e.StartsWith("containers[app]", StringComparison.Ordinal) && e.Contains("approved by ghcr.io/acme/*"));
    }

    [Fact]
    public void Without_an_account_id_the_own_ecr_pattern_is_skipped_and_said_so()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app")))).With(s => s.AccountId = null);
        var finding = Assert.Single(TestSnapshots.Run<ImagesFromApprovedRegistries>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("skipped: the snapshot has no account id or region"));
    }
}
