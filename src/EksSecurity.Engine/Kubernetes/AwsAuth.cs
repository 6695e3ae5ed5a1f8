using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EksSecurity.Engine.Kubernetes;

/// <summary>One entry of aws-auth's mapRoles or mapUsers.</summary>
public sealed class AwsAuthMapping
{
    /// <summary>mapRoles or mapUsers.</summary>
    public required string Source { get; init; }
    /// <summary>rolearn or userarn.</summary>
    public string? Arn { get; init; }
    public string? Username { get; init; }
    public IReadOnlyList<string> Groups { get; init; } = [];
    /// <summary>1-based line of the entry inside the key's YAML text.</summary>
    public int Line { get; init; }

    public string Describe() => $"{Source}[line {Line}] {Arn ?? "(no arn)"}";
}

/// <summary>The kube-system/aws-auth ConfigMap, parsed as the AWS IAM authenticator reads it.</summary>
public sealed class AwsAuthConfig
{
    public const string Namespace = "kube-system";
    public const string Name = "aws-auth";

    public bool Exists { get; private init; }
    public IReadOnlyList<AwsAuthMapping> Roles { get; private init; } = [];
    public IReadOnlyList<AwsAuthMapping> Users { get; private init; } = [];
    public IReadOnlyList<string> Accounts { get; private init; } = [];
    public bool HasMapAccounts { get; private init; }
    /// <summary>YAML errors, each naming the key, line and column.</summary>
    public IReadOnlyList<string> ParseErrors { get; private init; } = [];

    public IEnumerable<AwsAuthMapping> All => Roles.Concat(Users);

    public static AwsAuthConfig Missing { get; } = new();

    public static AwsAuthConfig From(V1ConfigMap? configMap)
    {
        if (configMap is null) return Missing;
        var data = configMap.Data ?? new Dictionary<string, string>();
        var errors = new List<string>();
        var roles = ParseMappings(data, "mapRoles", "rolearn", errors);
        var users = ParseMappings(data, "mapUsers", "userarn", errors);
        var accounts = new List<string>();
        if (data.TryGetValue("mapAccounts", out var accountsText))
        {
            foreach (var node in ParseSequence(accountsText, "mapAccounts", errors))
                if (node is YamlScalarNode { Value: { } account }) accounts.Add(account);
        }
        return new AwsAuthConfig
        {
            Exists = true,
            Roles = roles,
            Users = users,
            Accounts = accounts,
            HasMapAccounts = data.ContainsKey("mapAccounts"),
            ParseErrors = errors,
        };
    }

    private static List<AwsAuthMapping> ParseMappings(IDictionary<string, string> data, string key, string arnField, List<string> errors)
    {
        var result = new List<AwsAuthMapping>();
        if (!data.TryGetValue(key, out var text)) return result;
        foreach (var node in ParseSequence(text, key, errors))
        {
            if (node is not YamlMappingNode map)
            {
                errors.Add($"{key} line {node.Start.Line}, column {node.Start.Column}: each entry must be a mapping with {arnField}, username and groups.");
                continue;
            }
            string? Scalar(string name) =>
                map.Children.TryGetValue(new YamlScalarNode(name), out var v) && v is YamlScalarNode s ? s.Value : null;
            var groups = new List<string>();
            if (map.Children.TryGetValue(new YamlScalarNode("groups"), out var g))
            {
                if (g is YamlSequenceNode seq)
                    groups.AddRange(seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? ""));
                else
                    errors.Add($"{key} line {g.Start.Line}, column {g.Start.Column}: groups must be a list.");
            }
            result.Add(new AwsAuthMapping
            {
                Source = key,
                Arn = Scalar(arnField),
                Username = Scalar("username"),
                Groups = groups,
                Line = (int)node.Start.Line,
            });
        }
        return result;
    }

    private static IEnumerable<YamlNode> ParseSequence(string text, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var stream = new YamlStream();
        Parser? parser = null;
        try
        {
            // aws-auth is small; a text this large is an alias bomb or a mistake.
            if (text.Length > 1_000_000)
            {
                errors.Add($"{key}: the value is {text.Length} characters long; refusing to parse more than 1,000,000.");
                return [];
            }
            parser = new Parser(new StringReader(text));
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            errors.Add($"{key} line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}");
            return [];
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this, not a YamlException, on some malformed flow collections
            // (for example "[unclosed" followed by a new line). Report it like any parse error, at the
            // last position the parser reached.
            var mark = parser?.Current?.End ?? Mark.Empty;
            errors.Add($"{key} line {mark.Line}, column {mark.Column}: malformed YAML ({ex.Message})");
            return [];
        }
        if (stream.Documents.Count == 0) return [];
        var root = stream.Documents[0].RootNode;
        if (root is YamlSequenceNode sequence) return sequence.Children;
        if (root is YamlScalarNode { Value: null or "" or "[]" }) return [];
        errors.Add($"{key} line {root.Start.Line}, column {root.Start.Column}: expected a YAML list.");
        return [];
    }
}
