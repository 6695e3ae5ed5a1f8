using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace EksSecurity.Engine.PodSecurity;

/// <summary>
/// A Pod Security Standards policy version: <c>v1.&lt;minor&gt;</c> or <c>latest</c>, as the
/// admission controller parses it (<c>^v1\.([0-9]|[1-9][0-9]*)$</c>, case-sensitive).
/// <c>latest</c> sorts above every numbered version. Checks evaluate the version clamped to
/// <see cref="Newest"/> (see <see cref="Clamp"/>).
/// </summary>
public readonly struct PodSecurityVersion : IEquatable<PodSecurityVersion>, IComparable<PodSecurityVersion>
{
    /// <summary>The newest minor that any check's MinimumVersion names; newer versions evaluate as this one.</summary>
    public const int NewestMinor = 37;

    /// <summary>The accepted forms, for error messages.</summary>
    public const string AcceptedForms = "\"latest\" or \"v1.<minor>\" such as \"v1.29\" (no leading zeros)";

    private readonly int _minor; // -1 = latest; default(struct) = v1.0

    private PodSecurityVersion(int minor) => _minor = minor;

    /// <summary>v1.0.</summary>
    public static PodSecurityVersion V1_0 => default;
    /// <summary>latest.</summary>
    public static PodSecurityVersion Latest { get; } = new(-1);
    /// <summary>The newest version the checks know, v1.37.</summary>
    public static PodSecurityVersion Newest { get; } = new(NewestMinor);

    /// <summary>v1.<paramref name="minor"/>.</summary>
    public static PodSecurityVersion V1(int minor) =>
        minor < 0 ? throw new ArgumentOutOfRangeException(nameof(minor), minor, "The minor version must not be negative.") : new(minor);

    public bool IsLatest => _minor < 0;
    public int Major => 1;
    /// <summary>The minor version; for <c>latest</c>, <see cref="NewestMinor"/>.</summary>
    public int Minor => _minor < 0 ? NewestMinor : _minor;

    /// <summary>The version the checks see: latest and anything above v1.<see cref="NewestMinor"/> become v1.<see cref="NewestMinor"/>.</summary>
    public PodSecurityVersion Clamp() => _minor < 0 || _minor > NewestMinor ? Newest : this;

    /// <summary>The clamped minor: what the checks compare against their MinimumVersion.</summary>
    public int EffectiveMinor => _minor < 0 || _minor > NewestMinor ? NewestMinor : _minor;

    public static bool TryParse([NotNullWhen(true)] string? text, out PodSecurityVersion version)
    {
        version = default;
        if (text is null) return false;
        if (text == "latest") { version = Latest; return true; }
        // ^v1\.([0-9]|[1-9][0-9]*)$
        if (text.Length < 4 || text[0] != 'v' || text[1] != '1' || text[2] != '.') return false;
        var digits = text.AsSpan(3);
        if (digits.Length > 1 && digits[0] == '0') return false;
        foreach (var ch in digits)
            if (ch is < '0' or > '9') return false;
        // Go's strconv.Atoi fails on overflow; so do we.
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
        version = new PodSecurityVersion(minor);
        return true;
    }

    /// <summary>Parses, or throws <see cref="FormatException"/> naming the value and the accepted forms.</summary>
    public static PodSecurityVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"Invalid Pod Security version \"{text}\": must be {AcceptedForms}.");

    public int CompareTo(PodSecurityVersion other)
    {
        if (IsLatest) return other.IsLatest ? 0 : 1;
        if (other.IsLatest) return -1;
        return _minor.CompareTo(other._minor);
    }

    public bool Equals(PodSecurityVersion other) => _minor == other._minor;
    public override bool Equals(object? obj) => obj is PodSecurityVersion v && Equals(v);
    public override int GetHashCode() => _minor;
    public override string ToString() => _minor < 0 ? "latest" : "v1." + _minor.ToString(CultureInfo.InvariantCulture);

    public static bool operator ==(PodSecurityVersion a, PodSecurityVersion b) => a.Equals(b);
    public static bool operator !=(PodSecurityVersion a, PodSecurityVersion b) => !a.Equals(b);
    public static bool operator <(PodSecurityVersion a, PodSecurityVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(PodSecurityVersion a, PodSecurityVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(PodSecurityVersion a, PodSecurityVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(PodSecurityVersion a, PodSecurityVersion b) => a.CompareTo(b) >= 0;
}
