using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>Finds the launch template version a managed node group runs, in the LaunchTemplates section.</summary>
internal static class NodeGroupLaunchTemplates
{
    /// <summary>
    /// The template data of the node group's launch template version. Null when the node group uses none
    /// (<paramref name="missing"/> null), or when it could not be found (<paramref name="missing"/> says why).
    /// </summary>
    public static Ec2LaunchTemplateVersion? Resolve(RuleContext context, EksNodegroup nodeGroup, out string? missing)
    {
        missing = null;
        var spec = nodeGroup.LaunchTemplate;
        if (spec is null || (string.IsNullOrEmpty(spec.Id) && string.IsNullOrEmpty(spec.Name))) return null;
        var label = Describe(spec);
        if (!context.Has(SnapshotSection.LaunchTemplates))
        {
            var info = context.Snapshot.DescribeSection(SnapshotSection.LaunchTemplates);
            missing = $"launch template {label} was not collected (section LaunchTemplates: {info.Status}" + (info.Permission is null ? ")" : $", needs {info.Permission})");
            return null;
        }
        var versions = context.Aws.LaunchTemplates!.All
            .Where(v => (!string.IsNullOrEmpty(spec.Id) && v.LaunchTemplateId == spec.Id) || (string.IsNullOrEmpty(spec.Id) && v.LaunchTemplateName == spec.Name))
            .ToList();
        Ec2LaunchTemplateVersion? match = spec.Version switch
        {
            null or "" or "$Default" => versions.FirstOrDefault(v => v.DefaultVersion == true),
            "$Latest" => versions.OrderByDescending(v => v.VersionNumber ?? 0).FirstOrDefault(),
            var number when long.TryParse(number, out var n) => versions.FirstOrDefault(v => v.VersionNumber == n),
            _ => null,
        };
        if (match is null) missing = $"launch template {label} is not in the LaunchTemplates section";
        return match;
    }

    public static string Describe(EksLaunchTemplateSpecification spec) =>
        $"{spec.Id ?? spec.Name} version {(string.IsNullOrEmpty(spec.Version) ? "$Default" : spec.Version)}";

    public static ResourceRef Resource(EksNodegroup nodeGroup) => new("NodeGroup", null, nodeGroup.NodegroupName ?? "(unnamed)");
}
