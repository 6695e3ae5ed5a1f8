using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;

namespace EksSecurity.Tests.Rules.Net;

/// <summary>Security groups for pods: SecurityGroupPolicies, aws-node with its environment, security groups.</summary>
internal static class SecurityGroupPolicyFixtures
{
    public const string DbGroup = "sg-0a1b2c3d4e5f60718";

    public static SecurityGroupPolicy Sgp(string ns, string name, V1LabelSelector? pods = null, V1LabelSelector? accounts = null, params string[] groups) => new()
    {
        ApiVersion = "vpcresources.k8s.aws/v1beta1",
        Kind = "SecurityGroupPolicy",
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new SecurityGroupPolicySpec
        {
            PodSelector = pods,
            ServiceAccountSelector = accounts,
            SecurityGroups = new SecurityGroupPolicyGroups { GroupIds = [.. groups] },
        },
    };

    /// <summary>kube-system/aws-node whose aws-node container has these variables (null values are left out), and the node agent flag.</summary>
    public static V1DaemonSet AwsNodeWith(string? networkPolicy, params (string Name, string? Value)[] env)
    {
        var ds = AwsNode(networkPolicy);
        ds.Spec.Template.Spec.Containers[0].Env = env.Where(e => e.Value is not null).Select(e => new V1EnvVar { Name = e.Name, Value = e.Value }).ToList();
        return ds;
    }

    public static Ec2SecurityGroup Group(string id, params string[] ingressCidrs) => new()
    {
        GroupId = id,
        GroupName = "payments-db-access",
        VpcId = "vpc-0d1e2f3a4b5c67890",
        IpPermissions = ingressCidrs.Select(c => new Ec2IpPermission
        {
            IpProtocol = "tcp", FromPort = 5432, ToPort = 5432,
            IpRanges = c.Contains(':') ? [] : [new Ec2IpRange { CidrIp = c }],
            Ipv6Ranges = c.Contains(':') ? [new Ec2Ipv6Range { CidrIpv6 = c }] : [],
        }).ToList(),
    };

    public static V1Pod SgpPod(string ns, string name, string? serviceAccount = null, params (string Key, string Value)[] labels) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns, labels: labels.ToDictionary(l => l.Key, l => l.Value)),
        Spec = new V1PodSpec { ServiceAccountName = serviceAccount, NodeName = "ip-10-0-1-10.eu-west-1.compute.internal", Containers = [new V1Container { Name = "app", Image = "app:1" }] },
        Status = new V1PodStatus { Phase = "Running" },
    };

    public static ClusterSnapshot WithSecurityGroups(this ClusterSnapshot snapshot, params Ec2SecurityGroup[] groups)
    {
        snapshot.Aws.SecurityGroups!.Items!.AddRange(groups);
        return snapshot;
    }
}
