using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Iam;

/// <summary>Nodes with metadata options, node groups and launch templates for the EKS-IAM-032 and 033 tests.</summary>
internal static class ImdsFixtures
{
    public static Ec2Instance Node(string id, string tokens = "required", int hops = 1, string? nodeGroup = "general", string state = "running",
        string endpoint = "enabled", params (string Key, string Value)[] tags) => new()
    {
        InstanceId = id,
        State = new Ec2InstanceState { Name = state },
        SubnetId = "subnet-a",
        MetadataOptions = new Ec2InstanceMetadataOptions { State = "applied", HttpTokens = tokens, HttpPutResponseHopLimit = hops, HttpEndpoint = endpoint },
        Tags = [new Ec2Tag { Key = "eks:cluster-name", Value = "test-cluster" },
                .. nodeGroup is null ? [] : new[] { new Ec2Tag { Key = "eks:nodegroup-name", Value = nodeGroup } },
                .. tags.Select(t => new Ec2Tag { Key = t.Key, Value = t.Value })],
    };

    public static EksNodegroup NodeGroup(string name, string? templateId = null, string version = "1") => new()
    {
        NodegroupName = name,
        ClusterName = "test-cluster",
        Status = "ACTIVE",
        Subnets = ["subnet-a"],
        LaunchTemplate = templateId is null ? null : new EksLaunchTemplateSpecification { Id = templateId, Version = version },
    };

    public static Ec2LaunchTemplateVersion Template(string id, long version, string? tokens, int? hops, string? endpoint = null) => new()
    {
        LaunchTemplateId = id,
        LaunchTemplateName = id + "-name",
        VersionNumber = version,
        DefaultVersion = true,
        LaunchTemplateData = new Ec2LaunchTemplateData
        {
            MetadataOptions = tokens is null && hops is null && endpoint is null
                ? null
                : new Ec2LaunchTemplateMetadataOptions { HttpTokens = tokens, HttpPutResponseHopLimit = hops, HttpEndpoint = endpoint },
        },
    };

    public static ClusterSnapshot Snapshot(EksNodegroup[] groups, Ec2LaunchTemplateVersion[] templates, Ec2Instance[] nodes, Ec2InstanceMetadataDefaults? defaults = null) =>
        TestSnapshots.Empty().With(s =>
        {
            s.Aws.NodeGroups!.Items!.AddRange(groups);
            s.Aws.LaunchTemplates!.Items!.AddRange(templates);
            s.Aws.Instances!.Items!.AddRange(nodes);
            s.Aws.InstanceMetadataDefaults = ObjectSection<Ec2InstanceMetadataDefaults>.Collected(defaults ?? new Ec2InstanceMetadataDefaults());
        });
}
