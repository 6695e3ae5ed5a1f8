using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Iam;

/// <summary>Builders for access entries, IAM roles and users, for the rules that judge who can reach the cluster.</summary>
internal static class AwsIamFixtures
{
    public const string Account = "111122223333";
    public const string ClusterAdmin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    public const string Admin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy";
    public const string View = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

    public static string RoleArn(string name) => $"arn:aws:iam::{Account}:role/{name}";
    public static string UserArn(string name) => $"arn:aws:iam::{Account}:user/{name}";

    public static EksAssociatedAccessPolicy Policy(string arn, string scope = "cluster", params string[] namespaces) =>
        new() { PolicyArn = arn, AccessScope = new EksAccessScope { Type = scope, Namespaces = namespaces.Length == 0 ? null : namespaces.ToList() } };

    public static EksAccessEntry Entry(string principalArn, params EksAssociatedAccessPolicy[] policies) => new()
    {
        ClusterName = "test-cluster",
        PrincipalArn = principalArn,
        Type = "STANDARD",
        Username = principalArn,
        AssociatedAccessPolicies = policies.ToList(),
    };

    public static IamRole Role(string name, int? maxSessionSeconds = 3600, bool missing = false) => new()
    {
        RoleName = name,
        Arn = RoleArn(name),
        RoleId = "AROA" + name.ToUpperInvariant(),
        MaxSessionDuration = missing ? null : maxSessionSeconds,
        NoSuchEntity = missing ? true : null,
    };

    public static IamUser User(string name, bool? password = true, int mfaDevices = 1, bool missing = false, params IamAccessKey[] keys) => new()
    {
        UserName = name,
        Arn = UserArn(name),
        UserId = "AIDA" + name.ToUpperInvariant(),
        HasLoginProfile = missing ? null : password,
        MfaDevices = missing ? null : Enumerable.Range(0, mfaDevices).Select(i => new IamMfaDevice { SerialNumber = $"arn:aws:iam::{Account}:mfa/{name}-{i}" }).ToList(),
        AccessKeys = missing ? null : keys.ToList(),
        NoSuchEntity = missing ? true : null,
    };

    public static IamAccessKey Key(string id, DateTimeOffset created, DateTimeOffset? lastUsed = null, string status = "Active") =>
        new() { AccessKeyId = id, Status = status, CreateDate = created, LastUsedDate = lastUsed, LastUsedServiceName = lastUsed is null ? "N/A" : "eks" };

    /// <summary>The test snapshot in authentication mode API with these access entries.</summary>
    public static ClusterSnapshot WithEntries(this ClusterSnapshot snapshot, params EksAccessEntry[] entries) => snapshot.With(s =>
    {
        s.Cluster().AccessConfig ??= new EksAccessConfig { AuthenticationMode = "API", BootstrapClusterCreatorAdminPermissions = false };
        s.Aws.AccessEntries!.Items!.AddRange(entries);
    });

    public static ClusterSnapshot WithRoles(this ClusterSnapshot snapshot, params IamRole[] roles) =>
        snapshot.With(s => s.Aws.IamRoles!.Items!.AddRange(roles));

    public static ClusterSnapshot WithUsers(this ClusterSnapshot snapshot, params IamUser[] users) =>
        snapshot.With(s => s.Aws.IamUsers!.Items!.AddRange(users));

    public static ClusterSnapshot Mode(this ClusterSnapshot snapshot, string? mode, bool? bootstrap = null) =>
        snapshot.With(s => s.Cluster().AccessConfig = mode is null && bootstrap is null ? null : new EksAccessConfig { AuthenticationMode = mode, BootstrapClusterCreatorAdminPermissions = bootstrap });
}
