using System.Collections;
using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// What the remediation cmdlets share: the cluster to read and write (-ClusterName/-ClusterArn with the AWS parameters, or
/// -KubeConfigPath/-KubeContext), the namespaces gathered from the pipeline, and how engine results become errors.
/// Cluster names do not come from the pipeline here: namespaces do.
/// </summary>
public abstract class EksRemediationCmdlet : EksKubernetesCmdlet
{
    /// <summary>The EKS cluster to read or write; a token is minted from the AWS credentials unless a kubeconfig is given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClusterName { get; set; }

    [Parameter]
    [Alias("Arn")]
    [ValidateNotNullOrEmpty]
    public string? ClusterArn { get; set; }

    private readonly List<string> _namespaces = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private KubernetesAccessRequest? _access;
    private bool _accessBuilt;

    /// <summary>The namespaces given so far (parameter and pipeline), in order, once each.</summary>
    protected IReadOnlyList<string> Namespaces => _namespaces;

    protected void AddNamespaces(IEnumerable<string>? names)
    {
        foreach (var name in names ?? [])
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                WriteVerbose("Skipping an empty namespace name (a cluster-scoped object in the pipeline).");
                continue;
            }
            if (_seen.Add(name)) _namespaces.Add(name);
        }
    }

    /// <summary>The live cluster asked for, or null when none was named.</summary>
    protected KubernetesAccessRequest? Access
    {
        get
        {
            if (!_accessBuilt)
            {
                _access = BuildKubernetesAccess(ClusterName, ClusterArn);
                _accessBuilt = true;
            }
            return _access;
        }
    }

    /// <summary>The live cluster, or the end of the command when none was named.</summary>
    protected KubernetesAccessRequest RequireAccess(string why)
    {
        if (Access is { } access) return access;
        ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(
                $"{why} needs a cluster: name it with -ClusterName (or -ClusterArn), or give -KubeConfigPath / -KubeContext."),
            "KubernetesTargetMissing", ErrorCategory.InvalidArgument, null));
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>"cluster demo", or the kubeconfig context, for ShouldProcess targets.</summary>
    protected string ClusterLabel => Access switch
    {
        { ClusterName: { Length: > 0 } name } => $"cluster {name}",
        { KubeContext: { } context } => $"context {context}",
        _ => "the kubeconfig's current context",
    };

    /// <summary>Reads namespaces (and pods) of the live cluster.</summary>
    protected IClusterSnapshot ReadCluster(KubernetesReadRequest request, string why)
    {
        // Resolved here, on the pipeline thread: resolving writes debug output and may stop the command.
        var access = RequireAccess(why);
        return RunWithProgress(_ => Engine.ReadKubernetesAsync(access, request, StopToken));
    }

    /// <summary>The namespaces of a snapshot; the end of the command when they could not be read.</summary>
    protected ClusterNamespaces NamespacesOf(IClusterSnapshot snapshot)
    {
        var info = Engine.GetNamespaces(snapshot);
        if (!info.Collected)
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"The namespaces of '{info.ClusterName}' cannot be listed: {info.Problem}."),
                "NamespacesNotCollected", ErrorCategory.PermissionDenied, info.ClusterName));
        return info;
    }

    /// <summary>The asked-for namespaces the cluster has; a NamespaceNotFound error for each other.</summary>
    protected List<string> KeepExisting(IReadOnlyList<string> asked, ClusterNamespaces info)
    {
        var existing = info.Namespaces.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var kept = new List<string>();
        foreach (var name in asked)
        {
            if (existing.Contains(name)) kept.Add(name);
            else
                WriteError(new ErrorRecord(new ItemNotFoundException($"Namespace '{name}' does not exist in {ClusterLabel}."),
                    "NamespaceNotFound", ErrorCategory.ObjectNotFound, name));
        }
        return kept;
    }

    /// <summary>A hashtable of labels (@{ app = 'web' }) as strings; null stays null.</summary>
    protected IReadOnlyDictionary<string, string>? Labels(Hashtable? table, string parameter)
    {
        if (table is null) return null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            var value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
            if (value is null or IEnumerable and not string)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-{parameter}: label '{entry.Key}' needs one string value."),
                    "InvalidLabelSelector", ErrorCategory.InvalidArgument, entry.Key));
            labels[entry.Key.ToString()!] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
        }
        return labels;
    }

    /// <summary>A failed write as a non-terminating error with the engine's id.</summary>
    protected void WriteFailure(KubernetesApplyResult result) =>
        WriteError(new ErrorRecord(new InvalidOperationException(result.Message), result.ErrorId ?? "KubernetesWriteFailed", result.ErrorId switch
        {
            "KubernetesWriteDenied" => ErrorCategory.PermissionDenied,
            "NamespaceNotFound" or "KubernetesResourceNotFound" => ErrorCategory.ObjectNotFound,
            "KubernetesWriteInvalid" or "ManifestInvalid" => ErrorCategory.InvalidData,
            "ManifestKindNotSupported" => ErrorCategory.NotImplemented,
            "InvalidLabelSelector" => ErrorCategory.InvalidArgument,
            _ => ErrorCategory.WriteError,
        }, $"{result.Kind}/{(result.Namespace.Length == 0 ? "" : result.Namespace + "/")}{result.Name}"));
}
