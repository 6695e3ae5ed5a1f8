namespace EksSecurity.KubeTestServer;

/// <summary>How the server runs (what it serves is the <see cref="Scenario.KubeScenario"/>).</summary>
public sealed class KubeTestServerOptions
{
    /// <summary>
    /// Validates bearer tokens of the EKS form ("k8s-aws-v1.…"): returns the Kubernetes user and
    /// groups, or null to refuse (401). Tokens the scenario lists are matched first. Without a
    /// validator, EKS tokens not in the scenario are refused.
    /// </summary>
    public Func<string, (string User, string[] Groups)?>? EksTokenValidator { get; set; }

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Offer HTTP/2 (ALPN h2), as the API server does; kubectl and Go clients use it.</summary>
    public bool Http2 { get; set; } = true;

    /// <summary>/version, /healthz, /livez and /readyz answer without a token (system:public-info-viewer), as on EKS.</summary>
    public bool AnonymousPublicInfo { get; set; } = true;

    /// <summary>The longest a watch stays open after its initial events.</summary>
    public TimeSpan MaxWatch { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Diagnostic lines (secret data requests, dropped connections); Console.Error in the console entry point.</summary>
    public Action<string>? Log { get; set; }
}
