using EksSecurity.Engine.Aws.Policy;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Identity;

/// <summary>
/// Least-privilege trust policies for workload identities, ready for New-IAMRole -AssumeRolePolicyDocument:
/// exact subjects and audiences (StringEquals, never StringLike), the one provider or service principal, and the
/// source conditions that keep a shared Pod Identity role to the intended account and clusters.
/// </summary>
public static partial class TrustPolicyGenerator
{
    public const string ErrorInvalidInput = "TrustPolicyInputInvalid";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Irsa(IrsaTrustPolicyRequest request)
    {
        var issuer = ValidIssuer(request.OidcIssuer);
        var account = Account(request.AccountId);
        Name(request.Namespace, "Namespace");
        if (request.ServiceAccounts.Count == 0) throw Invalid("ServiceAccount", "at least one service account name is needed");
        var subjects = request.ServiceAccounts.Select(sa => TrustPolicy.ServiceAccountSubject(request.Namespace, Name(sa, "ServiceAccount")))
            .Distinct(StringComparer.Ordinal).ToList();
        var partition = request.Partition ?? PartitionOfIssuer(issuer);
        var equals = new JsonObject
        {
            [$"{issuer}:sub"] = subjects.Count == 1 ? subjects[0] : new JsonArray([.. subjects.Select(s => (JsonNode)JsonValue.Create(s)!)]),
            [$"{issuer}:aud"] = TrustPolicy.StsAudience,
        };
        return Document(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Federated"] = TrustPolicy.OidcProviderArn(account, issuer, partition) },
            ["Action"] = TrustPolicy.AssumeRoleWithWebIdentity,
            ["Condition"] = new JsonObject { ["StringEquals"] = equals },
        });
    }

    public static string PodIdentity(PodIdentityTrustPolicyRequest request)
    {
        var account = Account(request.AccountId);
        var clusters = request.ClusterArns.Select(ClusterArn).Distinct(StringComparer.Ordinal).ToList();
        var foreign = clusters.FirstOrDefault(c => c.Split(':')[4] != account);
        if (foreign is not null) throw Invalid("ClusterArn", $"'{foreign}' is in another account than {account}: Pod Identity uses the cluster's own account");
        var condition = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = account } };
        if (clusters.Count > 0)
            condition["ArnEquals"] = new JsonObject
            {
                ["aws:SourceArn"] = clusters.Count == 1 ? clusters[0] : new JsonArray([.. clusters.Select(c => (JsonNode)JsonValue.Create(c)!)]),
            };
        return Document(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = TrustPolicy.PodIdentityService },
            ["Action"] = new JsonArray(TrustPolicy.AssumeRole, TrustPolicy.TagSession),
            ["Condition"] = condition,
        });
    }

    private static string Document(JsonObject statement) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(statement),
    }.ToJsonString(Indented);

    /// <summary>The issuer the user gave, as host and path, refused when it is not an https issuer URL.</summary>
    private static string ValidIssuer(string issuer)
    {
        if (!issuer.Trim().StartsWith("https://", StringComparison.OrdinalIgnoreCase) && issuer.Contains("://", StringComparison.Ordinal))
            throw Invalid("OidcIssuer", $"'{issuer}' is not an https URL");
        var text = TrustPolicy.IssuerHostPath(issuer);
        if (text.Length == 0 || !Uri.TryCreate("https://" + text, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || text.Contains('*') || text.Contains(' '))
            throw Invalid("OidcIssuer", $"'{issuer}' is not an OIDC issuer URL such as https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE");
        return text;
    }

    /// <summary>The partition an EKS issuer's region belongs to (oidc.eks.cn-north-1.amazonaws.com.cn → aws-cn).</summary>
    public static string PartitionOfIssuer(string issuerHostPath)
    {
        var region = TrustPolicy.EksIssuerRegion(issuerHostPath);
        return region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
             : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
             : "aws";
    }

    private static string Account(string account) =>
        AccountPattern().IsMatch(account.Trim()) ? account.Trim() : throw Invalid("AccountId", $"'{account}' is not a 12-digit AWS account id");

    private static string ClusterArn(string arn)
    {
        var parts = arn.Trim().Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "eks" || !AccountPattern().IsMatch(parts[4]) || !parts[5].StartsWith("cluster/", StringComparison.Ordinal) || parts[5].Contains('*'))
            throw Invalid("ClusterArn", $"'{arn}' is not an EKS cluster ARN (arn:aws:eks:<region>:<account>:cluster/<name>)");
        return arn.Trim();
    }

    /// <summary>Kubernetes names (RFC 1123 labels for namespaces, subdomains for service accounts); no wildcards: the point is one exact subject.</summary>
    private static string Name(string value, string field)
    {
        if (!NamePattern().IsMatch(value ?? ""))
            throw Invalid(field, $"'{value}' is not a Kubernetes name (lower-case letters, digits, '-' and '.'; no wildcards: a trust policy for IRSA names exactly one subject)");
        return value!;
    }

    private static EksSecurityException Invalid(string field, string problem) =>
        new(ErrorInvalidInput, EksErrorKind.InvalidArgument, $"-{field}: {problem}.", field);

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex NamePattern();
}
