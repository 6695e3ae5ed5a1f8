using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace EksSecurity.Engine.Aws.Policy;

internal enum ConditionSetQualifier
{
    None,
    /// <summary>Every request value must match; true when the key is missing or empty.</summary>
    ForAllValues,
    /// <summary>At least one request value must match; false when the key is missing or empty.</summary>
    ForAnyValue,
}

/// <summary>The comparison an operator makes between one request value and one policy value, before negation.</summary>
internal enum ConditionTest
{
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    /// <summary>ArnEquals and ArnLike: both match segment by segment with wildcards.</summary>
    ArnLike,
    Null,
}

/// <summary>
/// A condition operator as written: an optional <c>ForAllValues:</c>/<c>ForAnyValue:</c> prefix, the base
/// operator (StringNotLike, NumericLessThan, ...) and an optional <c>IfExists</c> suffix.
/// </summary>
internal sealed record ConditionOperator(string Name, string BaseName, ConditionTest Test, bool Negated, bool IfExists, ConditionSetQualifier Qualifier)
{
    private static readonly Dictionary<string, (ConditionTest Test, bool Negated)> Operators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["StringEquals"] = (ConditionTest.StringEquals, false),
        ["StringNotEquals"] = (ConditionTest.StringEquals, true),
        ["StringEqualsIgnoreCase"] = (ConditionTest.StringEqualsIgnoreCase, false),
        ["StringNotEqualsIgnoreCase"] = (ConditionTest.StringEqualsIgnoreCase, true),
        ["StringLike"] = (ConditionTest.StringLike, false),
        ["StringNotLike"] = (ConditionTest.StringLike, true),
        ["NumericEquals"] = (ConditionTest.NumericEquals, false),
        ["NumericNotEquals"] = (ConditionTest.NumericEquals, true),
        ["NumericLessThan"] = (ConditionTest.NumericLessThan, false),
        ["NumericLessThanEquals"] = (ConditionTest.NumericLessThanEquals, false),
        ["NumericGreaterThan"] = (ConditionTest.NumericGreaterThan, false),
        ["NumericGreaterThanEquals"] = (ConditionTest.NumericGreaterThanEquals, false),
        ["DateEquals"] = (ConditionTest.DateEquals, false),
        ["DateNotEquals"] = (ConditionTest.DateEquals, true),
        ["DateLessThan"] = (ConditionTest.DateLessThan, false),
        ["DateLessThanEquals"] = (ConditionTest.DateLessThanEquals, false),
        ["DateGreaterThan"] = (ConditionTest.DateGreaterThan, false),
        ["DateGreaterThanEquals"] = (ConditionTest.DateGreaterThanEquals, false),
        ["Bool"] = (ConditionTest.Bool, false),
        ["BinaryEquals"] = (ConditionTest.BinaryEquals, false),
        ["IpAddress"] = (ConditionTest.IpAddress, false),
        ["NotIpAddress"] = (ConditionTest.IpAddress, true),
        ["ArnEquals"] = (ConditionTest.ArnLike, false),
        ["ArnLike"] = (ConditionTest.ArnLike, false),
        ["ArnNotEquals"] = (ConditionTest.ArnLike, true),
        ["ArnNotLike"] = (ConditionTest.ArnLike, true),
        ["Null"] = (ConditionTest.Null, false),
    };

    private const string IfExistsSuffix = "IfExists";

    public bool IsNumeric => Test is >= ConditionTest.NumericEquals and <= ConditionTest.NumericGreaterThanEquals;
    public bool IsDate => Test is >= ConditionTest.DateEquals and <= ConditionTest.DateGreaterThanEquals;

    /// <summary>Reads an operator name; false with the reason when IAM would not know it.</summary>
    public static bool TryParse(string name, [NotNullWhen(true)] out ConditionOperator? op, [NotNullWhen(false)] out string? error)
    {
        op = null;
        error = null;
        var rest = name.Trim();
        var qualifier = ConditionSetQualifier.None;
        if (rest.StartsWith("ForAllValues:", StringComparison.OrdinalIgnoreCase))
        {
            qualifier = ConditionSetQualifier.ForAllValues;
            rest = rest["ForAllValues:".Length..];
        }
        else if (rest.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase))
        {
            qualifier = ConditionSetQualifier.ForAnyValue;
            rest = rest["ForAnyValue:".Length..];
        }
        var ifExists = false;
        if (!Operators.ContainsKey(rest) && rest.EndsWith(IfExistsSuffix, StringComparison.OrdinalIgnoreCase))
        {
            ifExists = true;
            rest = rest[..^IfExistsSuffix.Length];
        }
        if (!Operators.TryGetValue(rest, out var entry))
        {
            error = $"unknown condition operator '{name}'";
            return false;
        }
        if (entry.Test == ConditionTest.Null && ifExists)
        {
            // Null already tests for existence; IAM rejects NullIfExists.
            error = $"condition operator '{name}': Null cannot take IfExists";
            return false;
        }
        var baseName = Operators.Keys.First(k => string.Equals(k, rest, StringComparison.OrdinalIgnoreCase));
        op = new ConditionOperator(name, baseName, entry.Test, entry.Negated, ifExists, qualifier);
        return true;
    }

    /// <summary>Whether a policy value is well formed for this operator; values holding a policy variable are checked when resolved.</summary>
    internal string? ValidateValue(string value)
    {
        if (value.Contains("${", StringComparison.Ordinal)) return null;
        return Test switch
        {
            _ when IsNumeric => ConditionValues.TryNumber(value, out _) ? null : $"'{value}' is not a number",
            _ when IsDate => ConditionValues.TryDate(value, out _) ? null : $"'{value}' is not a date (ISO 8601 or epoch seconds)",
            ConditionTest.IpAddress => ConditionValues.TryCidr(value, out _, out _) ? null : $"'{value}' is not an IP address or CIDR block",
            ConditionTest.Bool or ConditionTest.Null => bool.TryParse(value, out _) ? null : $"'{value}' must be true or false",
            _ => null,
        };
    }

    public override string ToString() => Name;
}

/// <summary>Decides one <see cref="PolicyCondition"/> against a request the way IAM documents it.</summary>
internal static class ConditionEvaluator
{
    public static bool IsSatisfied(PolicyCondition condition, AccessRequest request, bool variablesEnabled)
    {
        var op = condition.Operator;
        // An empty multivalued key counts as absent: ForAllValues is vacuously true, ForAnyValue false.
        var present = request.TryGetContextValues(condition.Key, out var requestValues) && requestValues.Count > 0;
        if (op.Test == ConditionTest.Null)
            return condition.Values.Any(v => bool.TryParse(v, out var mustBeAbsent) && mustBeAbsent != present);
        if (!present)
        {
            if (op.IfExists) return true;
            return op.Qualifier switch
            {
                ConditionSetQualifier.ForAllValues => true,
                ConditionSetQualifier.ForAnyValue => false,
                // A missing key matches nothing, so "must not match" holds.
                _ => op.Negated,
            };
        }
        var policyValues = condition.Values.Select(v => PolicyVariables.Resolve(v, request, variablesEnabled)).ToList();

        // Several policy values for one key are OR'd; a negated operator holds when none matches (NOR).
        bool Holds(string requestValue)
        {
            var anyMatch = policyValues.Any(p => p is not null && Compare(op.Test, requestValue, p));
            return op.Negated ? !anyMatch : anyMatch;
        }

        return op.Qualifier switch
        {
            ConditionSetQualifier.ForAllValues => requestValues.All(Holds),
            ConditionSetQualifier.ForAnyValue => requestValues.Any(Holds),
            // Without a set operator a multivalued key behaves as "any value matches"; negated, as "no value matches".
            _ => op.Negated ? requestValues.All(Holds) : requestValues.Any(Holds),
        };
    }

    private static bool Compare(ConditionTest test, string requestValue, string policyValue)
    {
        switch (test)
        {
            case ConditionTest.StringEquals:
                return string.Equals(requestValue, PolicyMatch.Literal(policyValue), StringComparison.Ordinal);
            case ConditionTest.StringEqualsIgnoreCase:
                return string.Equals(requestValue, PolicyMatch.Literal(policyValue), StringComparison.OrdinalIgnoreCase);
            case ConditionTest.StringLike:
                return PolicyMatch.Like(requestValue, policyValue);
            case ConditionTest.ArnLike:
                return PolicyMatch.Arn(requestValue, policyValue);
            case ConditionTest.Bool:
                return bool.TryParse(requestValue, out var r) && bool.TryParse(PolicyMatch.Literal(policyValue), out var p) && r == p;
            case ConditionTest.BinaryEquals:
                return string.Equals(requestValue, PolicyMatch.Literal(policyValue), StringComparison.Ordinal);
            case ConditionTest.IpAddress:
                return ConditionValues.TryCidr(PolicyMatch.Literal(policyValue), out var network, out var prefix) &&
                       IPAddress.TryParse(requestValue.Trim(), out var address) &&
                       ConditionValues.InNetwork(address, network, prefix);
            case >= ConditionTest.NumericEquals and <= ConditionTest.NumericGreaterThanEquals:
                if (!ConditionValues.TryNumber(requestValue, out var rn) || !ConditionValues.TryNumber(PolicyMatch.Literal(policyValue), out var pn)) return false;
                return Ordered(test - ConditionTest.NumericEquals, rn.CompareTo(pn));
            case >= ConditionTest.DateEquals and <= ConditionTest.DateGreaterThanEquals:
                if (!ConditionValues.TryDate(requestValue, out var rd) || !ConditionValues.TryDate(PolicyMatch.Literal(policyValue), out var pd)) return false;
                return Ordered(test - ConditionTest.DateEquals, rd.CompareTo(pd));
            default:
                return false;
        }
    }

    /// <summary>Numeric and date tests share one order: Equals, LessThan, LessThanEquals, GreaterThan, GreaterThanEquals.</summary>
    private static bool Ordered(int kind, int comparison) => kind switch
    {
        0 => comparison == 0,
        1 => comparison < 0,
        2 => comparison <= 0,
        3 => comparison > 0,
        _ => comparison >= 0,
    };
}

/// <summary>Reading the typed values of condition operators: numbers, dates, CIDR blocks.</summary>
internal static class ConditionValues
{
    public static bool TryNumber(string text, out decimal value) =>
        decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>ISO 8601 (date, date-time, with or without zone; UTC when none) or epoch seconds, as IAM accepts.</summary>
    public static bool TryDate(string text, out DateTimeOffset value)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 0 && trimmed.All(char.IsAsciiDigit) && long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            try
            {
                value = DateTimeOffset.FromUnixTimeSeconds(seconds);
                return true;
            }
            catch (ArgumentOutOfRangeException)
            {
                value = default;
                return false;
            }
        }
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>"203.0.113.0/24", "2001:db8::/32", or a single address (a /32 or /128). Host bits may be set, as IAM allows.</summary>
    public static bool TryCidr(string text, [NotNullWhen(true)] out IPAddress? network, out int prefix)
    {
        network = null;
        prefix = 0;
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/');
        var addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (!IPAddress.TryParse(addressText, out var address)) return false;
        var bits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        if (slash < 0) prefix = bits;
        else if (!int.TryParse(trimmed[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits) return false;
        network = address;
        return true;
    }

    public static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        if (address.IsIPv4MappedToIPv6 && network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) address = address.MapToIPv4();
        if (address.AddressFamily != network.AddressFamily) return false;
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = prefix / 8;
        for (var i = 0; i < whole; i++)
            if (a[i] != n[i]) return false;
        var remaining = prefix % 8;
        if (remaining == 0) return true;
        var mask = (byte)(0xFF << (8 - remaining));
        return (a[whole] & mask) == (n[whole] & mask);
    }
}
