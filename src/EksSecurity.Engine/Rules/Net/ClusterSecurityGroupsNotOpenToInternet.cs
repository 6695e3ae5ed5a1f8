using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>EKS-NET-009: the cluster security group, the additional control-plane groups and the nodes' groups allow no ingress from the whole internet.</summary>
public sealed class ClusterSecurityGroupsNotOpenToInternet : Rule
{
    /// <summary>Ports whose exposure is Critical: SSH and the kubelet API.</summary>
    private static readonly int[] CriticalPorts = [22, 10250];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-009",
        Title = "Cluster and node security groups not open to the internet",
        Severity = Severity.High,
        Area = RuleArea.Net,
        Rationale = "The cluster security group guards the control-plane network interfaces and, by default, every managed node; the node groups' " +
                    "security groups guard the nodes. An inbound rule from 0.0.0.0/0 or ::/0 lets anyone who can route to those addresses reach the " +
                    "listed ports. Open SSH or an open kubelet port (10250) is a direct path to node takeover, and an all-ports rule exposes everything.",
        Remediation = "Replace the open rule with the sources that need it, for example: aws ec2 revoke-security-group-ingress --group-id <sg> " +
                      "--ip-permissions IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}], then aws ec2 authorize-security-group-ingress " +
                      "--group-id <sg> --protocol tcp --port <port> --source-group <trusted-sg> (or --cidr <office-range>). Use SSM Session Manager instead of SSH.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_security_groups",
            "https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html",
            "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        ],
        Frameworks = ["Prowler ec2_securitygroup_allow_ingress_from_internet_to_all_ports"],
        Reads = [SnapshotSection.Cluster, SnapshotSection.SecurityGroups],
        OptionallyReads = [SnapshotSection.Instances],
        Tags = ["aws", "network", "security-groups", "nodes"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var vpc = context.Aws.Cluster!.Value?.ResourcesVpcConfig;
        // Which groups to judge, and why each is in scope.
        var roles = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string? id, string role)
        {
            if (string.IsNullOrWhiteSpace(id)) return;
            id = id.Trim();
            if (!roles.TryGetValue(id, out var list))
            {
                roles[id] = list = [];
                order.Add(id);
            }
            if (!list.Contains(role)) list.Add(role);
        }
        Add(vpc?.ClusterSecurityGroupId, "cluster security group");
        foreach (var id in vpc?.SecurityGroupIds ?? []) Add(id, "additional control-plane security group");
        if (context.Has(SnapshotSection.Instances))
        {
            foreach (var instance in context.Aws.Instances!.All.Where(i => i.State?.Name is not ("terminated" or "shutting-down")))
                foreach (var group in instance.SecurityGroups ?? [])
                    Add(group.GroupId, "on node " + instance.InstanceId);
        }
        else
        {
            var info = context.Snapshot.DescribeSection(SnapshotSection.Instances);
            yield return context.Error(context.Cluster, "The nodes' security groups are unknown because the instances were not collected; only the control-plane groups were judged.",
                [$"section Instances: {info.Status}" + (info.Permission is null ? "" : $" (needs {info.Permission})")]);
        }

        var groups = context.Aws.SecurityGroups!.All;
        foreach (var id in order)
        {
            var resource = new ResourceRef("SecurityGroup", null, id);
            var role = Describe(roles[id]);
            var group = groups.FirstOrDefault(g => g.GroupId == id);
            if (group is null)
            {
                yield return context.Error(resource, $"Security group {id} ({role}) is not in the SecurityGroups section; its rules cannot be judged.", [$"{id}: {role}"]);
                continue;
            }
            var evidence = new List<string> { $"{id} ({group.GroupName ?? "(no name)"}): {role}" };
            var open = new List<(Ec2IpPermission Rule, string Source, bool Critical)>();
            foreach (var permission in group.IpPermissions ?? [])
            {
                var sources = (permission.IpRanges ?? []).Select(r => r.CidrIp).Concat((permission.Ipv6Ranges ?? []).Select(r => r.CidrIpv6))
                    .Where(IsInternet).Distinct().ToList();
                foreach (var source in sources)
                    open.Add((permission, source!, IsCritical(permission)));
            }
            evidence.AddRange(open.Select(o => $"ingress {Ports(o.Rule)} from {o.Source}" + (o.Critical ? " (SSH, kubelet or all ports)" : "")));

            if (open.Count == 0)
            {
                evidence.Add($"{(group.IpPermissions ?? []).Count} ingress rule(s), none from 0.0.0.0/0 or ::/0");
                yield return context.Pass(resource, $"Security group {id} ({role}) allows no ingress from the internet.", evidence);
                continue;
            }
            var critical = open.Any(o => o.Critical);
            yield return context.Fail(resource,
                $"Security group {id} ({role}) allows ingress from the internet: {string.Join(", ", open.Select(o => $"{Ports(o.Rule)} from {o.Source}").Distinct())}.",
                evidence, critical ? Severity.Critical : null);
        }
    }

    /// <summary>0.0.0.0/0 or ::/0 (any address written with a /0 prefix).</summary>
    internal static bool IsInternet(string? cidr) => cidr is not null && cidr.Trim().EndsWith("/0", StringComparison.Ordinal);

    /// <summary>All protocols, all TCP ports, or a TCP range that includes 22 or 10250.</summary>
    internal static bool IsCritical(Ec2IpPermission permission)
    {
        var protocol = permission.IpProtocol?.Trim().ToLowerInvariant();
        if (protocol is "-1" or "all") return true;
        if (protocol is not ("tcp" or "6")) return false;
        var (from, to) = Range(permission);
        if (from <= 0 && to >= 65535) return true;
        return CriticalPorts.Any(p => p >= from && p <= to);
    }

    private static (int From, int To) Range(Ec2IpPermission permission)
    {
        // A missing or -1 bound means every port.
        var from = permission.FromPort is null or -1 ? 0 : permission.FromPort.Value;
        var to = permission.ToPort is null or -1 ? 65535 : permission.ToPort.Value;
        return (from, to);
    }

    internal static string Ports(Ec2IpPermission permission)
    {
        var protocol = permission.IpProtocol?.Trim().ToLowerInvariant();
        if (protocol is "-1" or "all") return "all traffic";
        var name = protocol switch { "6" => "tcp", "17" => "udp", "1" => "icmp", _ => protocol ?? "(no protocol)" };
        if (name is "icmp" or "icmpv6" or "58") return name;
        var (from, to) = Range(permission);
        return from == to ? $"{name}/{from}" : from <= 0 && to >= 65535 ? $"{name}/all ports" : $"{name}/{from}-{to}";
    }

    private static string Describe(List<string> roles)
    {
        var nodes = roles.Count(r => r.StartsWith("on node ", StringComparison.Ordinal));
        var other = roles.Where(r => !r.StartsWith("on node ", StringComparison.Ordinal)).ToList();
        if (nodes > 0) other.Add(nodes == 1 ? roles.First(r => r.StartsWith("on node ", StringComparison.Ordinal)) : $"on {nodes} nodes");
        return string.Join(", ", other);
    }
}
