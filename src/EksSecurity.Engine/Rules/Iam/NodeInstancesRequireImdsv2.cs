using EksSecurity.Engine.Identity;
using EksSecurity.Engine.Rules.Net;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-032: every node instance requires IMDSv2 with a hop limit of 1 (2 for node groups allow-listed for pods that need IMDS).</summary>
public sealed class NodeInstancesRequireImdsv2 : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-032",
        Title = "Node instances require IMDSv2 with hop limit 1",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "The instance metadata service hands out the credentials of the node's IAM role, which can pull every image, describe the " +
                    "account's network and, with the VPC CNI policy, change network interfaces. With IMDSv1 any pod gets them with a single GET " +
                    "(and so does a server-side request forgery in any pod). IMDSv2 needs a token from a PUT, and a hop limit of 1 stops that " +
                    "token's answer at the node, so pods not on the host network cannot reach the role at all.",
        Remediation = "Require IMDSv2 with hop limit 1 on the running nodes: aws ec2 modify-instance-metadata-options --instance-id <instance-id> " +
                      "--http-tokens required --http-put-response-hop-limit 1 --http-endpoint enabled, and make it stick for new nodes in the launch " +
                      "template (EKS-IAM-033). Give pods that need AWS access IRSA or EKS Pod Identity instead of the node role. For node groups whose pods " +
                      "truly need IMDS, list them in ImdsHopLimitTwoNodeGroups and use --http-put-response-hop-limit 2, still with --http-tokens required.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node",
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html",
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html#imds-considerations",
            "https://docs.aws.amazon.com/eks/latest/userguide/automode-learn-instances.html",
        ],
        Frameworks = ["HardenEKS check_access_to_instance_profile", "Prowler ec2_instance_imdsv2_enabled", "Kubescape C-0052"],
        Reads = [SnapshotSection.Instances],
        OptionallyReads = [SnapshotSection.Nodes],
        Tags = ["aws", "iam", "imds", "nodes"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var instance in VpcNetwork.RunningNodes(context))
        {
            var id = instance.InstanceId ?? "(no id)";
            var resource = new ResourceRef("Ec2Instance", null, id);
            var groups = NodeImds.GroupNames(instance).ToList();
            var evidence = new List<string>();
            if (groups.Count > 0) evidence.Add($"node group = {string.Join(", ", groups)}");
            if (NodeImds.AutoMode(context, instance))
            {
                yield return context.Finding(FindingStatus.NotApplicable, resource,
                    $"Node {id} is an EKS Auto Mode node: AWS manages the instance and enforces IMDSv2 with hop limit 1.", evidence);
                continue;
            }
            if (instance.MetadataOptions is not { } options)
            {
                yield return context.Error(resource, $"The metadata options of node {id} were not collected; whether pods reach its IAM role cannot be judged.",
                    evidence.Append("MetadataOptions = (absent)"));
                continue;
            }
            var max = NodeImds.MaxHopLimit(context.Settings, groups);
            var imds = NodeImds.Judge(options, max);
            evidence.Insert(0, NodeImds.Describe(instance, imds));
            if (max > 1) evidence.Add("the node group is allow-listed (ImdsHopLimitTwoNodeGroups): hop limit 2 is accepted with IMDSv2 required");
            yield return imds.Outcome switch
            {
                ImdsProtection.Outcome.Disabled => context.Pass(resource, $"Node {id} has the instance metadata service turned off.", evidence),
                ImdsProtection.Outcome.Protected => context.Pass(resource,
                    $"Node {id} requires IMDSv2 with hop limit {imds.HopLimit}" + (max > 1 ? " (allow-listed for pods that need IMDS)." : ": pods cannot reach its IAM role."), evidence),
                ImdsProtection.Outcome.TokensOptional => context.Fail(resource,
                    $"Node {id} still answers IMDSv1 (HttpTokens {imds.HttpTokens}): any pod can read the node role's credentials without a token.", evidence),
                _ => context.Fail(resource,
                    $"Node {id} requires IMDSv2 but its hop limit is {imds.HopLimit} (at most {max} allowed): pods can obtain a token and the node role's credentials.", evidence),
            };
        }
    }
}
