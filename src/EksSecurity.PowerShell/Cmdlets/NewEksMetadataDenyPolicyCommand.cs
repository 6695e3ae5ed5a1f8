using System.Collections;
using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// New-EksMetadataDenyPolicy: per namespace, a NetworkPolicy that keeps pods from the EC2 instance metadata service (and so from
/// the node's IAM role) while all other egress stays allowed; -AllowPodSelector adds the policy that lets the selected pods
/// reach it. Namespaces by name or piped objects, or every namespace of a live cluster or snapshot. -IPv6 (detected from the
/// cluster's IP family) also denies fd00:ec2::254.
/// </summary>
[Cmdlet(VerbsCommon.New, "EksMetadataDenyPolicy", DefaultParameterSetName = NamespaceSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KubernetesManifest), typeof(KubernetesApplyResult), typeof(FileInfo))]
public sealed class NewEksMetadataDenyPolicyCommand : KubernetesManifestCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NamespaceSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceNameTransformation]
    [AllowEmptyString]
    public string[] Namespace { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>Take the namespaces from a snapshot file instead of the live cluster.</summary>
    [Parameter(ParameterSetName = AllNamespacesSet)]
    [ValidateNotNullOrEmpty]
    public string? SnapshotPath { get; set; }

    [Parameter(ParameterSetName = AllNamespacesSet)]
    public SwitchParameter IncludeSystemNamespaces { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = MetadataDenyPolicyRequest.DefaultName;

    [Parameter]
    public Hashtable? AllowPodSelector { get; set; }

    [Parameter]
    public SwitchParameter IPv6 { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == NamespaceSet) AddNamespaces(Namespace);
    }

    protected override IReadOnlyList<KubernetesManifest> Generate()
    {
        IClusterSnapshot? snapshot = null;
        ClusterNamespaces? cluster = null;
        IReadOnlyList<string> names;
        if (ParameterSetName == AllNamespacesSet)
        {
            if (SnapshotPath is not null)
            {
                var path = ResolveFiles([SnapshotPath], "SnapshotNotFound", "Snapshot file", terminating: true).First();
                snapshot = Engine.ReadSnapshot(path, StopToken);
            }
            else snapshot = ReadCluster(new KubernetesReadRequest { NetworkPolicies = true }, "-AllNamespaces");
            cluster = NamespacesOf(snapshot);
            var selected = new List<string>();
            foreach (var ns in cluster.Namespaces)
            {
                if (ns.IsSystem && !IncludeSystemNamespaces) WriteVerbose($"Skipping system namespace {ns.Name} (use -IncludeSystemNamespaces).");
                else if (string.Equals(ns.Phase, "Terminating", StringComparison.Ordinal)) WriteVerbose($"Skipping namespace {ns.Name}: it is being deleted.");
                else selected.Add(ns.Name);
            }
            names = selected;
        }
        else if (Access is not null && Namespaces.Count > 0)
        {
            // A named cluster: its namespaces must exist, its IP family decides IPv6, its policies are reviewed.
            snapshot = ReadCluster(new KubernetesReadRequest { Namespaces = Namespaces, NetworkPolicies = true }, "Reading the namespaces");
            cluster = NamespacesOf(snapshot);
            names = KeepExisting(Namespaces, cluster);
        }
        else names = Namespaces;

        var ipv6 = IPv6.IsPresent;
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(IPv6)) && cluster?.IsIPv6 == true)
        {
            ipv6 = true;
            WriteVerbose($"{cluster.ClusterName} is an IPv6 cluster: fd00:ec2::254/128 is denied as well.");
        }
        var request = new MetadataDenyPolicyRequest
        {
            Namespaces = names,
            Name = Name,
            AllowPodSelector = Labels(AllowPodSelector, nameof(AllowPodSelector)),
            IPv6 = ipv6,
            ClusterName = cluster?.ClusterName is { Length: > 0 } c ? c : Access?.ClusterName,
        };
        if (snapshot is not null && names.Count > 0) request = Reviewed(snapshot, request);
        return Engine.NewMetadataDenyPolicies(request);
    }

    /// <summary>
    /// The request without the namespaces whose own policies already keep every pod from the metadata service (there the deny
    /// policy would only widen egress), with a warning for each namespace whose policies it widens or cannot override.
    /// </summary>
    private MetadataDenyPolicyRequest Reviewed(IClusterSnapshot snapshot, MetadataDenyPolicyRequest request)
    {
        IReadOnlyList<MetadataEgressReview> reviews;
        try
        {
            reviews = Engine.ReviewMetadataDenyPolicies(snapshot, request);
        }
        catch (EksSecurityException ex) when (ex.ErrorId == "NetworkPoliciesNotCollected")
        {
            WriteWarning($"{ex.Message} The namespaces' existing policies were not checked: where they already restrict egress, {request.Name} allows those pods all other egress.");
            return request;
        }
        var skip = new HashSet<string>(StringComparer.Ordinal);
        foreach (var review in reviews)
        {
            if (review.AlreadyDenied)
            {
                skip.Add(review.Namespace);
                WriteWarning(review.Message + " Skipped.");
            }
            else if (review.Message.Length > 0) WriteWarning(review.Message);
        }
        return skip.Count == 0 ? request : new MetadataDenyPolicyRequest
        {
            Namespaces = request.Namespaces.Where(n => !skip.Contains(n)).ToList(),
            Name = request.Name,
            AllowPodSelector = request.AllowPodSelector,
            IPv6 = request.IPv6,
            ClusterName = request.ClusterName,
        };
    }
}
