using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// New-EksIrsaTrustPolicy: the least-privilege IRSA trust policy for service accounts of one namespace,
/// from a live cluster's OIDC issuer (-ClusterName) or a given issuer and account, ready for New-IAMRole.
/// </summary>
[Cmdlet(VerbsCommon.New, "EksIrsaTrustPolicy", DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(string))]
public sealed class NewEksIrsaTrustPolicyCommand : EksAwsCmdlet
{
    private const string ClusterSet = "Cluster";
    private const string IssuerSet = "Issuer";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClusterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? ClusterName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IssuerSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? OidcIssuer { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IssuerSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? AccountId { get; set; }

    [Parameter(ParameterSetName = IssuerSet)]
    [ValidateSet("aws", "aws-cn", "aws-us-gov")]
    public string? Partition { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] ServiceAccount { get; set; } = [];

    private readonly Dictionary<string, EksClusterIdentity> _clusters = new(StringComparer.Ordinal);

    protected override void ProcessRecord()
    {
        string issuer, account;
        string? partition = Partition;
        if (ParameterSetName == ClusterSet)
        {
            var cluster = DescribeOnce(ClusterName!);
            if (cluster is null) return;
            if (string.IsNullOrEmpty(cluster.OidcIssuer))
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"Cluster '{cluster.Name}' has no OIDC issuer, so IRSA cannot work for it."),
                    "ClusterHasNoOidcIssuer", ErrorCategory.InvalidData, cluster.Name));
                return;
            }
            issuer = cluster.OidcIssuer;
            account = cluster.AccountId;
            partition = cluster.Arn.Split(':')[1];
        }
        else
        {
            issuer = OidcIssuer!;
            account = AccountId!;
        }
        try
        {
            WriteObject(Engine.NewIrsaTrustPolicy(new IrsaTrustPolicyRequest
            {
                OidcIssuer = issuer,
                AccountId = account,
                Partition = partition,
                Namespace = Namespace,
                ServiceAccounts = ServiceAccount,
            }));
        }
        catch (EksSecurityException ex)
        {
            WriteEksError(ex);
        }
    }

    private EksClusterIdentity? DescribeOnce(string name)
    {
        if (_clusters.TryGetValue(name, out var known)) return known;
        var access = BuildAccessRequest(null);
        ResolveAccessOrThrow(access);
        var cluster = RunWithProgress(_ => Engine.DescribeClusterIdentityAsync(access, name, StopToken));
        _clusters[name] = cluster;
        return cluster;
    }
}
