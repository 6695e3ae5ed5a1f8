using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// Shapes of eks:DescribeCluster (aws-models/eks, shape Cluster), with the wire's member names,
// so the "cluster" object of `aws eks describe-cluster` output is a valid snapshot section.

public sealed class EksCluster
{
    public string? Name { get; set; }
    public string? Arn { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreatedAt { get; set; }
    public string? Version { get; set; }
    public string? Endpoint { get; set; }
    public string? RoleArn { get; set; }
    public EksVpcConfig? ResourcesVpcConfig { get; set; }
    public EksKubernetesNetworkConfig? KubernetesNetworkConfig { get; set; }
    public EksLogging? Logging { get; set; }
    public EksIdentity? Identity { get; set; }
    public string? Status { get; set; }
    public string? PlatformVersion { get; set; }
    /// <summary>The cluster CA (base64 PEM): how the Kubernetes API's certificate is checked.</summary>
    public EksCertificate? CertificateAuthority { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public List<EksEncryptionConfig>? EncryptionConfig { get; set; }
    public string? Id { get; set; }
    public EksHealth? Health { get; set; }
    public EksAccessConfig? AccessConfig { get; set; }
    public EksUpgradePolicy? UpgradePolicy { get; set; }
    public EksComputeConfig? ComputeConfig { get; set; }
    public bool? DeletionProtection { get; set; }
}

public sealed class EksCertificate
{
    public string? Data { get; set; }
}

public sealed class EksVpcConfig
{
    public List<string>? SubnetIds { get; set; }
    public List<string>? SecurityGroupIds { get; set; }
    public string? ClusterSecurityGroupId { get; set; }
    public string? VpcId { get; set; }
    public bool EndpointPublicAccess { get; set; }
    public bool EndpointPrivateAccess { get; set; }
    public List<string>? PublicAccessCidrs { get; set; }
}

public sealed class EksKubernetesNetworkConfig
{
    public string? ServiceIpv4Cidr { get; set; }
    public string? ServiceIpv6Cidr { get; set; }
    public string? IpFamily { get; set; }
}

public sealed class EksLogging
{
    public List<EksLogSetup>? ClusterLogging { get; set; }
}

public sealed class EksLogSetup
{
    public List<string>? Types { get; set; }
    public bool? Enabled { get; set; }
}

public sealed class EksIdentity
{
    public EksOidc? Oidc { get; set; }
}

public sealed class EksOidc
{
    public string? Issuer { get; set; }
}

public sealed class EksEncryptionConfig
{
    public List<string>? Resources { get; set; }
    public EksEncryptionProvider? Provider { get; set; }
}

public sealed class EksEncryptionProvider
{
    public string? KeyArn { get; set; }
}

public sealed class EksHealth
{
    public List<EksIssue>? Issues { get; set; }
}

public sealed class EksIssue
{
    public string? Code { get; set; }
    public string? Message { get; set; }
    public List<string>? ResourceIds { get; set; }
}

public sealed class EksAccessConfig
{
    public bool? BootstrapClusterCreatorAdminPermissions { get; set; }
    /// <summary>API, API_AND_CONFIG_MAP or CONFIG_MAP.</summary>
    public string? AuthenticationMode { get; set; }
}

public sealed class EksUpgradePolicy
{
    /// <summary>STANDARD or EXTENDED.</summary>
    public string? SupportType { get; set; }
}

public sealed class EksComputeConfig
{
    public bool? Enabled { get; set; }
    public List<string>? NodePools { get; set; }
    public string? NodeRoleArn { get; set; }
}

/// <summary>One element of eks:DescribeClusterVersions (shape ClusterVersionInformation).</summary>
public sealed class EksClusterVersion
{
    public string? ClusterVersion { get; set; }
    public string? ClusterType { get; set; }
    public string? DefaultPlatformVersion { get; set; }
    public bool? DefaultVersion { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? ReleaseDate { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? EndOfStandardSupportDate { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? EndOfExtendedSupportDate { get; set; }
    public string? Status { get; set; }
    /// <summary>UNSUPPORTED, STANDARD_SUPPORT or EXTENDED_SUPPORT.</summary>
    public string? VersionStatus { get; set; }
    public string? KubernetesPatchVersion { get; set; }
}
