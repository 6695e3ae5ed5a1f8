namespace EksSecurity;

/// <summary>
/// A Kubernetes object a remediation cmdlet generated (a NetworkPolicy, a SecurityGroupPolicy ...): shows as its YAML,
/// carries its JSON, and is what <c>-OutFile</c> writes and <c>-Apply</c> sends.
/// </summary>
public sealed class KubernetesManifest
{
    /// <summary>networking.k8s.io/v1, vpcresources.k8s.aws/v1beta1 ...</summary>
    public required string ApiVersion { get; init; }
    public required string Kind { get; init; }
    /// <summary>Empty for a cluster-scoped object.</summary>
    public string Namespace { get; init; } = "";
    public required string Name { get; init; }
    /// <summary>The object as one YAML document (no leading ---), ending in a newline.</summary>
    public required string Yaml { get; init; }
    /// <summary>The object as indented JSON: <c>$m.Json | ConvertFrom-Json</c>, <c>kubectl apply -f</c>.</summary>
    public required string Json { get; init; }
    /// <summary>The cluster it was generated for, when one was named.</summary>
    public string? ClusterName { get; init; }

    /// <summary>The YAML document, so that Pester and string contexts print the object itself.</summary>
    public override string ToString() => Yaml;

    /// <summary>Several manifests as one multi-document YAML stream, separated by <c>---</c>.</summary>
    public static string JoinYaml(IEnumerable<KubernetesManifest> manifests) =>
        string.Concat(manifests.Select(m => "---\n" + (m.Yaml.EndsWith('\n') ? m.Yaml : m.Yaml + "\n")));
}

/// <summary>
/// How to reach a live cluster's Kubernetes API: a kubeconfig (<see cref="KubeConfigPath"/>, <see cref="KubeContext"/>), or a
/// token minted from the AWS credentials for the endpoint and CA that eks:DescribeCluster of <see cref="ClusterName"/> returns.
/// With both, the kubeconfig reaches the API and the description only supplies facts (the IP family).
/// </summary>
public sealed class KubernetesAccessRequest
{
    /// <summary>The EKS cluster; needs <see cref="Aws"/>.</summary>
    public string? ClusterName { get; init; }
    public AwsAccessRequest? Aws { get; init; }
    public string? KubeConfigPath { get; init; }
    public string? KubeContext { get; init; }

    /// <summary>Whether a kubeconfig (a file or a context of the default one) was asked for.</summary>
    public bool UsesKubeconfig => KubeConfigPath is not null || KubeContext is not null;
}

/// <summary>What to read from a live cluster for a remediation: namespaces (all, or the named ones) and optionally their pods.</summary>
public sealed class KubernetesReadRequest
{
    /// <summary>The namespaces to read; null for every namespace. Names that do not exist are left out of the result.</summary>
    public IReadOnlyList<string>? Namespaces { get; init; }
    /// <summary>Also read the pods of those namespaces.</summary>
    public bool Pods { get; init; }
    /// <summary>Also read the NetworkPolicies of those namespaces.</summary>
    public bool NetworkPolicies { get; init; }
    public int PageSize { get; init; } = 500;
}

/// <summary>A namespace as the remediation cmdlets see it.</summary>
public sealed class KubernetesNamespace
{
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Active or Terminating; null when the object did not say.</summary>
    public string? Phase { get; init; }
    /// <summary>kube-system, kube-public, kube-node-lease and amazon-*: EKS's own.</summary>
    public bool IsSystem { get; init; }

    public override string ToString() => Name;
}

/// <summary>The namespaces of a cluster (live or a snapshot) and its IP family.</summary>
public sealed class ClusterNamespaces
{
    public string ClusterName { get; init; } = "";
    /// <summary>ipv4 or ipv6 (eks:DescribeCluster kubernetesNetworkConfig.ipFamily, else the kubernetes Service's family); null when unknown.</summary>
    public string? IpFamily { get; init; }
    /// <summary>Whether the namespaces could be read at all (false: the section was denied, failed or absent; <see cref="Problem"/> says why).</summary>
    public bool Collected { get; init; }
    public string? Problem { get; init; }
    public IReadOnlyList<KubernetesNamespace> Namespaces { get; init; } = [];

    public bool IsIPv6 => string.Equals(IpFamily, "ipv6", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What New-EksMetadataDenyPolicy generates.</summary>
public sealed class MetadataDenyPolicyRequest
{
    public required IReadOnlyList<string> Namespaces { get; init; }
    /// <summary>The deny policy's name in each namespace.</summary>
    public string Name { get; init; } = DefaultName;
    /// <summary>Labels of the pods that may still reach the instance metadata service (a companion policy); null for none.</summary>
    public IReadOnlyDictionary<string, string>? AllowPodSelector { get; init; }
    /// <summary>Also deny fd00:ec2::254/128, the IPv6 endpoint (IPv6 clusters).</summary>
    public bool IPv6 { get; init; }
    public string? ClusterName { get; init; }

    public const string DefaultName = "deny-instance-metadata";
}

/// <summary>
/// How a namespace's existing NetworkPolicies (the generated ones aside) already treat egress to the instance metadata service,
/// and what adding the deny policy would change. NetworkPolicies only add allowed traffic: the deny policy cannot take away
/// what another policy allows, and it gives every pod that another policy isolates for egress all other egress too.
/// </summary>
public sealed class MetadataEgressReview
{
    public required string Namespace { get; init; }
    /// <summary>Every pod is already isolated for egress and no policy lets it reach the metadata service: the deny policy is not needed and would widen egress.</summary>
    public bool AlreadyDenied { get; init; }
    /// <summary>Policies that isolate some pods for egress: with the deny policy those pods may send anywhere but the metadata service.</summary>
    public IReadOnlyList<string> WidenedPolicies { get; init; } = [];
    /// <summary>Policies that allow egress to the metadata service: their pods keep reaching it.</summary>
    public IReadOnlyList<string> AllowingPolicies { get; init; } = [];
    /// <summary>What to tell the user; empty when there is nothing to say.</summary>
    public string Message { get; init; } = "";

    public override string ToString() => Message.Length == 0 ? $"{Namespace}: no other egress policy" : Message;
}

/// <summary>What New-EksSecurityGroupPolicy generates: one vpcresources.k8s.aws/v1beta1 SecurityGroupPolicy per namespace.</summary>
public sealed class SecurityGroupPolicyRequest
{
    public required IReadOnlyList<string> Namespaces { get; init; }
    public required string Name { get; init; }
    /// <summary>matchLabels of the pods; exactly one of this and <see cref="ServiceAccountSelector"/>. Empty selects every pod.</summary>
    public IReadOnlyDictionary<string, string>? PodSelector { get; init; }
    /// <summary>matchLabels of the service accounts whose pods get the groups.</summary>
    public IReadOnlyDictionary<string, string>? ServiceAccountSelector { get; init; }
    /// <summary>sg- followed by 8 or 17 hex digits; at most 5, the branch-ENI limit.</summary>
    public required IReadOnlyList<string> SecurityGroupIds { get; init; }
    public string? ClusterName { get; init; }
}

/// <summary>How writes to a cluster are sent.</summary>
public sealed class KubernetesWriteOptions
{
    /// <summary>Server-side dry run (?dryRun=All): validated and answered, nothing stored.</summary>
    public bool DryRun { get; init; }
    public string FieldManager { get; init; } = "eks-security";
}

/// <summary>What a write did to one object.</summary>
public enum KubernetesApplyAction
{
    /// <summary>The object did not exist and was created.</summary>
    Created,
    /// <summary>The object existed and differed; it was replaced (labels: patched).</summary>
    Updated,
    /// <summary>The object already was as asked; nothing was sent.</summary>
    Unchanged,
    /// <summary>The write was refused or failed; <see cref="KubernetesApplyResult.ErrorId"/> and Message say why.</summary>
    Failed,
}

/// <summary>One object written (or not) by -Apply or Set-EksPodSecurityLabel.</summary>
public sealed class KubernetesApplyResult
{
    public string ClusterName { get; init; } = "";
    public required string Kind { get; init; }
    public string Namespace { get; init; } = "";
    public required string Name { get; init; }
    public required KubernetesApplyAction Action { get; init; }
    /// <summary>Sent as a server-side dry run: nothing was stored.</summary>
    public bool DryRun { get; init; }
    public string Message { get; init; } = "";
    /// <summary>Stable id when <see cref="Action"/> is Failed: KubernetesWriteDenied, NamespaceNotFound, KubernetesWriteInvalid, KubernetesWriteFailed, ManifestKindNotSupported.</summary>
    public string? ErrorId { get; init; }

    /// <summary>As kubectl prints it: "networkpolicy.networking.k8s.io/deny-instance-metadata created (server dry run)".</summary>
    public override string ToString()
    {
        var what = $"{Kind.ToLowerInvariant()}/{(Namespace.Length == 0 ? "" : Namespace + "/")}{Name}";
        var action = Action switch
        {
            KubernetesApplyAction.Created => "created",
            KubernetesApplyAction.Updated => "configured",
            KubernetesApplyAction.Unchanged => "unchanged",
            _ => "failed: " + Message,
        };
        return $"{what} {action}{(DryRun ? " (server dry run)" : "")}";
    }
}

/// <summary>A change of one namespace's labels; a null value removes the label.</summary>
public sealed class NamespaceLabelChange
{
    public required string Namespace { get; init; }
    public required IReadOnlyDictionary<string, string?> Labels { get; init; }
}

/// <summary>The Pod Security admission modes a namespace label sets.</summary>
public enum PodSecurityMode
{
    Enforce,
    Audit,
    Warn,
}

/// <summary>What Set-EksPodSecurityLabel did, or would do, to one namespace.</summary>
public sealed class PodSecurityLabelResult
{
    public string ClusterName { get; init; } = "";
    public required string Namespace { get; init; }
    public required PodSecurityLevel Level { get; init; }
    public required IReadOnlyList<PodSecurityMode> Mode { get; init; }
    /// <summary>The policy version the pods were judged at: -Version, else the namespace's version label, else latest.</summary>
    public required string Version { get; init; }
    /// <summary>The labels to set (pod-security.kubernetes.io/&lt;mode&gt; and, with -Version, &lt;mode&gt;-version).</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    /// <summary>The pod-security.kubernetes.io/* labels the namespace had before.</summary>
    public IReadOnlyDictionary<string, string> PreviousLabels { get; init; } = new Dictionary<string, string>();
    /// <summary>The labels differ from the namespace's.</summary>
    public required bool Changed { get; init; }
    /// <summary>The labels were written (false under -WhatIf, when declined, unchanged or failed).</summary>
    public required bool Applied { get; init; }
    /// <summary>Existing pods of the namespace that the new level would not admit.</summary>
    public IReadOnlyList<PodSecurityResult> ViolatingPods { get; init; } = [];
    public int PodCount { get; init; }

    public override string ToString()
    {
        var labels = string.Join(", ", Labels.Select(l => $"{l.Key}={l.Value}"));
        var state = Applied ? "applied" : Changed ? "not applied" : "unchanged";
        var pods = ViolatingPods.Count == 0
            ? $"no existing pod violates {Level.ToString().ToLowerInvariant()}:{Version}"
            : $"{ViolatingPods.Count} of {PodCount} existing pods violate {Level.ToString().ToLowerInvariant()}:{Version}";
        return $"namespace/{Namespace}: {labels} ({state}); {pods}";
    }
}
