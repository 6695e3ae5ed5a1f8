namespace EksSecurity.Engine.Rules.Net;

/// <summary>EKS-NET-001: the API server endpoint is private, or its public exposure is restricted.</summary>
public sealed class EndpointPrivateOrJustified : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-001",
        Title = "API endpoint private, or public access justified",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "A public Kubernetes API endpoint can be reached, probed and brute-forced from the internet. " +
                    "A private endpoint keeps the control plane reachable only from the VPC and connected networks.",
        Remediation = "Disable public access (aws eks update-cluster-config --name <cluster> --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true), " +
                      "or keep it and restrict publicAccessCidrs to known networks.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_make_the_eks_cluster_endpoint_private",
            "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        ],
        Frameworks = ["CIS EKS 1.8.0 5.4.2", "Kubescape C-0228", "Security Hub EKS.1"],
        Reads = [SnapshotSection.Cluster],
        Tags = ["cis", "network", "endpoint"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var vpc = context.Aws.Cluster!.Value?.ResourcesVpcConfig;
        if (vpc is null)
        {
            yield return context.Error(context.Cluster, "The cluster description has no resourcesVpcConfig; endpoint access cannot be judged.");
            yield break;
        }
        var evidence = new[]
        {
            $"resourcesVpcConfig.endpointPublicAccess = {Bool(vpc.EndpointPublicAccess)}",
            $"resourcesVpcConfig.endpointPrivateAccess = {Bool(vpc.EndpointPrivateAccess)}",
            $"resourcesVpcConfig.publicAccessCidrs = [{string.Join(", ", vpc.PublicAccessCidrs ?? [])}]",
        };
        if (!vpc.EndpointPublicAccess)
        {
            yield return context.Pass(context.Cluster, "The API server endpoint is private.", evidence);
            yield break;
        }
        var cidrs = vpc.PublicAccessCidrs ?? [];
        // EKS treats an empty list as 0.0.0.0/0.
        var open = cidrs.Count == 0 || cidrs.Any(c => c is "0.0.0.0/0" or "::/0");
        if (context.Settings.AllowPublicEndpointWithRestrictedCidrs && !open)
            yield return context.Pass(context.Cluster, $"The API server endpoint is public but restricted to {cidrs.Count} CIDR(s), which this configuration accepts.", evidence);
        else
            yield return context.Fail(context.Cluster, open
                ? "The API server endpoint is publicly accessible from any address."
                : $"The API server endpoint is publicly accessible (restricted to {string.Join(", ", cidrs)}).", evidence);
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
