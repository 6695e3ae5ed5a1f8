using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-018: a cluster whose API endpoint is private only, with node subnets that have no route out of the VPC, has the VPC
/// endpoints its nodes need (ECR, S3, STS, CloudWatch Logs, EC2, Elastic Load Balancing, and EKS Auth where Pod Identity is used).
/// </summary>
public sealed class PrivateClusterVpcEndpoints : Rule
{
    private const string PodIdentityService = "eks-auth";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-018",
        Title = "VPC endpoints for private clusters",
        Severity = Severity.Low,
        Area = RuleArea.Net,
        Rationale = "Nodes in subnets without a route out of the VPC reach AWS services only through VPC endpoints: without ECR and S3 they cannot " +
                    "pull images, without STS and EKS Auth pods cannot get IAM credentials (IRSA, Pod Identity), without EC2 the VPC CNI cannot " +
                    "assign addresses, without CloudWatch Logs and Elastic Load Balancing logging and load balancers fail. Keeping that traffic on " +
                    "endpoints is what makes a private cluster private, and endpoint policies can then restrict which registries and accounts it reaches.",
        Remediation = "Create the missing endpoints in the cluster's VPC: aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Interface " +
                      "--service-name com.amazonaws.<region>.<service> --subnet-ids <node-subnet-ids> --security-group-ids <sg-allowing-443-from-nodes> " +
                      "--private-dns-enabled (for ecr.api, ecr.dkr, sts, logs, ec2, elasticloadbalancing, eks-auth), and the S3 gateway endpoint on the " +
                      "node subnets' route tables: aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Gateway --service-name " +
                      "com.amazonaws.<region>.s3 --route-table-ids <rtb-ids>. For an interface endpoint with private DNS off: aws ec2 modify-vpc-endpoint " +
                      "--vpc-endpoint-id <vpce-id> --private-dns-enabled.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/image-security.html#_consider_using_ecr_private_endpoints",
            "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html",
            "https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Cluster, SnapshotSection.RouteTables, SnapshotSection.VpcEndpoints],
        OptionallyReads =
        [
            SnapshotSection.NodeGroups, SnapshotSection.Instances, SnapshotSection.FargateProfiles, SnapshotSection.Subnets,
            SnapshotSection.PodIdentityAssociations, SnapshotSection.Addons,
        ],
        Tags = ["aws", "network", "private-cluster", "vpc", "ecr"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var config = context.Aws.Cluster!.Value?.ResourcesVpcConfig;
        if (config is null)
        {
            yield return context.Error(context.Cluster, "The cluster description has no resourcesVpcConfig; whether it is private cannot be judged.", ["resourcesVpcConfig = (absent)"]);
            yield break;
        }
        var access = $"endpointPublicAccess = {(config.EndpointPublicAccess ? "true" : "false")}, endpointPrivateAccess = {(config.EndpointPrivateAccess ? "true" : "false")}";
        if (config.EndpointPublicAccess)
        {
            yield return context.Finding(FindingStatus.NotApplicable, context.Cluster,
                "The cluster's API endpoint is public, so it is not a private cluster: this rule judges only clusters whose endpoint is private only.", [access]);
            yield break;
        }

        var vpc = config.VpcId;
        var nodes = VpcNetwork.NodeSubnetsOf(context);
        var evidence = new List<string> { access };
        evidence.AddRange(nodes.NotRead.Select(n => "node subnets not known from " + n));
        var isolated = new List<(string Subnet, Ec2RouteTable Table)>();
        var unknown = new List<string>();
        foreach (var subnet in nodes.Ids)
        {
            var table = VpcNetwork.RouteTableOf(context, subnet, out var main);
            if (table is null)
            {
                unknown.Add($"the route table of subnet {subnet} is not in the snapshot");
                continue;
            }
            var egress = VpcNetwork.EgressRoutes(table);
            evidence.Add($"subnet {subnet} ({nodes.Describe(subnet)}) follows {table.RouteTableId}{(main ? " (main)" : "")}: " +
                         (egress.Count == 0 ? "no route out of the VPC" : "leaves the VPC through " + string.Join(", ", egress.Select(VpcNetwork.Describe))));
            if (egress.Count == 0) isolated.Add((subnet, table));
        }

        if (isolated.Count == 0)
        {
            if (unknown.Count > 0 || nodes.NotRead.Count > 0)
                yield return context.Error(context.Cluster,
                    $"Whether the nodes of this private cluster can leave the VPC could not be judged: {string.Join("; ", unknown.Concat(nodes.NotRead))}.", evidence);
            else if (nodes.UsedBy.Count == 0)
                yield return context.Finding(FindingStatus.NotApplicable, context.Cluster, "The cluster has no nodes (no node group, node, Fargate profile or Auto Mode): no subnet needs VPC endpoints.", evidence);
            else
                yield return context.Pass(context.Cluster,
                    "The cluster's endpoint is private, but every node subnet has a default route out of the VPC (NAT, transit or internet gateway): " +
                    "its nodes reach AWS APIs without VPC endpoints.", evidence);
            yield break;
        }

        var region = context.Snapshot.Region;
        var endpoints = context.Aws.VpcEndpoints!.All.Where(e => vpc is null || e.VpcId is null || e.VpcId == vpc).ToList();
        evidence.AddRange(endpoints.Select(e => $"{e.VpcEndpointId}: {e.ServiceName} ({e.VpcEndpointType}, {e.State}" +
                                                (e.VpcEndpointType == "Interface" ? $", private DNS {(e.PrivateDnsEnabled == true ? "on" : "off")})" : ")")));
        if (endpoints.Count == 0) evidence.Add($"no VPC endpoint in {vpc ?? "the cluster's VPC"}");

        var missing = new List<string>();
        foreach (var service in Required(context, evidence))
        {
            var name = $"com.amazonaws.{region ?? "<region>"}.{service}";
            var candidates = endpoints.Where(e => Serves(e, service, region)).ToList();
            var problems = candidates.Select(e => Problem(e, isolated)).ToList();
            if (candidates.Count == 0) missing.Add(name);
            else if (problems.All(p => p is not null)) missing.Add($"{name} ({string.Join("; ", problems)})");
        }

        var subnets = string.Join(", ", isolated.Select(i => i.Subnet));
        if (missing.Count > 0)
            yield return context.Fail(context.Cluster,
                $"The cluster is private and node subnet(s) {subnets} have no route out of the VPC, but VPC endpoints its nodes need are missing or unusable: " +
                $"{string.Join(", ", missing)}.", evidence);
        else if (unknown.Count > 0)
            yield return context.Error(context.Cluster, $"The endpoints are in place for {subnets}, but not every node subnet could be judged: {string.Join("; ", unknown)}.", evidence);
        else
            yield return context.Pass(context.Cluster, $"The cluster is private and its isolated node subnet(s) {subnets} have every VPC endpoint they need.", evidence);
    }

    /// <summary>The services required: the setting's list, without EKS Auth when Pod Identity is known to be unused.</summary>
    private static List<string> Required(RuleContext context, List<string> evidence)
    {
        var required = context.Settings.PrivateClusterVpcEndpoints.Distinct(StringComparer.Ordinal).ToList();
        if (!required.Contains(PodIdentityService)) return required;
        if (context.Has(SnapshotSection.PodIdentityAssociations) && context.Has(SnapshotSection.Addons))
        {
            var associations = context.Aws.PodIdentityAssociations!.Count;
            var agent = context.Aws.Addons!.All.Any(a => a.AddonName == "eks-pod-identity-agent");
            if (associations == 0 && !agent)
            {
                evidence.Add("EKS Pod Identity is not used (no association, no eks-pod-identity-agent add-on): eks-auth is not required");
                required.Remove(PodIdentityService);
            }
            else evidence.Add($"EKS Pod Identity is used ({associations} association(s){(agent ? ", eks-pod-identity-agent add-on" : "")}): eks-auth is required");
        }
        else evidence.Add($"whether EKS Pod Identity is used is unknown ({VpcNetwork.Missing(context, SnapshotSection.PodIdentityAssociations)}, " +
                          $"{VpcNetwork.Missing(context, SnapshotSection.Addons)}): eks-auth is counted as required");
        return required;
    }

    /// <summary>True for com.amazonaws.&lt;region&gt;.&lt;service&gt; (cn.com.amazonaws… in China), in the cluster's Region when it is known.</summary>
    private static bool Serves(Ec2VpcEndpoint endpoint, string service, string? region)
    {
        var name = endpoint.ServiceName ?? "";
        if (name.StartsWith("cn.", StringComparison.Ordinal)) name = name[3..];
        if (!name.StartsWith("com.amazonaws.", StringComparison.Ordinal)) return false;
        var rest = name["com.amazonaws.".Length..];
        var dot = rest.IndexOf('.');
        return dot > 0 && rest[(dot + 1)..] == service && (region is null || rest[..dot] == region);
    }

    /// <summary>Why an endpoint of the right service does not serve the isolated subnets; null when it does.</summary>
    private static string? Problem(Ec2VpcEndpoint endpoint, List<(string Subnet, Ec2RouteTable Table)> isolated)
    {
        if (!string.Equals(endpoint.State, "available", StringComparison.OrdinalIgnoreCase))
            return $"{endpoint.VpcEndpointId} is {endpoint.State ?? "in an unknown state"}";
        if (string.Equals(endpoint.VpcEndpointType, "Gateway", StringComparison.OrdinalIgnoreCase))
        {
            var off = isolated.Where(i => endpoint.RouteTableIds?.Contains(i.Table.RouteTableId ?? "") != true).Select(i => $"{i.Table.RouteTableId} ({i.Subnet})").Distinct().ToList();
            return off.Count == 0 ? null : $"gateway endpoint {endpoint.VpcEndpointId} is not on route table(s) {string.Join(", ", off)}";
        }
        return endpoint.PrivateDnsEnabled == true ? null : $"{endpoint.VpcEndpointId} has private DNS off, so the service's usual name does not reach it";
    }
}
