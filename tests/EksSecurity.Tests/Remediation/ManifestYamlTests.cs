using System.Text.Json.Nodes;
using EksSecurity.Engine.Remediation;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace EksSecurity.Tests.Remediation;

/// <summary>The YAML writer, the writer's comparisons and the namespace inventory.</summary>
public sealed class ManifestYamlTests
{
    [Theory]
    // Plain where nothing else can be read into them.
    [InlineData("payments", false)]
    [InlineData("169.254.169.254/32", false)]
    [InlineData("fd00:ec2::254/128", false)]
    [InlineData("app.kubernetes.io/managed-by", false)]
    [InlineData("sg-0123456789abcdef0", false)]
    [InlineData("hello world", false)]
    // Quoted where a YAML 1.1 or 1.2 reader would see a bool, null, number, date or an indicator.
    [InlineData("y", true)]
    [InlineData("no", true)]
    [InlineData("On", true)]
    [InlineData("true", true)]
    [InlineData("null", true)]
    [InlineData("~", true)]
    [InlineData("80", true)]
    [InlineData("1.30", true)]
    [InlineData("1e3", true)]
    [InlineData("0x1F", true)]
    [InlineData("0o17", true)]
    [InlineData("1:20", true)]
    [InlineData(".inf", true)]
    [InlineData("2024-01-01", true)]
    [InlineData("::/0", true)]
    [InlineData("-x", true)]
    [InlineData("a: b", true)]
    [InlineData("a #b", true)]
    [InlineData("ends:", true)]
    [InlineData("trailing ", true)]
    [InlineData("", true)]
    [InlineData("say \"hi\"\n", true)]
    [InlineData("{x}", true)]
    public void Strings_stay_plain_only_when_they_read_back_as_the_same_string(string value, bool quoted)
    {
        var yaml = ManifestYaml.ToYaml(new JsonObject { ["k"] = value, [value] = "v" });
        Assert.Equal(quoted, yaml.StartsWith("k: \"", StringComparison.Ordinal));
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var map = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal(value, ((YamlScalarNode)map.Children[new YamlScalarNode("k")]).Value);
        Assert.Contains(map.Children, c => ((YamlScalarNode)c.Key).Value == value);
        if (!quoted) Assert.Equal(YamlDotNet.Core.ScalarStyle.Plain, ((YamlScalarNode)map.Children[new YamlScalarNode("k")]).Style);
    }

    [Fact]
    public void Nested_lists_and_maps_in_kubectl_layout()
    {
        var obj = new JsonObject
        {
            ["a"] = new JsonArray { new JsonObject { ["b"] = new JsonArray { "x", "y" }, ["c"] = 1 }, new JsonArray { "z" }, "w" },
            ["d"] = new JsonObject { ["e"] = true, ["f"] = null, ["g"] = new JsonArray(), ["h"] = new JsonObject() },
        };
        Assert.Equal("""
            a:
            - b:
              - x
              - "y"
              c: 1
            - - z
            - w
            d:
              e: true
              f: null
              g: []
              h: {}

            """.ReplaceLineEndings("\n"), ManifestYaml.ToYaml(obj));
    }

    [Fact]
    public void A_stored_object_holds_the_manifest_when_it_has_every_field_of_it_whatever_the_server_added()
    {
        var desired = JsonNode.Parse("""{"metadata":{"labels":{"a":"1"}},"spec":{"podSelector":{},"policyTypes":["Egress"],"egress":[{"to":[{"ipBlock":{"cidr":"0.0.0.0/0"}}]}]}}""")!.AsObject();
        var stored = JsonNode.Parse("""{"metadata":{"name":"x","resourceVersion":"7","labels":{"a":"1","b":"2"}},"spec":{"policyTypes":["Egress"],"egress":[{"to":[{"ipBlock":{"cidr":"0.0.0.0/0"}}],"ports":[]}]},"status":{}}""")!.AsObject();
        Assert.True(KubernetesWriter.Holds(stored, desired), "an empty podSelector the server dropped, an extra label and field");
        var changed = (JsonObject)stored.DeepClone();
        changed["spec"]!["egress"]![0]!["to"]![0]!["ipBlock"]!["cidr"] = "10.0.0.0/8";
        Assert.False(KubernetesWriter.Holds(changed, desired));
        var relabelled = (JsonObject)stored.DeepClone();
        relabelled["metadata"]!["labels"]!["a"] = "2";
        Assert.False(KubernetesWriter.Holds(relabelled, desired));
        var moreItems = (JsonObject)stored.DeepClone();
        moreItems["spec"]!["policyTypes"]!.AsArray().Add("Ingress");
        Assert.False(KubernetesWriter.Holds(moreItems, desired));

        var replacement = KubernetesWriter.Replacement(changed, desired);
        Assert.True(KubernetesWriter.Holds(replacement, desired));
        Assert.Equal("7", (string?)replacement["metadata"]!["resourceVersion"]);
        Assert.Equal("2", (string?)replacement["metadata"]!["labels"]!["b"]);
        Assert.Null(replacement["spec"]!["egress"]![0]!["ports"]);
    }

    [Theory]
    [InlineData("NetworkPolicy", "networkpolicies")]
    [InlineData("SecurityGroupPolicy", "securitygrouppolicies")]
    [InlineData("Ingress", "ingresses")]
    [InlineData("Gateway", "gateways")]
    [InlineData("ConfigMap", "configmaps")]
    public void Plural_resource_names(string kind, string plural) => Assert.Equal(plural, KubernetesWriter.Plural(kind));

    [Fact]
    public void The_inventory_of_the_demo_snapshot_marks_eks_namespaces_and_reads_the_ip_family()
    {
        var snapshot = SnapshotReader.Read(RepoPaths.InRepo("examples", "demo-cluster", "snapshot.json"));
        var info = NamespaceInventory.From(snapshot);
        Assert.True(info.Collected);
        Assert.Equal("ipv4", info.IpFamily);
        Assert.False(info.IsIPv6);
        Assert.Equal(["kube-node-lease", "kube-public", "kube-system"], info.Namespaces.Where(n => n.IsSystem).Select(n => n.Name));
        Assert.Contains(info.Namespaces, n => n.Name == "payments" && !n.IsSystem);
        Assert.True(KubernetesNames.IsSystemNamespace("amazon-cloudwatch"));
    }

    [Fact]
    public void Without_a_cluster_description_the_ip_family_is_the_kubernetes_services()
    {
        static ClusterSnapshot WithService(V1ServiceSpec spec) => new()
        {
            Kubernetes = new KubernetesSections
            {
                Namespaces = Section<V1Namespace>.Collected([]),
                Services = Section<V1Service>.Collected([new V1Service { Metadata = new V1ObjectMeta { Name = "kubernetes", NamespaceProperty = "default" }, Spec = spec }]),
            },
        };
        Assert.Equal("ipv6", NamespaceInventory.IpFamily(WithService(new V1ServiceSpec { IpFamilies = ["IPv6"], ClusterIP = "fd12::1" })));
        Assert.Equal("ipv6", NamespaceInventory.IpFamily(WithService(new V1ServiceSpec { ClusterIP = "fd12::1" })));
        Assert.Equal("ipv4", NamespaceInventory.IpFamily(WithService(new V1ServiceSpec { ClusterIP = "172.20.0.1" })));
        Assert.Null(NamespaceInventory.IpFamily(new ClusterSnapshot()));
        var missing = NamespaceInventory.From(new ClusterSnapshot());
        Assert.False(missing.Collected);
        Assert.Contains("no namespaces", missing.Problem);
    }
}
