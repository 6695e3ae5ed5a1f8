using System.Text.Json;
using System.Text.Json.Nodes;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Aws.Collection;

/// <summary>
/// The IAM actions the collector calls for each AWS snapshot section. The scanner's least-privilege
/// policy is generated from the sections the selected rules declare, never written by hand.
/// </summary>
public static class AwsPermissions
{
    public static IReadOnlyDictionary<SnapshotSection, string[]> BySection { get; } = new Dictionary<SnapshotSection, string[]>
    {
        [SnapshotSection.Cluster] = ["eks:DescribeCluster"],
        [SnapshotSection.ClusterVersions] = ["eks:DescribeClusterVersions"],
        [SnapshotSection.NodeGroups] = ["eks:ListNodegroups", "eks:DescribeNodegroup"],
        [SnapshotSection.Addons] = ["eks:ListAddons", "eks:DescribeAddon"],
        [SnapshotSection.AccessEntries] = ["eks:ListAccessEntries", "eks:DescribeAccessEntry", "eks:ListAssociatedAccessPolicies"],
        [SnapshotSection.PodIdentityAssociations] = ["eks:ListPodIdentityAssociations", "eks:DescribePodIdentityAssociation"],
        [SnapshotSection.FargateProfiles] = ["eks:ListFargateProfiles", "eks:DescribeFargateProfile"],
        [SnapshotSection.IdentityProviderConfigs] = ["eks:ListIdentityProviderConfigs", "eks:DescribeIdentityProviderConfig"],
        [SnapshotSection.IamRoles] = ["iam:GetRole", "iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListRolePolicies", "iam:GetRolePolicy"],
        [SnapshotSection.IamUsers] = ["iam:GetUser", "iam:ListMFADevices", "iam:GetLoginProfile", "iam:ListAccessKeys", "iam:GetAccessKeyLastUsed"],
        [SnapshotSection.OidcProviders] = ["iam:ListOpenIDConnectProviders", "iam:GetOpenIDConnectProvider"],
        [SnapshotSection.AccountSettings] = ["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary"],
        [SnapshotSection.Instances] = ["ec2:DescribeInstances"],
        [SnapshotSection.LaunchTemplates] = ["ec2:DescribeLaunchTemplateVersions"],
        [SnapshotSection.SecurityGroups] = ["ec2:DescribeSecurityGroups"],
        [SnapshotSection.Subnets] = ["ec2:DescribeSubnets"],
        [SnapshotSection.AmiReleases] = ["ssm:GetParameter"],
        [SnapshotSection.AddonVersions] = ["eks:DescribeAddonVersions"],
        [SnapshotSection.EbsEncryptionByDefault] = ["ec2:GetEbsEncryptionByDefault"],
        [SnapshotSection.EbsVolumes] = ["ec2:DescribeVolumes"],
        [SnapshotSection.RouteTables] = ["ec2:DescribeRouteTables"],
        [SnapshotSection.FlowLogs] = ["ec2:DescribeFlowLogs"],
        [SnapshotSection.VpcEndpoints] = ["ec2:DescribeVpcEndpoints"],
        [SnapshotSection.InstanceMetadataDefaults] = ["ec2:GetInstanceMetadataDefaults"],
        [SnapshotSection.AccountClusters] = ["eks:ListClusters", "eks:DescribeCluster"],
        [SnapshotSection.AccountRoles] = ["iam:ListRoles"],
        [SnapshotSection.KmsKey] = ["kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:GetKeyPolicy"],
    };

    /// <summary>
    /// The actions for the AWS sections the given rules read, sorted. For the whole catalogue it is the
    /// policy for a full collection: sections the collector gathers that no rule reads yet (OIDC identity
    /// provider configs, the account's OIDC providers: kept in every snapshot for the rules and commands
    /// that read snapshots later) are covered too, so a scan with that policy is never denied anything.
    /// </summary>
    public static IReadOnlyList<string> ActionsFor(IEnumerable<Rule> rules)
    {
        var selected = rules.ToList();
        var sections = selected.SelectMany(Sections).Where(ClusterSnapshot.IsAwsSection).ToHashSet();
        // Every scan describes the cluster: it names the region, the endpoint and the key.
        sections.Add(SnapshotSection.Cluster);
        var ids = selected.Select(r => r.Metadata.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (RuleCatalog.Default.Rules.All(r => ids.Contains(r.Metadata.Id)))
            sections.UnionWith(BySection.Keys.Except(RuleCatalog.Default.Rules.SelectMany(Sections)));
        return sections.SelectMany(s => BySection.TryGetValue(s, out var actions)
                ? actions
                : throw new InvalidOperationException($"No IAM actions are declared for the AWS section {s}."))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<SnapshotSection> Sections(Rule rule) => rule.Metadata.Reads.Concat(rule.Metadata.OptionallyReads);

    /// <summary>An IAM policy document granting exactly those actions (read-only; resources are not narrowed because the Describe/List actions need "*").</summary>
    public static string PolicyDocument(IEnumerable<Rule> rules)
    {
        var document = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Sid"] = "EksSecurityScannerReadOnly",
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray([.. ActionsFor(rules).Select(a => (JsonNode)JsonValue.Create(a)!)]),
                ["Resource"] = "*",
            }),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
