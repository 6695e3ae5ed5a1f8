using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using EksSecurity.Engine.Aws.Clients;
using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Tests.Aws;

/// <summary>
/// Our EKS and IAM clients are hand-written: every operation, paging token and field they use
/// must exist in the official service definitions (shared/aws-models), spelled the same.
/// </summary>
public class AwsModelConformanceTests
{
    private static JsonElement Load(string service, string file)
    {
        var path = Path.Combine(RepoPaths.SharedDirectory, "aws-models", service, file);
        Assert.True(File.Exists(path), $"The AWS service definitions are missing: {path}");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    private static readonly Lazy<JsonElement> Eks = new(() => Load("eks", "service-2.json"));
    private static readonly Lazy<JsonElement> EksPaging = new(() => Load("eks", "paginators-1.json"));
    private static readonly Lazy<JsonElement> Iam = new(() => Load("iam", "service-2.json"));
    private static readonly Lazy<JsonElement> IamPaging = new(() => Load("iam", "paginators-1.json"));

    public static TheoryData<string> EksOperations() => [.. EksClient.Operations.Select(o => o.Name)];
    public static TheoryData<string> IamOperations() => [.. IamClient.Operations.Select(o => o.Name)];

    [Theory]
    [MemberData(nameof(EksOperations))]
    public void Eks_operation_matches_the_model(string name)
    {
        var op = EksClient.Operations.Single(o => o.Name == name);
        Assert.True(Eks.Value.GetProperty("operations").TryGetProperty(name, out var model), $"{name} is not an EKS operation");
        var http = model.GetProperty("http");
        Assert.Equal(http.GetProperty("method").GetString(), op.Method);
        Assert.Equal(http.GetProperty("requestUri").GetString(), op.UriTemplate);
        var output = Shape(Eks.Value, model.GetProperty("output").GetProperty("shape").GetString()!);
        Assert.True(output.GetProperty("members").TryGetProperty(op.ResultMember, out _), $"{name} output has no member {op.ResultMember}");
        var paged = EksPaging.Value.GetProperty("pagination").TryGetProperty(name, out var paging);
        Assert.Equal(paged, op.Paged);
        if (paged)
        {
            Assert.Equal("nextToken", paging.GetProperty("input_token").GetString());
            Assert.Equal("nextToken", paging.GetProperty("output_token").GetString());
            Assert.Equal("maxResults", paging.GetProperty("limit_key").GetString());
            Assert.Equal(op.ResultMember, paging.GetProperty("result_key").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(IamOperations))]
    public void Iam_operation_matches_the_model(string name)
    {
        var op = IamClient.Operations.Single(o => o.Name == name);
        Assert.True(Iam.Value.GetProperty("operations").TryGetProperty(name, out var model), $"{name} is not an IAM operation");
        Assert.Equal("POST", model.GetProperty("http").GetProperty("method").GetString());
        var output = model.GetProperty("output");
        Assert.Equal(name + "Result", output.GetProperty("resultWrapper").GetString());
        var shape = Shape(Iam.Value, output.GetProperty("shape").GetString()!);
        Assert.True(shape.GetProperty("members").TryGetProperty(op.ResultMember, out _), $"{name} result has no member {op.ResultMember}");
        var paged = IamPaging.Value.GetProperty("pagination").TryGetProperty(name, out var paging);
        if (op.Paged)
        {
            Assert.True(paged, $"{name} is paged in our client but not in the model");
            Assert.Equal("Marker", paging.GetProperty("input_token").GetString());
            Assert.Equal("Marker", paging.GetProperty("output_token").GetString());
            Assert.Equal("IsTruncated", paging.GetProperty("more_results").GetString());
            Assert.Equal(op.ResultMember, paging.GetProperty("result_key").GetString());
        }
        Assert.Equal(IamClient.ApiVersion, Iam.Value.GetProperty("metadata").GetProperty("apiVersion").GetString());
    }

    public static TheoryData<string, string> ModelTypes() => new()
    {
        { "eks:" + nameof(EksCluster), "Cluster" },
        { "eks:" + nameof(EksClusterVersion), "ClusterVersionInformation" },
        { "eks:" + nameof(EksNodegroup), "Nodegroup" },
        { "eks:" + nameof(EksAddon), "Addon" },
        { "eks:" + nameof(EksAddonInfo), "AddonInfo" },
        { "eks:" + nameof(EksAccessEntry), "AccessEntry" },
        { "eks:" + nameof(EksAssociatedAccessPolicy), "AssociatedAccessPolicy" },
        { "eks:" + nameof(EksPodIdentityAssociation), "PodIdentityAssociation" },
        { "eks:" + nameof(EksFargateProfile), "FargateProfile" },
        { "eks:" + nameof(EksOidcIdentityProviderConfig), "OidcIdentityProviderConfig" },
        { "iam:" + nameof(IamRole), "Role" },
        { "iam:" + nameof(IamUser), "User" },
        { "iam:" + nameof(IamAttachedPolicy), "AttachedPolicy" },
        { "iam:" + nameof(IamMfaDevice), "MFADevice" },
        { "iam:" + nameof(IamAccessKey), "AccessKeyMetadata" },
        { "iam:" + nameof(IamPasswordPolicy), "PasswordPolicy" },
        { "iam:" + nameof(IamOidcProvider), "GetOpenIDConnectProviderResponse" },
    };

    /// <summary>Fields we add beside the wire shape, on purpose: gathered from other calls or our own markers.</summary>
    private static readonly Dictionary<string, string[]> Additions = new()
    {
        ["EksAccessEntry"] = ["associatedAccessPolicies"],
        ["IamRole"] = ["AttachedPolicies", "InlinePolicies", "NoSuchEntity"],
        ["IamUser"] = ["MFADevices", "HasLoginProfile", "AccessKeys", "NoSuchEntity"],
        ["IamAttachedPolicy"] = ["DefaultVersionId", "Document"],
        ["IamAccessKey"] = ["LastUsedDate", "LastUsedServiceName"],
        ["IamOidcProvider"] = ["Arn"],
    };

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Model_fields_exist_in_the_service_shape(string typeKey, string shapeName)
    {
        var (service, typeName) = (typeKey.Split(':')[0], typeKey.Split(':')[1]);
        var type = typeof(EksCluster).Assembly.GetTypes().Single(t => t.Name == typeName && t.Namespace == typeof(EksCluster).Namespace);
        var model = service == "eks" ? Eks.Value : Iam.Value;
        var problems = new List<string>();
        Check(model, type, shapeName, problems, Additions.GetValueOrDefault(typeName) ?? [], new HashSet<Type>());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static void Check(JsonElement model, Type type, string shapeName, List<string> problems, string[] additions, HashSet<Type> seen)
    {
        if (!seen.Add(type)) return;
        var shape = Shape(model, shapeName);
        if (!shape.TryGetProperty("members", out var members)) { problems.Add($"{shapeName} is not a structure"); return; }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var wire = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (additions.Contains(wire)) continue;
            if (!members.TryGetProperty(wire, out var member)) { problems.Add($"{type.Name}.{property.Name}: '{wire}' is not a member of {shapeName}"); continue; }
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>)) target = target.GetGenericArguments()[0];
            if (target.Namespace != typeof(EksCluster).Namespace || !target.IsClass) continue;
            var memberShape = member.GetProperty("shape").GetString()!;
            var memberDef = Shape(model, memberShape);
            if (memberDef.GetProperty("type").GetString() == "list") memberShape = memberDef.GetProperty("member").GetProperty("shape").GetString()!;
            Check(model, target, memberShape, problems, Additions.GetValueOrDefault(target.Name) ?? [], seen);
        }
    }

    private static JsonElement Shape(JsonElement model, string name) => model.GetProperty("shapes").GetProperty(name);
}
