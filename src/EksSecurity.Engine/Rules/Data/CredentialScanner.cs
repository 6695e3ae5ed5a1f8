using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Rules.Data;

/// <summary>
/// Finds credential-looking literals for EKS-DATA-011, from the patterns in <see cref="RuleSettings"/>. Every pattern is
/// compiled once per settings object with the non-backtracking engine, so the time to scan a value grows linearly with its
/// length whatever a settings file holds; values over <see cref="RuleSettings.SensitiveValueMaxLength"/> are not scanned.
/// A hit carries a redacted hint (a known non-secret prefix and a length), never the value.
/// </summary>
internal sealed class CredentialScanner
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
    private const string ValueGroup = "value";
    public const string SensitiveNameKind = "sensitive name with a literal value";

    private static readonly ConditionalWeakTable<RuleSettings, CredentialScanner> s_cache = new();

    private readonly Regex? _names;
    private readonly Regex? _allowedNames;
    private readonly (string Kind, Regex Pattern, bool HasValueGroup)[] _values;
    private readonly int _maxLength;

    private CredentialScanner(RuleSettings settings)
    {
        _names = Combine(settings.SensitiveKeyNames, nameof(RuleSettings.SensitiveKeyNames));
        _allowedNames = Combine(settings.SensitiveKeyNamesAllowed, nameof(RuleSettings.SensitiveKeyNamesAllowed));
        _values = settings.SensitiveValuePatterns
            .Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p =>
            {
                var regex = Compile(p.Value, RegexOptions.None, $"{nameof(RuleSettings.SensitiveValuePatterns)}[{p.Key}]");
                return (p.Key, regex, regex.GetGroupNames().Contains(ValueGroup));
            })
            .ToArray();
        _maxLength = settings.SensitiveValueMaxLength;
    }

    /// <summary>The scanner for these settings, compiled on first use.</summary>
    public static CredentialScanner For(RuleSettings settings) => s_cache.GetValue(settings, s => new CredentialScanner(s));

    public int MaxLength => _maxLength;

    /// <summary>What looks like a credential in <paramref name="value"/>, stored under <paramref name="name"/>; empty when nothing.</summary>
    public ScanResult Scan(string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return ScanResult.Clean;
        if (value.Length > _maxLength) return new ScanResult([], TooLong: true);

        List<CredentialHit>? hits = null;
        foreach (var (kind, pattern, hasValueGroup) in _values)
        {
            if (!pattern.IsMatch(value)) continue;
            foreach (Match match in pattern.Matches(value))
            {
                var secret = hasValueGroup && match.Groups[ValueGroup].Success ? match.Groups[ValueGroup] : (Capture)match;
                if (hasValueGroup && IsPlaceholder(secret.Value)) continue;
                (hits ??= []).Add(new CredentialHit(kind, Hint(secret.Value), LineOf(value, match.Index)));
                break;
            }
        }
        if (hits is null && IsSensitiveName(name) && IsLiteral(value))
            hits = [new CredentialHit(SensitiveNameKind, Hint(value), null)];
        return hits is null ? ScanResult.Clean : new ScanResult(hits, TooLong: false);
    }

    public bool IsSensitiveName(string? name) =>
        !string.IsNullOrEmpty(name) && _names?.IsMatch(name) == true && _allowedNames?.IsMatch(name) != true;

    /// <summary>"AKIA…(20 chars)": the access-key-id type prefix is public, the rest of any value never leaves here.</summary>
    internal static string Hint(string secret)
    {
        var prefix = secret.Length >= 20 && (secret.StartsWith("AKIA", StringComparison.Ordinal) || secret.StartsWith("ASIA", StringComparison.Ordinal))
            ? secret[..4]
            : "";
        return $"{prefix}…({secret.Length} chars)";
    }

    /// <summary>Placeholders, references, switches and paths: what a config file names instead of holding a secret.</summary>
    internal static bool IsPlaceholder(string value)
    {
        var v = value.Trim().Trim('"', '\'');
        if (v.Length == 0) return true;
        if (v[0] is '$' or '%' or '<' or '@' || v.StartsWith("{{", StringComparison.Ordinal) || v.StartsWith("#{", StringComparison.Ordinal)) return true;
        if (v[0] == '/' || v.StartsWith("./", StringComparison.Ordinal) || v.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) return true;
        if (v.Equals("null", StringComparison.OrdinalIgnoreCase) || v.Equals("none", StringComparison.OrdinalIgnoreCase) ||
            v.Equals("nil", StringComparison.OrdinalIgnoreCase) || v == "~" || v.Equals("true", StringComparison.OrdinalIgnoreCase) ||
            v.Equals("false", StringComparison.OrdinalIgnoreCase))
            return true;
        // Masked values: "****", "xxxxxxxx".
        return v.All(c => c == v[0]);
    }

    /// <summary>A value that could be a credential under a sensitive name: not a placeholder, a number, a switch or a short word.</summary>
    private static bool IsLiteral(string value)
    {
        var v = value.Trim();
        if (v.Length < 4 || IsPlaceholder(v)) return false;
        if (long.TryParse(v, out _)) return false;
        return !(v.Equals("yes", StringComparison.OrdinalIgnoreCase) || v.Equals("no", StringComparison.OrdinalIgnoreCase) ||
                 v.Equals("enabled", StringComparison.OrdinalIgnoreCase) || v.Equals("disabled", StringComparison.OrdinalIgnoreCase));
    }

    private static int? LineOf(string value, int index)
    {
        if (value.IndexOf('\n') < 0) return null;
        var line = 1;
        for (var i = 0; i < index; i++) if (value[i] == '\n') line++;
        return line;
    }

    private static Regex? Combine(IReadOnlyList<string> patterns, string setting)
    {
        var usable = patterns.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        if (usable.Count == 0) return null;
        foreach (var p in usable) Compile(p, RegexOptions.IgnoreCase, $"{setting} '{p}'");
        return Compile(string.Join("|", usable.Select(p => $"(?:{p})")), RegexOptions.IgnoreCase, setting);
    }

    private static Regex Compile(string pattern, RegexOptions extra, string setting)
    {
        try
        {
            return new Regex(pattern, Options | extra);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException(
                $"The setting {setting} is not a regular expression the linear-time engine accepts (no backreferences, lookarounds or atomic groups): {ex.Message}", ex);
        }
    }
}

/// <summary>One credential-looking literal: what it looks like, a redacted hint, and the line inside a multi-line value.</summary>
internal sealed record CredentialHit(string Kind, string Hint, int? Line)
{
    public override string ToString() => $"{Kind}: {Hint}" + (Line is null ? "" : $" at line {Line}");
}

internal sealed record ScanResult(IReadOnlyList<CredentialHit> Hits, bool TooLong)
{
    public static ScanResult Clean { get; } = new([], false);
}
