using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer.Protocols;
using static EksSecurity.AwsTestServer.Services.JsonHelpers;

namespace EksSecurity.AwsTestServer.Services;

/// <summary>
/// SSM Parameter Store (json 1.1), read side only. Parameters are Parameter objects (Name, Type,
/// Value, Version, LastModifiedDate, DataType). AWS's public parameters (/aws/service/…, such as
/// the recommended EKS AMI releases) sit under the top-level <c>ssm.parameters</c> and are seen
/// from every account; an account's own under <c>accounts.&lt;id&gt;.ssm.parameters</c>.
/// </summary>
internal static class SsmService
{
    public static readonly IReadOnlyDictionary<string, Func<CallContext, JsonObject>> Handlers =
        new Dictionary<string, Func<CallContext, JsonObject>>
        {
            ["GetParameter"] = c =>
            {
                var name = c.Required("Name");
                var found = Find(c, name) ?? throw new AwsErrorException("ParameterNotFound", 400, "");
                return Obj(("Parameter", Out(c, found)));
            },
            ["GetParameters"] = c =>
            {
                var names = c.StrList("Names");
                var found = names.Select(n => (Name: n, Parameter: Find(c, n))).ToList();
                return Obj(
                    ("Parameters", Arr(found.Where(f => f.Parameter is not null).Select(f => (JsonNode)Out(c, f.Parameter!)))),
                    ("InvalidParameters", StrArr(found.Where(f => f.Parameter is null).Select(f => f.Name))));
            },
        };

    public static string? Resource(CallContext c) => c.Str("Name") is { } name ? ParameterArn(c, name) : null;

    private static string ParameterArn(CallContext c, string name) =>
        name.StartsWith("/aws/", StringComparison.Ordinal)
            ? $"arn:aws:ssm:{c.Region}::parameter{name}"
            : $"arn:aws:ssm:{c.Region}:{c.Account}:parameter{(name.StartsWith('/') ? "" : "/")}{name}";

    private static JsonObject? Find(CallContext c, string name)
    {
        // A name may carry a version or label selector (name:3); the test server serves the current value.
        var plain = name.Contains(':') && !name.StartsWith("arn:", StringComparison.Ordinal) ? name[..name.IndexOf(':')] : name;
        var shared = c.Scenario.Root["ssm"]?["parameters"] as JsonArray;
        return c.Collection("parameters").Objects().Concat(shared.Objects()).FirstOrDefault(p => p.S("Name") == plain);
    }

    private static JsonObject Out(CallContext c, JsonObject parameter)
    {
        var o = parameter.CloneObj();
        o["Type"] ??= "String";
        o["Version"] ??= 1;
        o["DataType"] ??= "text";
        o["ARN"] ??= ParameterArn(c, parameter.S("Name")!);
        return o;
    }
}
