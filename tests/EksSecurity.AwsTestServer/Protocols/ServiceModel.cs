using System.Text.Json.Nodes;

namespace EksSecurity.AwsTestServer.Protocols;

/// <summary>
/// One AWS service as described by its official model (trimmed to the operations this
/// server implements; see <see cref="ModelSources"/>). Drives request parsing and response
/// serialization so wire names and shapes come from the model, not from hand-written code.
/// </summary>
public sealed class ServiceModel
{
    private readonly JsonObject _shapes;

    internal ServiceModel(string name, JsonObject model)
    {
        Name = name;
        var meta = model["metadata"]!.AsObject();
        Protocol = (string)meta["protocol"]!;
        ApiVersion = (string)meta["apiVersion"]!;
        XmlNamespace = (string?)meta["xmlNamespace"];
        TargetPrefix = (string?)meta["targetPrefix"];
        JsonVersion = (string?)meta["jsonVersion"];
        SigningName = (string?)meta["signingName"] ?? (string)meta["endpointPrefix"]!;
        _shapes = model["shapes"]!.AsObject();
        Operations = model["operations"]!.AsObject().ToDictionary(
            kv => kv.Key, kv => new OperationModel(kv.Key, kv.Value!.AsObject()), StringComparer.Ordinal);
    }

    /// <summary>Service key: eks, iam, sts, ec2, kms, ssm (also the IAM action prefix).</summary>
    public string Name { get; }
    public string Protocol { get; }
    public string ApiVersion { get; }
    public string? XmlNamespace { get; }
    public string? TargetPrefix { get; }
    public string? JsonVersion { get; }
    public string SigningName { get; }
    public IReadOnlyDictionary<string, OperationModel> Operations { get; }

    public JsonObject Shape(string name) =>
        _shapes[name]?.AsObject() ?? throw new InvalidOperationException($"{Name}: no shape {name}");

    public bool HasShape(string name) => _shapes.ContainsKey(name);

    public string ShapeType(string name) => (string)Shape(name)["type"]!;
}

public sealed class OperationModel
{
    internal OperationModel(string name, JsonObject op)
    {
        Name = name;
        Method = (string?)op["http"]?["method"] ?? "POST";
        RequestUri = (string?)op["http"]?["requestUri"] ?? "/";
        InputShape = (string?)op["input"]?["shape"];
        OutputShape = (string?)op["output"]?["shape"];
        ResultWrapper = (string?)op["output"]?["resultWrapper"];
        Paginator = op["paginator"]?.AsObject();
    }

    public string Name { get; }
    public string Method { get; }
    public string RequestUri { get; }
    public string? InputShape { get; }
    public string? OutputShape { get; }
    public string? ResultWrapper { get; }
    public JsonObject? Paginator { get; }
}

/// <summary>
/// The service models, loaded once at run time from the official definitions (EKS and IAM from
/// shared/aws-models, EC2/KMS/STS/SSM from the aws CLI's botocore; see <see cref="ModelSources"/>),
/// trimmed to the operations the service handlers implement.
/// </summary>
public static class AwsModels
{
    private static readonly Lazy<IReadOnlyDictionary<string, ServiceModel>> s_all = new(Load);

    public static IReadOnlyDictionary<string, ServiceModel> All => s_all.Value;

    public static ServiceModel Eks => All["eks"];
    public static ServiceModel Iam => All["iam"];
    public static ServiceModel Sts => All["sts"];
    public static ServiceModel Ec2 => All["ec2"];
    public static ServiceModel Kms => All["kms"];
    public static ServiceModel Ssm => All["ssm"];

    /// <summary>The operations each service implements: the keys of its handler table, so a model never offers what the server cannot answer.</summary>
    public static IReadOnlyDictionary<string, IEnumerable<string>> ImplementedOperations => new Dictionary<string, IEnumerable<string>>
    {
        ["eks"] = Services.EksService.Handlers.Keys,
        ["iam"] = Services.IamService.Handlers.Keys,
        ["sts"] = Services.StsService.Handlers.Keys,
        ["ec2"] = Services.Ec2Service.Handlers.Keys,
        ["kms"] = Services.KmsService.Handlers.Keys,
        ["ssm"] = Services.SsmService.Handlers.Keys,
    };

    /// <summary>
    /// Walks every node once so parsed JsonObjects build their member tables now: their lazy
    /// first-access initialization is not thread-safe, and requests read the models concurrently.
    /// </summary>
    internal static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, v) in o) Materialize(v);
                break;
            case JsonArray a:
                foreach (var v in a) Materialize(v);
                break;
        }
    }

    private static IReadOnlyDictionary<string, ServiceModel> Load()
    {
        var root = ModelSources.LoadAll(ImplementedOperations);
        Materialize(root);
        return root.ToDictionary(kv => kv.Key, kv => new ServiceModel(kv.Key, kv.Value!.AsObject()), StringComparer.Ordinal);
    }
}
