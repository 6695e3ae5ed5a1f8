using System.Text;
using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Infra;

/// <summary>The KubeletConfigs and NodeMetrics sections as snapshot files carry them.</summary>
public class KubeletConfigSampleTests
{
    private const string File = """
        {
          "schemaVersion": 1,
          "clusterName": "c",
          "kubernetes": {
            "kubeletConfigs": {
              "status": "collected",
              "items": [
                {
                  "nodeName": "ip-10-0-1-10.eu-west-1.compute.internal",
                  "nodeGroup": "general",
                  "launchTemplate": "lt-0abc:4",
                  "kubeletconfig": {
                    "enableServer": true,
                    "authentication": { "x509": { "clientCAFile": "/etc/kubernetes/pki/ca.crt" }, "webhook": { "enabled": true, "cacheTTL": "2m0s" }, "anonymous": { "enabled": false } },
                    "authorization": { "mode": "Webhook", "webhook": { "cacheAuthorizedTTL": "5m0s" } },
                    "streamingConnectionIdleTimeout": "4h0m0s",
                    "eventRecordQPS": 50,
                    "makeIPTablesUtilChains": true,
                    "serverTLSBootstrap": true,
                    "featureGates": { "RotateKubeletServerCertificate": true, "DynamicResourceAllocation": true },
                    "protectKernelDefaults": true,
                    "podPidsLimit": -1,
                    "tlsCipherSuites": [ "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" ]
                  }
                },
                { "nodeName": "ip-10-0-2-20.eu-west-1.compute.internal", "nodeGroup": "batch", "error": "403 Forbidden: nodes/proxy" }
              ]
            },
            "nodeMetrics": {
              "status": "collected",
              "items": [
                { "metadata": { "name": "ip-10-0-1-10.eu-west-1.compute.internal" }, "timestamp": "2026-11-01T00:00:00Z", "window": "20.05s", "usage": { "cpu": "250m", "memory": "1536Mi" } }
              ]
            }
          }
        }
        """;

    [Fact]
    public void Configz_fields_are_read_as_the_kubelet_names_them()
    {
        var snapshot = SnapshotReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(File)), "test.json");
        Assert.Equal(SectionStatus.Collected, snapshot.DescribeSection(SnapshotSection.KubeletConfigs).Status);
        var samples = snapshot.Kubernetes.KubeletConfigs!.All;
        Assert.Equal(2, samples.Count);
        var config = samples[0].KubeletConfig!;
        Assert.Equal("general", samples[0].NodeGroup);
        Assert.Equal("lt-0abc:4", samples[0].LaunchTemplate);
        Assert.False(config.Authentication!.Anonymous!.Enabled);
        Assert.True(config.Authentication.Webhook!.Enabled);
        Assert.Equal("/etc/kubernetes/pki/ca.crt", config.Authentication.X509!.ClientCaFile);
        Assert.Equal("Webhook", config.Authorization!.Mode);
        Assert.Null(config.ReadOnlyPort); // left out by configz, as 0 is
        Assert.Equal("4h0m0s", config.StreamingConnectionIdleTimeout);
        Assert.Equal(50, config.EventRecordQps);
        Assert.True(config.MakeIPTablesUtilChains);
        Assert.Null(config.RotateCertificates);
        Assert.True(config.ServerTlsBootstrap);
        Assert.True(config.FeatureGates!["RotateKubeletServerCertificate"]);
        Assert.True(config.ProtectKernelDefaults);
        Assert.Equal(-1, config.PodPidsLimit);
        Assert.Equal(["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"], config.TlsCipherSuites);
        Assert.Null(config.TlsMinVersion);
        Assert.Null(samples[1].KubeletConfig);
        Assert.Equal("403 Forbidden: nodes/proxy", samples[1].Error);
    }

    [Fact]
    public void Node_metrics_are_read()
    {
        var snapshot = SnapshotReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(File)), "test.json");
        var metric = Assert.Single(snapshot.Kubernetes.NodeMetrics!.All);
        Assert.Equal("ip-10-0-1-10.eu-west-1.compute.internal", metric.Metadata.Name);
        Assert.Equal(0.25m, metric.Usage["cpu"].ToDecimal());
        Assert.Equal(1536m * 1024 * 1024, metric.Usage["memory"].ToDecimal());
    }

    [Fact]
    public void Sections_round_trip_through_a_snapshot_file()
    {
        var snapshot = SnapshotReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(File)), "test.json");
        using var stream = new MemoryStream();
        SnapshotWriter.Write(snapshot, stream);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"kubeletconfig\":{", text);
        Assert.Contains("\"eventRecordQPS\":50", text);
        Assert.Contains("\"clientCAFile\":", text);
        Assert.Contains("\"enableServer\":true", text);       // fields no rule reads yet survive
        Assert.Contains("\"cacheTTL\":\"2m0s\"", text);
        var again = SnapshotReader.Read(new MemoryStream(stream.ToArray()), "again.json");
        Assert.Equal(50, again.Kubernetes.KubeletConfigs!.All[0].KubeletConfig!.EventRecordQps);
        Assert.Single(again.Kubernetes.NodeMetrics!.All);
    }

    [Fact]
    public void Group_keys_follow_the_node_labels()
    {
        var managed = NodeFixtures.Node("a", nodeGroup: "general", launchTemplate: "lt-1:2");
        Assert.Equal(("general", "lt-1:2"), KubeletConfigSample.GroupOf(managed));
        var eksctl = NodeFixtures.Node("b", nodeGroup: null, labels: new Dictionary<string, string> { ["alpha.eksctl.io/nodegroup-name"] = "ng-1" });
        Assert.Equal(("eksctl:ng-1", null), KubeletConfigSample.GroupOf(eksctl));
        var bare = NodeFixtures.Node("c", nodeGroup: null);
        Assert.Equal("node:c", KubeletConfigSample.GroupKeyOf(bare));
        var sample = NodeFixtures.Sample(managed, null);
        Assert.Equal(KubeletConfigSample.GroupKeyOf(managed), sample.GroupKey);
        Assert.Equal("auto", KubeletConfigSample.AwsManagedComputeType(NodeFixtures.Node("d", computeType: "auto")));
        Assert.Null(KubeletConfigSample.AwsManagedComputeType(NodeFixtures.Node("e", computeType: "hybrid")));
    }
}
