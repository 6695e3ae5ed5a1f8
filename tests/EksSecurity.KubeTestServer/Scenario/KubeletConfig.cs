using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Api;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Scenario;

/// <summary>The kubelet's effective configuration as /configz reports it on an EKS AL2023 node.</summary>
public static class KubeletConfig
{
    /// <summary>The defaults of an EKS-optimized AL2023 node (nodeadm), before per-node values.</summary>
    public static JsonObject EksDefault() => (JsonObject)JsonNode.Parse("""
    {
      "enableServer": true,
      "podLogsDir": "/var/log/pods",
      "syncFrequency": "1m0s",
      "fileCheckFrequency": "20s",
      "httpCheckFrequency": "20s",
      "address": "0.0.0.0",
      "port": 10250,
      "tlsCipherSuites": ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256"],
      "serverTLSBootstrap": true,
      "authentication": {
        "x509": { "clientCAFile": "/etc/kubernetes/pki/ca.crt" },
        "webhook": { "enabled": true, "cacheTTL": "2m0s" },
        "anonymous": { "enabled": false }
      },
      "authorization": {
        "mode": "Webhook",
        "webhook": { "cacheAuthorizedTTL": "5m0s", "cacheUnauthorizedTTL": "30s" }
      },
      "registryPullQPS": 5,
      "registryBurst": 10,
      "eventRecordQPS": 50,
      "eventBurst": 100,
      "enableDebuggingHandlers": true,
      "healthzPort": 10248,
      "healthzBindAddress": "127.0.0.1",
      "oomScoreAdj": -999,
      "clusterDomain": "cluster.local",
      "clusterDNS": ["172.20.0.10"],
      "streamingConnectionIdleTimeout": "4h0m0s",
      "nodeStatusUpdateFrequency": "10s",
      "nodeStatusReportFrequency": "5m0s",
      "nodeLeaseDurationSeconds": 40,
      "imageMinimumGCAge": "2m0s",
      "imageMaximumGCAge": "0s",
      "imageGCHighThresholdPercent": 85,
      "imageGCLowThresholdPercent": 80,
      "volumeStatsAggPeriod": "1m0s",
      "cgroupRoot": "/",
      "cgroupsPerQOS": true,
      "cgroupDriver": "systemd",
      "cpuManagerPolicy": "none",
      "cpuManagerReconcilePeriod": "10s",
      "memoryManagerPolicy": "None",
      "topologyManagerPolicy": "none",
      "topologyManagerScope": "container",
      "runtimeRequestTimeout": "2m0s",
      "hairpinMode": "hairpin-veth",
      "maxPods": 110,
      "podPidsLimit": -1,
      "resolvConf": "/etc/resolv.conf",
      "cpuCFSQuota": true,
      "cpuCFSQuotaPeriod": "100ms",
      "nodeStatusMaxImages": 50,
      "maxOpenFiles": 1000000,
      "contentType": "application/vnd.kubernetes.protobuf",
      "kubeAPIQPS": 10,
      "kubeAPIBurst": 20,
      "serializeImagePulls": false,
      "evictionHard": { "memory.available": "100Mi", "nodefs.available": "10%", "nodefs.inodesFree": "5%" },
      "evictionPressureTransitionPeriod": "5m0s",
      "enableControllerAttachDetach": true,
      "protectKernelDefaults": true,
      "makeIPTablesUtilChains": true,
      "iptablesMasqueradeBit": 14,
      "iptablesDropBit": 15,
      "featureGates": { "RotateKubeletServerCertificate": true },
      "failSwapOn": true,
      "memorySwap": {},
      "containerLogMaxSize": "10Mi",
      "containerLogMaxFiles": 5,
      "containerLogMaxWorkers": 1,
      "containerLogMonitorInterval": "10s",
      "configMapAndSecretChangeDetectionStrategy": "Watch",
      "kubeReserved": { "cpu": "90m", "ephemeral-storage": "1Gi", "memory": "893Mi" },
      "systemReservedCgroup": "/system",
      "kubeReservedCgroup": "/runtime",
      "enforceNodeAllocatable": ["pods"],
      "volumePluginDir": "/usr/libexec/kubernetes/kubelet-plugins/volume/exec/",
      "logging": { "format": "text", "flushFrequency": "5s", "verbosity": 2, "options": { "text": { "infoBufferSize": "0" }, "json": { "infoBufferSize": "0" } } },
      "enableSystemLogHandler": true,
      "enableSystemLogQuery": false,
      "shutdownGracePeriod": "0s",
      "shutdownGracePeriodCriticalPods": "0s",
      "enableProfilingHandler": true,
      "enableDebugFlagsHandler": true,
      "seccompDefault": false,
      "memoryThrottlingFactor": 0.9,
      "registerNode": true,
      "localStorageCapacityIsolation": true,
      "containerRuntimeEndpoint": "unix:///run/containerd/containerd.sock",
      "failCgroupV1": false,
      "rotateCertificates": true
    }
    """)!;

    /// <summary>The configz of one node: the scenario's default, this node's pod capacity and provider id, then the scenario's patches ("*" then the node's name).</summary>
    public static JsonObject For(V1Node node, JsonObject defaults, IReadOnlyDictionary<string, JsonObject> patches)
    {
        var config = (JsonObject)defaults.DeepClone();
        if (node.Status?.Capacity is { } capacity && capacity.TryGetValue("pods", out var pods) && int.TryParse(pods.ToString(), out var maxPods))
            config["maxPods"] = maxPods;
        if (node.Spec?.ProviderID is { } providerId) config["providerID"] = providerId;
        if (patches.TryGetValue("*", out var all)) Patch.MergeInto(config, all);
        if (node.Metadata?.Name is { } name && patches.TryGetValue(name, out var own)) Patch.MergeInto(config, own);
        return config;
    }
}
