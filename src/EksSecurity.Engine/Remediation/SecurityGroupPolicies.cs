using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Remediation;

/// <summary>
/// New-EksSecurityGroupPolicy: vpcresources.k8s.aws/v1beta1 SecurityGroupPolicy objects (security groups for pods), one per
/// namespace, selecting pods by their labels or by their service account's labels. The VPC resource controller gives the
/// selected pods a branch ENI with exactly these groups (at most five; the node's groups no longer apply to them).
/// </summary>
internal static partial class SecurityGroupPolicies
{
    public const string ApiVersion = "vpcresources.k8s.aws/v1beta1";
    public const string Kind = "SecurityGroupPolicy";
    /// <summary>Security groups per branch ENI.</summary>
    public const int MaxGroups = 5;

    public static IReadOnlyList<KubernetesManifest> Build(SecurityGroupPolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = KubernetesNames.ObjectName(request.Name);
        if ((request.PodSelector is null) == (request.ServiceAccountSelector is null))
            throw new EksSecurityException("InvalidLabelSelector", EksErrorKind.InvalidArgument,
                "A SecurityGroupPolicy selects pods by a pod selector or by a service account selector: give exactly one.");
        var groups = GroupIds(request.SecurityGroupIds);
        var (selectorField, selector) = request.PodSelector is { } pods
            ? ("podSelector", KubernetesNames.Labels(pods, "-PodSelector"))
            : ("serviceAccountSelector", KubernetesNames.Labels(request.ServiceAccountSelector!, "-ServiceAccountSelector"));
        var manifests = new List<KubernetesManifest>();
        foreach (var ns in MetadataDenyPolicies.Distinct(request.Namespaces))
        {
            var spec = new JsonObject
            {
                [selectorField] = selector.Count == 0 ? new JsonObject() : new JsonObject { ["matchLabels"] = ManifestYaml.Map(selector) },
                ["securityGroups"] = new JsonObject { ["groupIds"] = ManifestYaml.Strings(groups) },
            };
            var metadata = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { [KubernetesNames.ManagedByLabel] = KubernetesNames.ManagedByValue },
            };
            manifests.Add(ManifestYaml.Manifest(ManifestYaml.Object(ApiVersion, Kind, metadata, spec), request.ClusterName));
        }
        return manifests;
    }

    /// <summary>The ids in order, once each; every one sg- and 8 or 17 lowercase hex digits, one to five of them.</summary>
    public static IReadOnlyList<string> GroupIds(IReadOnlyList<string> ids)
    {
        foreach (var id in ids)
            if (!IsSecurityGroupId(id))
                throw new EksSecurityException("InvalidSecurityGroupId", EksErrorKind.InvalidArgument,
                    $"'{id}' is not a security group id: expected sg- followed by 8 or 17 lowercase hexadecimal digits, such as sg-0123456789abcdef0.", id);
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count is 0 or > MaxGroups)
            throw new EksSecurityException("InvalidSecurityGroupId", EksErrorKind.InvalidArgument,
                $"A SecurityGroupPolicy takes 1 to {MaxGroups} security groups (a branch ENI has at most {MaxGroups}); {distinct.Count} were given.");
        return distinct;
    }

    public static bool IsSecurityGroupId(string? id) => id is not null && SecurityGroupId().IsMatch(id);

    [GeneratedRegex("^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$", RegexOptions.CultureInvariant)]
    private static partial Regex SecurityGroupId();
}
