using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer.Protocols;
using static EksSecurity.AwsTestServer.Services.JsonHelpers;

namespace EksSecurity.AwsTestServer.Services;

/// <summary>
/// IAM (query protocol, XML). Roles, users, managed policies, OIDC providers and instance
/// profiles are objects in IAM's member names; relations use the member names of
/// GetAccountAuthorizationDetails (AttachedManagedPolicies, RolePolicyList, UserPolicyList,
/// PolicyVersionList) and of the APIs that return them (MFADevices, LoginProfile,
/// AccessKeyMetadata with AccessKeyLastUsed). Policy documents may be JSON objects or text;
/// they go out URL-encoded as IAM sends them.
/// </summary>
internal static class IamService
{
    public static readonly IReadOnlyDictionary<string, Func<CallContext, JsonObject>> Handlers =
        new Dictionary<string, Func<CallContext, JsonObject>>
        {
            ["GetRole"] = c => Obj(("Role", RoleOut(c, FindRole(c, c.Required("RoleName")), full: true))),
            ["ListRoles"] = ListRoles,
            ["ListAttachedRolePolicies"] = c => ListAttached(c, FindRole(c, c.Required("RoleName"))),
            ["ListRolePolicies"] = c => ListInlineNames(c, FindRole(c, c.Required("RoleName")), "RolePolicyList"),
            ["GetRolePolicy"] = GetRolePolicy,
            ["GetPolicy"] = c => Obj(("Policy", PolicyOut(FindPolicy(c, c.Required("PolicyArn"))))),
            ["GetPolicyVersion"] = GetPolicyVersion,
            ["ListPolicyVersions"] = ListPolicyVersions,
            ["GetUser"] = c => Obj(("User", UserOut(c, CallerOrNamedUser(c)))),
            ["ListUsers"] = ListUsers,
            ["ListMFADevices"] = ListMfaDevices,
            ["GetLoginProfile"] = GetLoginProfile,
            ["ListAccessKeys"] = ListAccessKeys,
            ["GetAccessKeyLastUsed"] = GetAccessKeyLastUsed,
            ["ListAttachedUserPolicies"] = c => ListAttached(c, FindUser(c, c.Required("UserName"))),
            ["ListUserPolicies"] = c => ListInlineNames(c, FindUser(c, c.Required("UserName")), "UserPolicyList"),
            ["GetUserPolicy"] = GetUserPolicy,
            ["ListOpenIDConnectProviders"] = c => Obj(("OpenIDConnectProviderList",
                Arr(c.Collection("openIdConnectProviders").Objects().Select(p => Obj(("Arn", JsonValue.Create(p.S("Arn")))))))),
            ["GetOpenIDConnectProvider"] = GetOpenIdConnectProvider,
            ["GetAccountPasswordPolicy"] = c => Obj(("PasswordPolicy",
                (c.Scenario.AccountValue(c.Account, "iam", "passwordPolicy") as JsonObject)?.CloneObj()
                ?? throw NoSuchEntity($"The Password Policy with domain name {c.Account} cannot be found."))),
            ["GetAccountSummary"] = c => Obj(("SummaryMap",
                (c.Scenario.AccountValue(c.Account, "iam", "accountSummary") as JsonObject)?.CloneObj() ?? new JsonObject())),
            ["GetInstanceProfile"] = c => Obj(("InstanceProfile", InstanceProfileOut(c, FindInstanceProfile(c, c.Required("InstanceProfileName"))))),
            ["ListInstanceProfilesForRole"] = ListInstanceProfilesForRole,
        };

    /// <summary>The resource an IAM action is authorized on, as IAM names it in AccessDenied ("role X").</summary>
    public static string? Resource(CallContext c)
    {
        if (c.Str("RoleName") is { } role) return $"role {role}";
        if (c.Str("UserName") is { } user) return $"user {user}";
        if (c.Str("PolicyArn") is { } policy) return $"policy {policy}";
        if (c.Str("InstanceProfileName") is { } ip) return $"instance profile {ip}";
        if (c.Str("OpenIDConnectProviderArn") is { } oidc) return $"oidc-provider {oidc}";
        return null;
    }

    internal static AwsErrorException NoSuchEntity(string message) => new("NoSuchEntity", 404, message);

    internal static IEnumerable<JsonObject> Roles(Scenario s, string account) => s.Collection(account, "iam", "roles").Objects();

    internal static JsonObject? RoleByName(Scenario s, string account, string name) =>
        Roles(s, account).FirstOrDefault(r => string.Equals(r.S("RoleName"), name, StringComparison.OrdinalIgnoreCase));

    private static JsonObject FindRole(CallContext c, string name) =>
        RoleByName(c.Scenario, c.Account, name) ?? throw NoSuchEntity($"The role with name {name} cannot be found.");

    internal static string RoleArn(JsonObject role, string account) =>
        role.S("Arn") ?? $"arn:aws:iam::{account}:role{role.S("Path") ?? "/"}{role.S("RoleName")}";

    /// <summary>A role as GetRole returns it (full) or as ListRoles does (no tags, boundary or last use).</summary>
    internal static JsonObject RoleOut(CallContext c, JsonObject role, bool full)
    {
        var o = role.CloneObj();
        o["Path"] ??= "/";
        o["Arn"] ??= RoleArn(role, c.Account);
        o["MaxSessionDuration"] ??= 3600;
        if (!full)
        {
            o.Remove("Tags");
            o.Remove("PermissionsBoundary");
            o.Remove("RoleLastUsed");
        }
        return o;
    }

    private static JsonObject ListRoles(CallContext c)
    {
        var prefix = c.Str("PathPrefix") ?? "/";
        var roles = Roles(c.Scenario, c.Account).Where(r => (r.S("Path") ?? "/").StartsWith(prefix, StringComparison.Ordinal))
            .Select(r => RoleOut(c, r, full: false)).ToList();
        return IamPage(c, "Roles", roles);
    }

    /// <summary>IAM paging: Marker / MaxItems in, IsTruncated / Marker out.</summary>
    private static JsonObject IamPage(CallContext c, string member, IReadOnlyList<JsonNode> items)
    {
        var (page, next) = c.Page(items, c.Str("Marker"), c.Limit("MaxItems"), 100);
        return Obj((member, Arr(page)), ("IsTruncated", JsonValue.Create(next is not null)), ("Marker", next));
    }

    private static JsonObject ListAttached(CallContext c, JsonObject principal)
    {
        var prefix = c.Str("PathPrefix");
        var items = new List<JsonNode>();
        foreach (var node in (principal["AttachedManagedPolicies"] as JsonArray) ?? new JsonArray())
        {
            var arn = node is JsonObject o ? o.S("PolicyArn") : WireFormat.ScalarText(node);
            if (arn is null) continue;
            var name = node is JsonObject o2 && o2.S("PolicyName") is { } n ? n : arn.Split('/')[^1];
            var path = arn.Split(':')[5]["policy".Length..];
            path = path[..(path.LastIndexOf('/') + 1)];
            if (prefix is not null && !path.StartsWith(prefix, StringComparison.Ordinal)) continue;
            items.Add(Obj(("PolicyName", JsonValue.Create(name)), ("PolicyArn", JsonValue.Create(arn))));
        }
        return IamPage(c, "AttachedPolicies", items);
    }

    private static JsonObject ListInlineNames(CallContext c, JsonObject principal, string listMember)
    {
        var names = (principal[listMember] as JsonArray).Objects().Select(p => (JsonNode)JsonValue.Create(p.S("PolicyName"))!).ToList();
        return IamPage(c, "PolicyNames", names);
    }

    private static JsonObject GetRolePolicy(CallContext c)
    {
        var role = FindRole(c, c.Required("RoleName"));
        var name = c.Required("PolicyName");
        var policy = (role["RolePolicyList"] as JsonArray).Objects().FirstOrDefault(p => p.S("PolicyName") == name)
            ?? throw NoSuchEntity($"The role policy with name {name} cannot be found.");
        return Obj(("RoleName", JsonValue.Create(role.S("RoleName"))), ("PolicyName", JsonValue.Create(name)),
            ("PolicyDocument", policy["PolicyDocument"]?.DeepClone()));
    }

    private static JsonObject GetUserPolicy(CallContext c)
    {
        var user = FindUser(c, c.Required("UserName"));
        var name = c.Required("PolicyName");
        var policy = (user["UserPolicyList"] as JsonArray).Objects().FirstOrDefault(p => p.S("PolicyName") == name)
            ?? throw NoSuchEntity($"The user policy with name {name} cannot be found.");
        return Obj(("UserName", JsonValue.Create(user.S("UserName"))), ("PolicyName", JsonValue.Create(name)),
            ("PolicyDocument", policy["PolicyDocument"]?.DeepClone()));
    }

    /// <summary>Customer managed policies of the caller's account, then scenario-wide AWS managed policies.</summary>
    private static JsonObject FindPolicy(CallContext c, string arn)
    {
        var accountPolicies = c.Collection("policies").Objects();
        var managed = (c.Scenario.Root["awsManagedPolicies"] as JsonArray).Objects();
        var policyAccount = arn.Split(':').ElementAtOrDefault(4);
        var fromOther = policyAccount is not null && policyAccount != "aws" && policyAccount != c.Account
            ? c.Scenario.Collection(policyAccount, "iam", "policies").Objects()
            : Enumerable.Empty<JsonObject>();
        return accountPolicies.Concat(managed).Concat(fromOther).FirstOrDefault(p => p.S("Arn") == arn)
            ?? throw NoSuchEntity($"Policy {arn} does not exist or is not attachable.");
    }

    private static JsonArray Versions(JsonObject policy) => policy["PolicyVersionList"] as JsonArray ?? new JsonArray();

    private static JsonObject PolicyOut(JsonObject policy)
    {
        var o = policy.CloneObj();
        var arn = policy.S("Arn")!;
        o["PolicyName"] ??= arn.Split('/')[^1];
        o["Path"] ??= "/";
        o["IsAttachable"] ??= true;
        o["DefaultVersionId"] ??= Versions(policy).Objects().FirstOrDefault(v => v["IsDefaultVersion"] is JsonValue d && (bool)d)?.S("VersionId")
                                  ?? Versions(policy).Objects().FirstOrDefault()?.S("VersionId") ?? "v1";
        return o;
    }

    private static JsonObject GetPolicyVersion(CallContext c)
    {
        var arn = c.Required("PolicyArn");
        var policy = FindPolicy(c, arn);
        var id = c.Required("VersionId");
        var version = Versions(policy).Objects().FirstOrDefault(v => v.S("VersionId") == id)
            ?? throw NoSuchEntity($"Policy {arn} version {id} does not exist or is not attachable.");
        var o = version.CloneObj();
        o["IsDefaultVersion"] ??= PolicyOut(policy).S("DefaultVersionId") == id;
        return Obj(("PolicyVersion", o));
    }

    private static JsonObject ListPolicyVersions(CallContext c)
    {
        var policy = FindPolicy(c, c.Required("PolicyArn"));
        var defaultId = PolicyOut(policy).S("DefaultVersionId");
        var items = Versions(policy).Objects().Select(v =>
        {
            var o = v.CloneObj();
            o.Remove("Document");
            o["IsDefaultVersion"] ??= v.S("VersionId") == defaultId;
            return (JsonNode)o;
        }).ToList();
        return IamPage(c, "Versions", items);
    }

    private static IEnumerable<JsonObject> Users(CallContext c) => c.Collection("users").Objects();

    private static JsonObject FindUser(CallContext c, string name) =>
        Users(c).FirstOrDefault(u => string.Equals(u.S("UserName"), name, StringComparison.OrdinalIgnoreCase))
        ?? throw NoSuchEntity($"The user with name {name} cannot be found.");

    private static JsonObject CallerOrNamedUser(CallContext c)
    {
        if (c.Str("UserName") is { } name) return FindUser(c, name);
        if (!c.Caller.IsUser) throw AwsErrors.Validation("iam", "Must specify userName when calling with non-User credentials");
        return Users(c).FirstOrDefault(u => u.S("UserName") == c.Caller.UserName)
               ?? Obj(("UserName", JsonValue.Create(c.Caller.UserName)), ("Arn", JsonValue.Create(c.Caller.Arn)),
                   ("UserId", JsonValue.Create(c.Caller.UserId)), ("Path", JsonValue.Create("/")), ("CreateDate", JsonValue.Create("2020-01-01T00:00:00Z")));
    }

    private static string UserNameOrCaller(CallContext c) =>
        c.Str("UserName") ?? (c.Caller.IsUser ? c.Caller.UserName! : throw AwsErrors.Validation("iam", "Must specify userName when calling with non-User credentials"));

    private static JsonObject UserOut(CallContext c, JsonObject user, bool full = true)
    {
        var o = user.CloneObj();
        o["Path"] ??= "/";
        o["Arn"] ??= $"arn:aws:iam::{c.Account}:user{user.S("Path") ?? "/"}{user.S("UserName")}";
        o["UserId"] ??= ScenarioCredential.DeriveUserId(o.S("Arn")!);
        if (!full) { o.Remove("Tags"); o.Remove("PermissionsBoundary"); }
        return o;
    }

    private static JsonObject ListUsers(CallContext c)
    {
        var prefix = c.Str("PathPrefix") ?? "/";
        var users = Users(c).Where(u => (u.S("Path") ?? "/").StartsWith(prefix, StringComparison.Ordinal))
            .Select(u => (JsonNode)UserOut(c, u, full: false)).ToList();
        return IamPage(c, "Users", users);
    }

    private static JsonObject ListMfaDevices(CallContext c)
    {
        var user = FindUser(c, UserNameOrCaller(c));
        var devices = (user["MFADevices"] as JsonArray).Objects().Select(d =>
        {
            var o = d.CloneObj();
            o["UserName"] ??= user.S("UserName");
            return (JsonNode)o;
        }).ToList();
        return IamPage(c, "MFADevices", devices);
    }

    private static JsonObject GetLoginProfile(CallContext c)
    {
        var user = FindUser(c, UserNameOrCaller(c));
        if (user["LoginProfile"] is not JsonObject profile)
            throw NoSuchEntity($"Login Profile for User {user.S("UserName")} cannot be found.");
        var o = profile.CloneObj();
        o["UserName"] ??= user.S("UserName");
        o["PasswordResetRequired"] ??= false;
        return Obj(("LoginProfile", o));
    }

    private static JsonObject ListAccessKeys(CallContext c)
    {
        var user = FindUser(c, UserNameOrCaller(c));
        var keys = (user["AccessKeyMetadata"] as JsonArray).Objects().Select(k =>
        {
            var o = k.CloneObj();
            o["UserName"] ??= user.S("UserName");
            o["Status"] ??= "Active";
            o.Remove("AccessKeyLastUsed");
            return (JsonNode)o;
        }).ToList();
        return IamPage(c, "AccessKeyMetadata", keys);
    }

    private static JsonObject GetAccessKeyLastUsed(CallContext c)
    {
        var id = c.Required("AccessKeyId");
        foreach (var user in Users(c))
        {
            var key = (user["AccessKeyMetadata"] as JsonArray).Objects().FirstOrDefault(k => k.S("AccessKeyId") == id);
            if (key is null) continue;
            var lastUsed = (key["AccessKeyLastUsed"] as JsonObject)?.CloneObj()
                           ?? Obj(("ServiceName", JsonValue.Create("N/A")), ("Region", JsonValue.Create("N/A")));
            lastUsed["ServiceName"] ??= "N/A";
            lastUsed["Region"] ??= "N/A";
            return Obj(("UserName", JsonValue.Create(user.S("UserName"))), ("AccessKeyLastUsed", lastUsed));
        }
        throw new AwsErrorException("AccessDenied", 403,
            $"User: {c.Caller.Arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key {id}");
    }

    private static JsonObject GetOpenIdConnectProvider(CallContext c)
    {
        var arn = c.Required("OpenIDConnectProviderArn");
        var p = c.Collection("openIdConnectProviders").Objects().FirstOrDefault(o => o.S("Arn") == arn)
            ?? throw NoSuchEntity($"OpenIDConnect Provider not found for arn {arn}");
        var o = p.CloneObj();
        o.Remove("Arn");
        o["ClientIDList"] ??= new JsonArray();
        o["ThumbprintList"] ??= new JsonArray();
        return o;
    }

    private static JsonObject FindInstanceProfile(CallContext c, string name) =>
        c.Collection("instanceProfiles").Objects().FirstOrDefault(p => p.S("InstanceProfileName") == name)
        ?? throw NoSuchEntity($"Instance Profile {name} cannot be found.");

    private static JsonObject InstanceProfileOut(CallContext c, JsonObject profile)
    {
        var o = profile.CloneObj();
        o["Path"] ??= "/";
        o["Arn"] ??= $"arn:aws:iam::{c.Account}:instance-profile{profile.S("Path") ?? "/"}{profile.S("InstanceProfileName")}";
        var roles = new JsonArray();
        foreach (var r in (profile["Roles"] as JsonArray) ?? new JsonArray())
        {
            var role = r is JsonObject ro ? ro : RoleByName(c.Scenario, c.Account, WireFormat.ScalarText(r)!);
            if (role is not null) roles.Add(RoleOut(c, role, full: false));
        }
        o["Roles"] = roles;
        return o;
    }

    private static JsonObject ListInstanceProfilesForRole(CallContext c)
    {
        var role = FindRole(c, c.Required("RoleName"));
        var name = role.S("RoleName");
        var items = c.Collection("instanceProfiles").Objects()
            .Where(p => ((p["Roles"] as JsonArray) ?? new JsonArray()).Any(r => (r is JsonObject ro ? ro.S("RoleName") : WireFormat.ScalarText(r)) == name))
            .Select(p => (JsonNode)InstanceProfileOut(c, p)).ToList();
        return IamPage(c, "InstanceProfiles", items);
    }
}
