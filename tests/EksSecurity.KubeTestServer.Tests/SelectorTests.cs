using EksSecurity.KubeTestServer.Api;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Tests;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["app"] = "web",
        ["tier"] = "frontend",
        ["app.kubernetes.io/name"] = "web",
        ["replicas"] = "3",
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=api", false)]
    [InlineData("app!=api", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (api,web)", true)]
    [InlineData("app in (api, db)", false)]
    [InlineData("app notin (api,db)", true)]
    [InlineData("missing notin (a)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("tier", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!tier", false)]
    [InlineData("app.kubernetes.io/name=web", true)]
    [InlineData("app=web,tier=frontend", true)]
    [InlineData("app=web,tier=backend", false)]
    [InlineData("app in (web),!missing,tier", true)]
    [InlineData("replicas>2", true)]
    [InlineData("replicas<3", false)]
    [InlineData(" app = web ", true)]
    public void LabelSelectorMatches(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Fact]
    public void LabelSelectorOnObjectsWithoutLabels()
    {
        Assert.True(LabelSelector.Parse("app!=web").Matches(null));
        Assert.True(LabelSelector.Parse("!app").Matches(null));
        Assert.False(LabelSelector.Parse("app").Matches(null));
        Assert.False(LabelSelector.Parse("app in (web)").Matches(null));
    }

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app in ()")]
    [InlineData("app in web")]
    [InlineData("=web")]
    [InlineData("app=web,")]
    [InlineData("-app=web")]
    [InlineData("app=we b!")]
    [InlineData("replicas>two")]
    public void MalformedLabelSelectorsAreRefused(string selector) =>
        Assert.StartsWith("unable to parse requirement", Assert.Throws<SelectorException>(() => LabelSelector.Parse(selector)).Message);

    [Fact]
    public void FieldSelectorsOnMetadataAndIndexedFields()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-1", NamespaceProperty = "shop" },
            Spec = new V1PodSpec { NodeName = "node-a", Containers = [] },
            Status = new V1PodStatus { Phase = "Running" },
        };
        bool M(string s) => FieldSelector.Parse(s, ResourceCatalog.Pods).Matches(pod);
        Assert.True(M("metadata.name=web-1"));
        Assert.True(M("metadata.name==web-1,metadata.namespace=shop"));
        Assert.False(M("metadata.namespace!=shop"));
        Assert.True(M("spec.nodeName=node-a"));
        Assert.True(M("status.phase!=Pending"));
        Assert.False(M("status.phase=Pending"));
        Assert.True(M("spec.hostNetwork=false"));

        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = "shop" }, Type = "kubernetes.io/tls" };
        Assert.True(FieldSelector.Parse("type=kubernetes.io/tls", ResourceCatalog.Secrets).Matches(secret));
    }

    [Fact]
    public void UnsupportedFieldLabelsAreRefusedAsTheApiServerDoes()
    {
        Assert.Equal("field label not supported: spec.nodeName", Assert.Throws<SelectorException>(() => FieldSelector.Parse("spec.nodeName=x", ResourceCatalog.Deployments)).Message);
        Assert.Equal("field label not supported: type", Assert.Throws<SelectorException>(() => FieldSelector.Parse("type=Opaque", ResourceCatalog.ConfigMaps)).Message);
    }
}
