using System.Collections;
using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// New-EksSecurityGroupPolicy: vpcresources.k8s.aws/v1beta1 SecurityGroupPolicy objects (security groups for pods) for one or more
/// namespaces, selecting pods by their labels or by their service account's labels, with the same output, -OutFile and -Apply
/// as New-EksMetadataDenyPolicy.
/// </summary>
[Cmdlet(VerbsCommon.New, "EksSecurityGroupPolicy", DefaultParameterSetName = PodSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KubernetesManifest), typeof(KubernetesApplyResult), typeof(FileInfo))]
public sealed class NewEksSecurityGroupPolicyCommand : KubernetesManifestCmdlet
{
    private const string PodSet = "PodSelector";
    private const string ServiceAccountSet = "ServiceAccountSelector";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceNameTransformation]
    [AllowEmptyString]
    public string[] Namespace { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = PodSet)]
    [AllowNull]
    public Hashtable? PodSelector { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ServiceAccountSet)]
    public Hashtable? ServiceAccountSelector { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateCount(1, 5)]
    [ValidateSecurityGroupId]
    public string[] SecurityGroupId { get; set; } = [];

    protected override void ProcessRecord() => AddNamespaces(Namespace);

    protected override IReadOnlyList<KubernetesManifest> Generate()
    {
        IReadOnlyList<string> names = Namespaces;
        string? clusterName = Access?.ClusterName;
        if (Access is not null && Namespaces.Count > 0)
        {
            var cluster = NamespacesOf(ReadCluster(new KubernetesReadRequest { Namespaces = Namespaces }, "Reading the namespaces"));
            names = KeepExisting(Namespaces, cluster);
            if (cluster.ClusterName.Length > 0) clusterName = cluster.ClusterName;
        }
        return Engine.NewSecurityGroupPolicies(new SecurityGroupPolicyRequest
        {
            Namespaces = names,
            Name = Name,
            PodSelector = ParameterSetName == PodSet ? Labels(PodSelector ?? [], nameof(PodSelector)) : null,
            ServiceAccountSelector = ParameterSetName == ServiceAccountSet ? Labels(ServiceAccountSelector ?? [], nameof(ServiceAccountSelector)) : null,
            SecurityGroupIds = SecurityGroupId,
            ClusterName = clusterName,
        });
    }
}
