using EksSecurity.Engine.Rules.Img;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Img;

public class ImagesPinnedTests
{
    [Theory]
    [InlineData("nginx", "no tag")]
    [InlineData("nginx:latest", "(latest)")]
    [InlineData("registry.example.com:5000/team/app", "no tag")]
    [InlineData("111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:latest", "(latest)")]
    public void Untagged_or_latest_fails(string image, string expected)
    {
        var finding = Assert.Single(TestSnapshots.Run<ImagesPinned>(Snapshot(Deployment("web", "shop", Spec(Container("app", image: image))))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-IMG-008", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.StartsWith($"containers[app].image = {image}", StringComparison.Ordinal) && e.Contains(expected));
    }

    [Fact]
    public void Tag_without_digest_passes_with_an_info_note()
    {
        var container = Container("app", image: "registry.example.com:5000/team/app:2.0");
        container.ImagePullPolicy = "IfNotPresent";
        var finding = Assert.Single(TestSnapshots.Run<ImagesPinned>(Snapshot(BarePod("p", "shop", Spec(container)))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("Info", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "containers[app].image = registry.example.com:5000/team/app:2.0, imagePullPolicy = IfNotPresent (Info: pinned by tag only; a tag can be moved, a digest cannot)");
    }

    [Fact]
    public void Digest_passes_even_with_latest()
    {
        var digest = "sha256:" + new string('a', 64);
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("a", image: "nginx@" + digest), Container("b", image: "nginx:latest@" + digest))));
        var finding = Assert.Single(TestSnapshots.Run<ImagesPinned>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("pinned by digest", finding.Message);
    }

    [Fact]
    public void Init_and_ephemeral_images_are_judged()
    {
        var spec = Spec(Container("app")).WithInit(Container("setup", image: "busybox:latest")).WithEphemeral(Ephemeral("debugger", image: "nicolaka/netshoot"));
        var finding = Assert.Single(TestSnapshots.Run<ImagesPinned>(Snapshot(BarePod("p", "shop", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("2 image(s)", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("initContainers[setup]", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.StartsWith("ephemeralContainers[debugger]", StringComparison.Ordinal));
    }
}
