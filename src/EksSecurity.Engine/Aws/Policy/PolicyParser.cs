using System.Text.Json;

namespace EksSecurity.Engine.Aws.Policy;

/// <summary>A policy document IAM would reject; the message names the policy, the statement (from 0) and the element.</summary>
internal sealed class PolicyParseException : FormatException
{
    public PolicyParseException(string policyName, int? statementIndex, string problem, Exception? innerException = null)
        : base(statementIndex is { } i ? $"policy '{policyName}': statement {i}: {problem}" : $"policy '{policyName}': {problem}", innerException)
    {
        PolicyName = policyName;
        StatementIndex = statementIndex;
        Problem = problem;
    }

    public string PolicyName { get; }
    public int? StatementIndex { get; }
    /// <summary>The message without the policy and statement prefix.</summary>
    public string Problem { get; }
}

/// <summary>
/// Reads policy JSON in every legal form: Statement as one object or an array; Action, Resource and their Not
/// forms as a string or an array; Principal as "*" or a map of principal types to a string or an array;
/// Condition as {operator: {key: value or values}}. Element names are matched regardless of case, as tools
/// write them in other cases; anything IAM would reject is a <see cref="PolicyParseException"/>.
/// </summary>
internal static class PolicyParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowTrailingCommas = true };
    private static readonly string[] TopLevelElements = ["Version", "Id", "Statement"];
    private static readonly string[] StatementElements = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

    public static PolicyDocument Parse(string? json, string policyName, PolicyKind kind)
    {
        ArgumentNullException.ThrowIfNull(policyName);
        if (string.IsNullOrWhiteSpace(json)) throw new PolicyParseException(policyName, null, "the policy document is empty");
        var text = json.Trim();
        // IAM's Get*Policy APIs return documents URL-encoded.
        if (text.StartsWith('%')) text = Uri.UnescapeDataString(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : "";
            throw new PolicyParseException(policyName, null, $"not valid JSON{where}: {FirstSentence(ex.Message)}", ex);
        }
        using (document)
            return new Reader(policyName, kind).Document(document.RootElement);
    }

    /// <summary>System.Text.Json appends " Path: $ | LineNumber: 0 | BytePositionInLine: 1." which the message already says better.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).Trim();
    }

    private sealed class Reader(string policyName, PolicyKind kind)
    {
        private PolicyParseException Fail(int? statement, string problem) => new(policyName, statement, problem);

        public PolicyDocument Document(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Fail(null, $"the document must be a JSON object, not {Describe(root)}");
            var elements = Elements(root, TopLevelElements, null, "top-level element");
            string? version = null;
            if (elements.TryGetValue("Version", out var v))
            {
                version = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (version is not (PolicyDocument.CurrentVersion or PolicyDocument.LegacyVersion))
                    throw Fail(null, $"Version must be \"{PolicyDocument.CurrentVersion}\" or \"{PolicyDocument.LegacyVersion}\", not {Describe(v)}");
            }
            string? id = null;
            if (elements.TryGetValue("Id", out var idElement))
            {
                if (idElement.ValueKind != JsonValueKind.String) throw Fail(null, $"Id must be a string, not {Describe(idElement)}");
                id = idElement.GetString();
            }
            if (!elements.TryGetValue("Statement", out var statement)) throw Fail(null, "the document has no Statement");
            var items = statement.ValueKind switch
            {
                JsonValueKind.Array => statement.EnumerateArray().ToList(),
                JsonValueKind.Object => [statement],
                _ => throw Fail(null, $"Statement must be an object or an array of objects, not {Describe(statement)}"),
            };
            var variables = version == PolicyDocument.CurrentVersion;
            var statements = new List<PolicyStatement>(items.Count);
            for (var i = 0; i < items.Count; i++) statements.Add(Statement(items[i], i, variables));
            return new PolicyDocument { Name = policyName, Version = version, Id = id, Statements = statements };
        }

        private PolicyStatement Statement(JsonElement s, int index, bool variables)
        {
            if (s.ValueKind != JsonValueKind.Object) throw Fail(index, $"must be a JSON object, not {Describe(s)}");
            var e = Elements(s, StatementElements, index, "element");

            string? sid = null;
            if (e.TryGetValue("Sid", out var sidElement))
            {
                if (sidElement.ValueKind != JsonValueKind.String) throw Fail(index, $"Sid must be a string, not {Describe(sidElement)}");
                sid = sidElement.GetString();
            }

            if (!e.TryGetValue("Effect", out var effectElement)) throw Fail(index, "Effect is missing; it must be Allow or Deny");
            var effectText = effectElement.ValueKind == JsonValueKind.String ? effectElement.GetString() : null;
            PolicyEffect effect;
            if (string.Equals(effectText, "Allow", StringComparison.OrdinalIgnoreCase)) effect = PolicyEffect.Allow;
            else if (string.Equals(effectText, "Deny", StringComparison.OrdinalIgnoreCase)) effect = PolicyEffect.Deny;
            else throw Fail(index, $"Effect must be Allow or Deny, not {Describe(effectElement)}");

            var (principalField, principalElement) = OneOf(e, index, "Principal", "NotPrincipal");
            var (actionField, actionElement) = OneOf(e, index, "Action", "NotAction");
            var (resourceField, resourceElement) = OneOf(e, index, "Resource", "NotResource");

            if (actionField is null) throw Fail(index, "has neither Action nor NotAction");
            var actions = Strings(actionElement, index, actionField);
            foreach (var action in actions)
                if (action != "*" && (action.IndexOf(':') is <= 0 || action.EndsWith(':')))
                    throw Fail(index, $"{actionField} '{action}' is not \"*\" or of the form service:action");

            switch (kind)
            {
                case PolicyKind.Identity when principalField is not null:
                    throw Fail(index, $"{principalField} is not allowed in an identity policy");
                case PolicyKind.Identity when resourceField is null:
                    throw Fail(index, "has neither Resource nor NotResource, which an identity policy requires");
                case PolicyKind.Resource or PolicyKind.Trust when principalField is null:
                    throw Fail(index, $"has neither Principal nor NotPrincipal, which a {(kind == PolicyKind.Trust ? "trust" : "resource")} policy requires");
                case PolicyKind.Trust when resourceField is not null:
                    throw Fail(index, $"{resourceField} is not allowed in a trust policy");
            }

            return new PolicyStatement
            {
                PolicyName = policyName,
                Index = index,
                Sid = sid,
                Effect = effect,
                HasPrincipal = principalField is not null,
                IsNotPrincipal = principalField == "NotPrincipal",
                Principals = principalField is null ? [] : Principals(principalElement, index, principalField),
                IsNotAction = actionField == "NotAction",
                Actions = actions,
                HasResource = resourceField is not null,
                IsNotResource = resourceField == "NotResource",
                Resources = resourceField is null ? [] : Strings(resourceElement, index, resourceField),
                Conditions = e.TryGetValue("Condition", out var condition) ? Conditions(condition, index) : [],
                VariablesEnabled = variables,
            };
        }

        private (string? Field, JsonElement Value) OneOf(Dictionary<string, JsonElement> elements, int index, string field, string notField)
        {
            var has = elements.TryGetValue(field, out var value);
            var hasNot = elements.TryGetValue(notField, out var notValue);
            if (has && hasNot) throw Fail(index, $"has both {field} and {notField}; a statement takes one");
            return has ? (field, value) : hasNot ? (notField, notValue) : (null, default);
        }

        private List<StatementPrincipal> Principals(JsonElement element, int index, string field)
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                if (element.GetString() == "*") return [new StatementPrincipal(PrincipalTypes.Everyone, "*")];
                throw Fail(index, $"{field} must be \"*\" or an object such as {{\"AWS\": \"arn:...\"}}, not {Describe(element)}");
            }
            if (element.ValueKind != JsonValueKind.Object)
                throw Fail(index, $"{field} must be \"*\" or an object such as {{\"AWS\": \"arn:...\"}}, not {Describe(element)}");
            var principals = new List<StatementPrincipal>();
            foreach (var property in element.EnumerateObject())
            {
                var type = PrincipalTypes.All.FirstOrDefault(t => string.Equals(t, property.Name, StringComparison.OrdinalIgnoreCase))
                    ?? throw Fail(index, $"{field} has unknown principal type '{property.Name}' (expected AWS, Service, Federated or CanonicalUser)");
                principals.AddRange(Strings(property.Value, index, $"{field} {type}").Select(v => new StatementPrincipal(type, v)));
            }
            if (principals.Count == 0) throw Fail(index, $"{field} names no principal");
            return principals;
        }

        private List<PolicyCondition> Conditions(JsonElement element, int index)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw Fail(index, $"Condition must be an object of {{operator: {{key: value}}}}, not {Describe(element)}");
            var conditions = new List<PolicyCondition>();
            foreach (var block in element.EnumerateObject())
            {
                if (!ConditionOperator.TryParse(block.Name, out var op, out var error)) throw Fail(index, $"Condition: {error}");
                if (block.Value.ValueKind != JsonValueKind.Object)
                    throw Fail(index, $"Condition operator '{block.Name}' must map condition keys to values, not {Describe(block.Value)}");
                foreach (var key in block.Value.EnumerateObject())
                {
                    var values = ConditionValuesOf(key.Value, index, block.Name, key.Name);
                    foreach (var value in values)
                        if (op.ValidateValue(value) is { } problem)
                            throw Fail(index, $"Condition {block.Name} {key.Name}: {problem}");
                    conditions.Add(new PolicyCondition { Operator = op, Key = key.Name, Values = values });
                }
            }
            return conditions;
        }

        /// <summary>Condition values may be strings, numbers or booleans (IAM compares their text), alone or in an array.</summary>
        private List<string> ConditionValuesOf(JsonElement element, int index, string op, string key)
        {
            var items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : [element];
            if (items.Count == 0) throw Fail(index, $"Condition {op} {key} has no values");
            var values = new List<string>(items.Count);
            foreach (var item in items)
                values.Add(item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString()!,
                    JsonValueKind.Number => item.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => throw Fail(index, $"Condition {op} {key}: values must be strings, numbers or booleans, not {Describe(item)}"),
                });
            return values;
        }

        private List<string> Strings(JsonElement element, int index, string field)
        {
            List<string> values = element.ValueKind switch
            {
                JsonValueKind.String => [element.GetString()!],
                JsonValueKind.Array => element.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
                    ? item.GetString()!
                    : throw Fail(index, $"{field} entries must be strings, not {Describe(item)}")).ToList(),
                _ => throw Fail(index, $"{field} must be a string or an array of strings, not {Describe(element)}"),
            };
            if (values.Count == 0) throw Fail(index, $"{field} is an empty array");
            if (values.Any(string.IsNullOrWhiteSpace)) throw Fail(index, $"{field} has an empty entry");
            return values;
        }

        /// <summary>The object's elements by canonical name; unknown or repeated names are errors.</summary>
        private Dictionary<string, JsonElement> Elements(JsonElement obj, string[] known, int? index, string what)
        {
            var elements = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in obj.EnumerateObject())
            {
                var name = known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase))
                    ?? throw Fail(index, $"unknown {what} '{property.Name}' (expected {string.Join(", ", known)})");
                if (!elements.TryAdd(name, property.Value)) throw Fail(index, $"{name} appears more than once");
            }
            return elements;
        }

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => $"\"{element.GetString()}\"",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.Null => "null",
            _ => element.GetRawText(),
        };
    }
}
