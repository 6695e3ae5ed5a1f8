using System.Text;
using System.Xml.Linq;
using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Aws.Clients;

/// <summary>One query-protocol operation: its name, the result element it reads, and how it pages.</summary>
public sealed record QueryOperation(string Name, string ResultMember, bool Paged = false);

/// <summary>
/// The IAM operations the rules need, over the query protocol with XML answers (aws-models/iam).
/// Lists follow Marker/IsTruncated; policy documents arrive URL-encoded and are decoded.
/// </summary>
public sealed class IamClient(AwsHttpClient http)
{
    public const string ApiVersion = "2010-05-08";

    public static readonly QueryOperation GetRoleOp = new("GetRole", "Role");
    public static readonly QueryOperation ListAttachedRolePoliciesOp = new("ListAttachedRolePolicies", "AttachedPolicies", Paged: true);
    public static readonly QueryOperation ListRolePoliciesOp = new("ListRolePolicies", "PolicyNames", Paged: true);
    public static readonly QueryOperation GetRolePolicyOp = new("GetRolePolicy", "PolicyDocument");
    public static readonly QueryOperation GetPolicyOp = new("GetPolicy", "Policy");
    public static readonly QueryOperation GetPolicyVersionOp = new("GetPolicyVersion", "PolicyVersion");
    public static readonly QueryOperation GetUserOp = new("GetUser", "User");
    public static readonly QueryOperation ListMfaDevicesOp = new("ListMFADevices", "MFADevices", Paged: true);
    public static readonly QueryOperation GetLoginProfileOp = new("GetLoginProfile", "LoginProfile");
    public static readonly QueryOperation ListAccessKeysOp = new("ListAccessKeys", "AccessKeyMetadata", Paged: true);
    public static readonly QueryOperation GetAccessKeyLastUsedOp = new("GetAccessKeyLastUsed", "AccessKeyLastUsed");
    public static readonly QueryOperation ListOpenIdConnectProvidersOp = new("ListOpenIDConnectProviders", "OpenIDConnectProviderList");
    public static readonly QueryOperation GetOpenIdConnectProviderOp = new("GetOpenIDConnectProvider", "Url");
    public static readonly QueryOperation GetAccountPasswordPolicyOp = new("GetAccountPasswordPolicy", "PasswordPolicy");
    public static readonly QueryOperation GetAccountSummaryOp = new("GetAccountSummary", "SummaryMap");
    public static readonly QueryOperation GetInstanceProfileOp = new("GetInstanceProfile", "InstanceProfile");
    public static readonly QueryOperation ListRolesOp = new("ListRoles", "Roles", Paged: true);

    public static IReadOnlyList<QueryOperation> Operations { get; } =
    [
        GetRoleOp, ListAttachedRolePoliciesOp, ListRolePoliciesOp, GetRolePolicyOp, GetPolicyOp, GetPolicyVersionOp, GetUserOp, ListMfaDevicesOp,
        GetLoginProfileOp, ListAccessKeysOp, GetAccessKeyLastUsedOp, ListOpenIdConnectProvidersOp, GetOpenIdConnectProviderOp,
        GetAccountPasswordPolicyOp, GetAccountSummaryOp, GetInstanceProfileOp, ListRolesOp,
    ];

    public async Task<IamRole> GetRoleAsync(string roleName, CancellationToken ct)
    {
        var result = await CallAsync(GetRoleOp, ct, ("RoleName", roleName)).ConfigureAwait(false);
        return XmlShapeReader.Read<IamRole>(Member(result, GetRoleOp));
    }

    /// <summary>Every role of the account with its trust policy, as ListRoles returns them (no tags, boundary or last use).</summary>
    public async Task<List<IamRole>> ListRolesAsync(CancellationToken ct) =>
        (await ListAsync(ListRolesOp, ct).ConfigureAwait(false)).Select(XmlShapeReader.Read<IamRole>).ToList();

    public async Task<List<IamAttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken ct)
    {
        var items = await ListAsync(ListAttachedRolePoliciesOp, ct, ("RoleName", roleName)).ConfigureAwait(false);
        return items.Select(XmlShapeReader.Read<IamAttachedPolicy>).ToList();
    }

    public async Task<List<string>> ListRolePoliciesAsync(string roleName, CancellationToken ct) =>
        (await ListAsync(ListRolePoliciesOp, ct, ("RoleName", roleName)).ConfigureAwait(false)).Select(e => e.Value).ToList();

    public async Task<IamInlinePolicy> GetRolePolicyAsync(string roleName, string policyName, CancellationToken ct)
    {
        var result = await CallAsync(GetRolePolicyOp, ct, ("RoleName", roleName), ("PolicyName", policyName)).ConfigureAwait(false);
        return XmlShapeReader.Read<IamInlinePolicy>(result);
    }

    /// <summary>The policy's default version id (GetPolicy), then that version's document (GetPolicyVersion).</summary>
    public async Task<IamAttachedPolicy> GetManagedPolicyAsync(string policyArn, CancellationToken ct)
    {
        var policy = Member(await CallAsync(GetPolicyOp, ct, ("PolicyArn", policyArn)).ConfigureAwait(false), GetPolicyOp);
        var versionId = XmlShapeReader.Child(policy, "DefaultVersionId")?.Value
            ?? throw new AwsServiceException(AwsService.Iam, GetPolicyOp.Name, "MalformedResponse", "The policy has no DefaultVersionId.", 200);
        var version = Member(await CallAsync(GetPolicyVersionOp, ct, ("PolicyArn", policyArn), ("VersionId", versionId)).ConfigureAwait(false), GetPolicyVersionOp);
        var document = XmlShapeReader.Child(version, "Document")?.Value;
        return new IamAttachedPolicy
        {
            PolicyArn = policyArn,
            PolicyName = XmlShapeReader.Child(policy, "PolicyName")?.Value,
            DefaultVersionId = versionId,
            Document = document is null ? null : Uri.UnescapeDataString(document),
        };
    }

    public async Task<IamUser> GetUserAsync(string userName, CancellationToken ct) =>
        XmlShapeReader.Read<IamUser>(Member(await CallAsync(GetUserOp, ct, ("UserName", userName)).ConfigureAwait(false), GetUserOp));

    public async Task<List<IamMfaDevice>> ListMfaDevicesAsync(string userName, CancellationToken ct) =>
        (await ListAsync(ListMfaDevicesOp, ct, ("UserName", userName)).ConfigureAwait(false)).Select(XmlShapeReader.Read<IamMfaDevice>).ToList();

    /// <summary>True when the user has a console password; false on NoSuchEntity.</summary>
    public async Task<bool> HasLoginProfileAsync(string userName, CancellationToken ct)
    {
        try
        {
            await CallAsync(GetLoginProfileOp, ct, ("UserName", userName)).ConfigureAwait(false);
            return true;
        }
        catch (AwsServiceException ex) when (ex.Code == "NoSuchEntity")
        {
            return false;
        }
    }

    public async Task<List<IamAccessKey>> ListAccessKeysAsync(string userName, CancellationToken ct) =>
        (await ListAsync(ListAccessKeysOp, ct, ("UserName", userName)).ConfigureAwait(false)).Select(XmlShapeReader.Read<IamAccessKey>).ToList();

    /// <summary>(LastUsedDate, ServiceName) of an access key.</summary>
    public async Task<(DateTimeOffset? LastUsed, string? Service)> GetAccessKeyLastUsedAsync(string accessKeyId, CancellationToken ct)
    {
        var used = Member(await CallAsync(GetAccessKeyLastUsedOp, ct, ("AccessKeyId", accessKeyId)).ConfigureAwait(false), GetAccessKeyLastUsedOp);
        var date = XmlShapeReader.Child(used, "LastUsedDate")?.Value;
        return (date is null ? null : DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            XmlShapeReader.Child(used, "ServiceName")?.Value);
    }

    public async Task<List<string>> ListOpenIdConnectProviderArnsAsync(CancellationToken ct)
    {
        var result = await CallAsync(ListOpenIdConnectProvidersOp, ct).ConfigureAwait(false);
        return XmlShapeReader.Children(Member(result, ListOpenIdConnectProvidersOp), "member")
            .Select(m => XmlShapeReader.Child(m, "Arn")?.Value).OfType<string>().ToList();
    }

    public async Task<IamOidcProvider> GetOpenIdConnectProviderAsync(string arn, CancellationToken ct)
    {
        var provider = XmlShapeReader.Read<IamOidcProvider>(await CallAsync(GetOpenIdConnectProviderOp, ct, ("OpenIDConnectProviderArn", arn)).ConfigureAwait(false));
        provider.Arn = arn;
        return provider;
    }

    /// <summary>The password policy; null when the account has none (NoSuchEntity).</summary>
    public async Task<IamPasswordPolicy?> GetAccountPasswordPolicyAsync(CancellationToken ct)
    {
        try
        {
            return XmlShapeReader.Read<IamPasswordPolicy>(Member(await CallAsync(GetAccountPasswordPolicyOp, ct).ConfigureAwait(false), GetAccountPasswordPolicyOp));
        }
        catch (AwsServiceException ex) when (ex.Code == "NoSuchEntity")
        {
            return null;
        }
    }

    public async Task<Dictionary<string, int>> GetAccountSummaryAsync(CancellationToken ct) =>
        (Dictionary<string, int>)XmlShapeReader.ToNode(Member(await CallAsync(GetAccountSummaryOp, ct).ConfigureAwait(false), GetAccountSummaryOp), typeof(Dictionary<string, int>))!
            .AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());

    /// <summary>The role names of an instance profile.</summary>
    public async Task<List<string>> GetInstanceProfileRoleNamesAsync(string instanceProfileName, CancellationToken ct)
    {
        var profile = Member(await CallAsync(GetInstanceProfileOp, ct, ("InstanceProfileName", instanceProfileName)).ConfigureAwait(false), GetInstanceProfileOp);
        var roles = XmlShapeReader.Child(profile, "Roles");
        return roles is null ? [] : XmlShapeReader.Children(roles, "member").Select(r => XmlShapeReader.Child(r, "RoleName")?.Value).OfType<string>().ToList();
    }

    private static XElement Member(XElement result, QueryOperation op) =>
        XmlShapeReader.Child(result, op.ResultMember)
        ?? throw new AwsServiceException(AwsService.Iam, op.Name, "MalformedResponse", $"The response has no {op.ResultMember} element.", 200);

    private async Task<List<XElement>> ListAsync(QueryOperation op, CancellationToken ct, params (string Key, string Value)[] parameters)
    {
        var items = new List<XElement>();
        string? marker = null;
        do
        {
            var all = parameters.ToList();
            if (marker is not null) all.Add(("Marker", marker));
            var result = await CallAsync(op, ct, [.. all]).ConfigureAwait(false);
            var list = XmlShapeReader.Child(result, op.ResultMember);
            if (list is not null) items.AddRange(XmlShapeReader.Children(list, "member"));
            var truncated = string.Equals(XmlShapeReader.Child(result, "IsTruncated")?.Value, "true", StringComparison.OrdinalIgnoreCase);
            var next = truncated ? XmlShapeReader.Child(result, "Marker")?.Value : null;
            if (next is not null && next == marker)
                throw new AwsServiceException(AwsService.Iam, op.Name, "PagingLoop", "The service returned the same Marker twice.", 200);
            marker = next;
        }
        while (marker is not null);
        return items;
    }

    private async Task<XElement> CallAsync(QueryOperation op, CancellationToken ct, params (string Key, string Value)[] parameters)
    {
        var body = new StringBuilder($"Action={op.Name}&Version={ApiVersion}");
        foreach (var (k, v) in parameters) body.Append('&').Append(AwsSigner.Encode(k)).Append('=').Append(AwsSigner.Encode(v));
        var response = await http.SendAsync(AwsService.Iam, op.Name, HttpMethod.Post, "/", Encoding.UTF8.GetBytes(body.ToString()),
            "application/x-www-form-urlencoded; charset=utf-8", null, ct).ConfigureAwait(false);
        return XmlShapeReader.Result(XDocument.Parse(Encoding.UTF8.GetString(response.Body)), op.Name);
    }
}
