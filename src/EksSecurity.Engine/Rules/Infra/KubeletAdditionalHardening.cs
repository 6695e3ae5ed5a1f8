using System.Globalization;
using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-018: protectKernelDefaults, a pod PID limit, strong TLS cipher suites and a modern minimum TLS version.</summary>
public sealed class KubeletAdditionalHardening : KubeletConfigRule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-018",
        Title = "Additional kubelet hardening",
        Severity = Severity.Low,
        Area = RuleArea.Infra,
        Rationale = "Several smaller kubelet settings limit the damage one pod can do to its node: protectKernelDefaults makes the kubelet refuse to " +
                    "change kernel tunables instead of silently adjusting them; podPidsLimit stops a fork bomb in one pod from exhausting the node's " +
                    "process table for every other pod; strong cipher suites and TLS 1.2 or later keep the kubelet API from negotiating " +
                    "encryption an attacker on the network can break.",
        Remediation = HowToSet("      protectKernelDefaults: true\n      podPidsLimit: 4096\n      tlsMinVersion: VersionTLS12\n      tlsCipherSuites:\n" +
                               "        - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n        - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n" +
                               "        - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n        - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n") +
                      " Size podPidsLimit for the largest workload; protectKernelDefaults needs the node's sysctls already set as the kubelet expects (EKS AMIs do).",
        References = [InfrastructureReference, "https://kubernetes.io/docs/concepts/policy/pid-limiting/", KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.2.0 3.2.6", "CIS EKS 1.2.0 3.2.8", "Kubescape C-0177", "Kubescape C-0284", "Kubescape C-0184", "Kubescape C-0179", "Prowler kubelet_strong_ciphers_only"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["kubelet", "nodes", "configz", "tls", "hardening"],
    };

    private static int? TlsLevel(string? version) => version?.Trim() switch
    {
        "VersionTLS10" => 10,
        "VersionTLS11" => 11,
        "VersionTLS12" => 12,
        "VersionTLS13" => 13,
        _ => null,
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        var settings = context.Settings;
        var evidence = new List<string>();
        var problems = new List<string>();

        if (IsWindows(node))
            evidence.Add("protectKernelDefaults: not judged on a Windows node");
        else
        {
            evidence.Add($"protectKernelDefaults = {Show(config.ProtectKernelDefaults, false)}");
            if (!(config.ProtectKernelDefaults ?? false)) problems.Add("protectKernelDefaults is off");
        }

        var pids = config.PodPidsLimit;
        evidence.Add($"podPidsLimit = {Show(pids, -1)}");
        if ((pids ?? -1) <= 0) problems.Add("pods have no PID limit");

        var suites = config.TlsCipherSuites;
        if (suites is null || suites.Count == 0)
            evidence.Add("tlsCipherSuites = (absent: Go's default suites)");
        else
        {
            evidence.Add($"tlsCipherSuites = [{string.Join(", ", suites)}]");
            var weak = suites.Where(s => !settings.KubeletStrongCipherSuites.Contains(s, StringComparer.Ordinal)).ToList();
            if (weak.Count > 0) problems.Add($"weak or unlisted cipher suite(s) {string.Join(", ", weak)}");
        }

        var min = config.TlsMinVersion;
        evidence.Add($"tlsMinVersion = {(min is null ? "(absent: Go's default, TLS 1.2 on current kubelets)" : min)}");
        if (min is not null)
        {
            var level = TlsLevel(min);
            var required = TlsLevel(settings.KubeletMinTlsVersion) ?? 12;
            if (level is null) problems.Add($"tlsMinVersion '{min}' is not a TLS version the kubelet knows");
            else if (level < required) problems.Add($"tlsMinVersion {min} is below {settings.KubeletMinTlsVersion}");
        }
        evidence.Add("hostname-override and other command-line flags are not visible in configz and are not judged");

        return problems.Count > 0
            ? Verdict.Warn($"The kubelet of {who} lacks hardening: {string.Join("; ", problems)}.", [.. evidence])
            : Verdict.Pass($"The kubelet of {who} protects kernel defaults, limits pod PIDs and uses strong TLS settings.", [.. evidence]);
    }
}
