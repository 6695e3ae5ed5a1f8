using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Manifests;

internal enum IntegerParse { NotAnInteger, Ok, OutOfRange }

/// <summary>
/// The types of plain (unquoted) scalars, as kubectl reads them: sigs.k8s.io/yaml over go-yaml v2,
/// which is YAML 1.1 — <c>yes/no/on/off/y/n</c> are booleans, <c>0644</c> is octal, <c>1_000</c> is
/// a thousand — plus the YAML 1.2 spellings (<c>0o644</c>, <c>1e3</c>). Where the Kubernetes schema
/// says string, the converter keeps the text as written instead (<c>value: yes</c> stays "yes").
/// </summary>
internal static partial class ScalarResolver
{
    public static bool IsNull(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    public static bool TryBool(string text, out bool value)
    {
        switch (text)
        {
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y":
                value = true;
                return true;
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>Decimal, 0x hex, 0b binary, 0o or leading-zero octal, with optional sign and underscores.</summary>
    public static IntegerParse ParseInteger(string text, out BigInteger value)
    {
        value = default;
        if (text.Length == 0 || text.Length > 200) return IntegerParse.NotAnInteger;
        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.Length == 0) return IntegerParse.NotAnInteger;
        int radix;
        if (s.Length > 2 && s[0] == '0' && (s[1] is 'x' or 'X')) { radix = 16; s = s[2..]; }
        else if (s.Length > 2 && s[0] == '0' && (s[1] is 'b' or 'B')) { radix = 2; s = s[2..]; }
        else if (s.Length > 2 && s[0] == '0' && (s[1] is 'o' or 'O')) { radix = 8; s = s[2..]; }
        else if (s.Length > 1 && s[0] == '0') { radix = 8; s = s[1..]; }
        else radix = 10;
        if (s.Length == 0 || s[0] == '_') return IntegerParse.NotAnInteger;
        BigInteger result = 0;
        var digits = 0;
        foreach (var c in s)
        {
            if (c == '_') continue;
            var d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= radix) return IntegerParse.NotAnInteger;
            result = result * radix + d;
            digits++;
        }
        if (digits == 0) return IntegerParse.NotAnInteger;
        value = negative ? -result : result;
        return value < long.MinValue || value > long.MaxValue ? IntegerParse.OutOfRange : IntegerParse.Ok;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    /// <summary>A YAML float. Infinity and NaN resolve too (they cannot be JSON numbers; callers decide).</summary>
    public static bool TryFloat(string text, out double value)
    {
        value = 0;
        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                value = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf" or "-.INF":
                value = double.NegativeInfinity;
                return true;
            case ".nan" or ".NaN" or ".NAN":
                value = double.NaN;
                return true;
        }
        if (text.Length == 0 || text.Length > 200 || !FloatPattern().IsMatch(text)) return false;
        return double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
