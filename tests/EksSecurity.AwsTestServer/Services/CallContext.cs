using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer.Protocols;

namespace EksSecurity.AwsTestServer.Services;

/// <summary>One authenticated call being answered.</summary>
public sealed class CallContext
{
    public required Scenario Scenario { get; init; }
    public required ServiceModel Model { get; init; }
    public required OperationModel Operation { get; init; }
    /// <summary>Request parameters by API member name.</summary>
    public required JsonObject Input { get; init; }
    public required ScenarioCredential Caller { get; init; }
    public required string Region { get; init; }
    public required string RequestId { get; init; }
    public required DateTimeOffset Now { get; init; }
    /// <summary>Registers credentials minted by STS AssumeRole.</summary>
    public required Action<ScenarioCredential> AddCredential { get; init; }

    public string Service => Model.Name;
    public string Action => $"{Model.Name}:{Operation.Name}";
    public string Account => Caller.Account;

    public string? Str(string member) => WireFormat.ScalarText(Input[member]);

    public string Required(string member) =>
        Str(member) ?? throw AwsErrors.Validation(Service, $"1 validation error detected: Value null at '{char.ToLowerInvariant(member[0]) + member[1..]}' failed to satisfy constraint: Member must not be null");

    public int? Int(string member) => Input[member] switch
    {
        JsonValue v when v.TryGetValue(out long l) => (int)l,
        JsonValue v when v.TryGetValue(out int i) => i,
        JsonValue v when v.TryGetValue(out string? s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        null => null,
        _ => throw AwsErrors.Validation(Service, $"Invalid value for {member}"),
    };

    public bool? Bool(string member) => Input[member] switch
    {
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) && bool.TryParse(s, out var p) => p,
        _ => null,
    };

    public IReadOnlyList<string> StrList(string member) =>
        Input[member] is JsonArray a ? a.Select(x => WireFormat.ScalarText(x)!).ToList() : Array.Empty<string>();

    public JsonArray Collection(string name) => Scenario.Collection(Account, Service, name);

    /// <summary>
    /// One page of <paramref name="items"/>: the page size is the smaller of what the caller
    /// asked (or the API default) and the scenario's pageSizes entry for this action; the
    /// token is opaque to clients and bound to the action.
    /// </summary>
    public (List<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, string? token, int? requested, int defaultMax)
    {
        var offset = 0;
        if (!string.IsNullOrEmpty(token))
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
                var parts = text.Split('|');
                if (parts.Length != 3 || parts[0] != "v1" || parts[1] != Action) throw new FormatException();
                offset = int.Parse(parts[2], CultureInfo.InvariantCulture);
                if (offset < 0 || offset > items.Count) throw new FormatException();
            }
            catch (FormatException)
            {
                throw Service switch
                {
                    "iam" => new AwsErrorException("InvalidInput", 400, "Invalid Marker."),
                    "ec2" => new AwsErrorException("InvalidPaginationToken", 400, $"The pagination token provided is invalid: {token}"),
                    "kms" => new AwsErrorException("InvalidMarkerException", 400, "Invalid marker"),
                    _ => AwsErrors.Validation(Service, "The nextToken provided is invalid."),
                };
            }
        }
        var size = requested ?? defaultMax;
        if (Scenario.PageSize(Action) is { } forced && forced > 0) size = Math.Min(size, forced);
        size = Math.Max(1, size);
        var page = items.Skip(offset).Take(size).ToList();
        var next = offset + page.Count < items.Count
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1|{Action}|{offset + page.Count}"))
            : null;
        return (page, next);
    }

    /// <summary>Validates an integer page-size parameter against the model's min/max for it.</summary>
    public int? Limit(string member)
    {
        var value = Int(member);
        if (value is null || Operation.InputShape is null) return value;
        var shapeName = (string?)Model.Shape(Operation.InputShape)["members"]?[member]?["shape"];
        if (shapeName is null) return value;
        var shape = Model.Shape(shapeName);
        var min = (long?)shape["min"];
        var max = (long?)shape["max"];
        if ((min is not null && value < min) || (max is not null && value > max))
        {
            var wire = char.ToLowerInvariant(member[0]) + member[1..];
            throw AwsErrors.Validation(Service, $"1 validation error detected: Value '{value}' at '{wire}' failed to satisfy constraint: Member must have value {(min is not null && value < min ? $"greater than or equal to {min}" : $"less than or equal to {max}")}");
        }
        return value;
    }
}

internal static class JsonHelpers
{
    public static string? S(this JsonNode? node, string member) => WireFormat.ScalarText(node?[member]);

    public static JsonObject Obj(params (string Key, JsonNode? Value)[] members)
    {
        var o = new JsonObject();
        foreach (var (k, v) in members)
            if (v is not null) o[k] = v.Parent is null ? v : v.DeepClone();
        return o;
    }

    public static JsonArray Arr(IEnumerable<JsonNode?> items)
    {
        var a = new JsonArray();
        foreach (var i in items) a.Add(i?.DeepClone());
        return a;
    }

    public static JsonArray StrArr(IEnumerable<string> items)
    {
        var a = new JsonArray();
        foreach (var i in items) a.Add(JsonValue.Create(i));
        return a;
    }

    public static IEnumerable<JsonObject> Objects(this JsonArray? array) =>
        array is null ? Enumerable.Empty<JsonObject>() : array.OfType<JsonObject>();

    public static JsonObject CloneObj(this JsonObject o) => o.DeepClone().AsObject();
}
