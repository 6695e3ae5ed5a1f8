namespace EksSecurity.Engine.Aws.Model;

// Shapes of eks:DescribeAddonVersions (aws-models/eks, shapes AddonInfo, AddonVersionInfo and
// Compatibility), with the wire's member names: each element of its "addons" list. Collected with
// kubernetesVersion set to the cluster's version, for the add-ons rules judge.

public sealed class EksAddonInfo
{
    public string? AddonName { get; set; }
    public string? Type { get; set; }
    public List<EksAddonVersionInfo>? AddonVersions { get; set; }
    public string? Publisher { get; set; }
    public string? Owner { get; set; }
    public EksMarketplaceInformation? MarketplaceInformation { get; set; }
    public string? DefaultNamespace { get; set; }
}

public sealed class EksAddonVersionInfo
{
    /// <summary>Such as v1.19.2-eksbuild.1.</summary>
    public string? AddonVersion { get; set; }
    public List<string>? Architecture { get; set; }
    public List<string>? ComputeTypes { get; set; }
    public List<EksAddonCompatibility>? Compatibilities { get; set; }
    public bool? RequiresConfiguration { get; set; }
    public bool? RequiresIamPermissions { get; set; }
}

public sealed class EksAddonCompatibility
{
    public string? ClusterVersion { get; set; }
    public List<string>? PlatformVersions { get; set; }
    /// <summary>True for the version EKS installs by default on clusters of <see cref="ClusterVersion"/>.</summary>
    public bool? DefaultVersion { get; set; }
}
