namespace EksSecurity.Engine.Rules.Net;

/// <summary>EKS-NET-003: the API server endpoint is reachable privately from inside the VPC.</summary>
public sealed class PrivateEndpointAccessEnabled : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-003",
        Title = "Private endpoint access enabled",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "Without private endpoint access, kubelets, pods and operators inside the VPC reach the API server through its public address, " +
                    "so that traffic leaves the VPC and the public endpoint must stay open to the nodes' egress addresses. " +
                    "Private access keeps node-to-control-plane traffic on the VPC's own network interfaces.",
        Remediation = "aws eks update-cluster-config --name <cluster> --resources-vpc-config endpointPrivateAccess=true " +
                      "(then consider endpointPublicAccess=false, or restricting publicAccessCidrs). " +
                      "The VPC needs enableDnsHostnames and enableDnsSupport for the private endpoint's name to resolve.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_make_the_eks_cluster_endpoint_private",
            "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        ],
        Frameworks = ["CIS EKS 1.8.0 5.4.1", "CIS EKS 1.8.0 5.4.2", "Kubescape C-0227", "Prowler eks_cluster_private_nodes_enabled"],
        Reads = [SnapshotSection.Cluster],
        Tags = ["cis", "network", "endpoint"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var vpc = context.Aws.Cluster!.Value?.ResourcesVpcConfig;
        if (vpc is null)
        {
            yield return context.Error(context.Cluster, "The cluster description has no resourcesVpcConfig; private endpoint access cannot be judged.");
            yield break;
        }
        var evidence = new[]
        {
            $"resourcesVpcConfig.endpointPrivateAccess = {(vpc.EndpointPrivateAccess ? "true" : "false")}",
            $"resourcesVpcConfig.endpointPublicAccess = {(vpc.EndpointPublicAccess ? "true" : "false")}",
        };
        if (vpc.EndpointPrivateAccess)
            yield return context.Pass(context.Cluster, "Private endpoint access is enabled: traffic from inside the VPC reaches the API server privately.", evidence);
        else
            yield return context.Fail(context.Cluster,
                "Private endpoint access is disabled: nodes and pods reach the API server through its public endpoint, leaving the VPC.", evidence);
    }
}
