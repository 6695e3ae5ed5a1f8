using System.Globalization;
using System.Text;

namespace EksSecurity.Engine.PodSecurity;

/// <summary>The upstream message helpers (policy/helpers.go) and Go's string order and quoting.</summary>
internal static class PodSecurityFormat
{
    /// <summary>pluralize(singular, plural, count).</summary>
    public static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    /// <summary>joinQuote: <c>"a", "b"</c> (no escaping, as upstream).</summary>
    public static string JoinQuote(IReadOnlyList<string> items)
    {
        if (items.Count == 0) return "";
        if (items.Count == 1) return "\"" + items[0] + "\"";
        var sb = new StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append('"').Append(items[i]).Append('"');
        }
        return sb.ToString();
    }

    /// <summary>"container(s) "a", "b"".</summary>
    public static string Containers(IReadOnlyList<string> names) =>
        Pluralize("container", "containers", names.Count) + " " + JoinQuote(names);

    /// <summary>In place: sort in Go string order and remove duplicates, as <c>sets.String.List()</c>.</summary>
    public static List<string> SortedSet(List<string> items)
    {
        if (items.Count < 2) return items;
        items.Sort(GoStringComparer.Instance);
        var w = 1;
        for (var r = 1; r < items.Count; r++)
            if (!string.Equals(items[r], items[w - 1], StringComparison.Ordinal)) items[w++] = items[r];
        if (w < items.Count) items.RemoveRange(w, items.Count - w);
        return items;
    }

    /// <summary>Distinct in first-seen order (the checks that name containers from a plain list keep duplicates; this is for the Containers property).</summary>
    public static IReadOnlyList<string> Distinct(List<string> items)
    {
        if (items.Count < 2) return items;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(items.Count);
        foreach (var s in items) if (seen.Add(s)) result.Add(s);
        return result;
    }

    /// <summary>Go's <c>%q</c> (strconv.Quote) for a string.</summary>
    public static string GoQuote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var ch = s[i];
            switch (ch)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }
            if (ch < ' ' || ch == '\x7f') { sb.Append("\\x").Append(((int)ch).ToString("x2", CultureInfo.InvariantCulture)); continue; }
            if (ch < 0x7f) { sb.Append(ch); continue; }
            int rune;
            if (char.IsHighSurrogate(ch) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                rune = char.ConvertToUtf32(ch, s[i + 1]);
                if (IsGoPrint(CharUnicodeInfo.GetUnicodeCategory(rune))) { sb.Append(ch).Append(s[i + 1]); i++; continue; }
                sb.Append("\\U").Append(rune.ToString("x8", CultureInfo.InvariantCulture));
                i++;
                continue;
            }
            if (char.IsSurrogate(ch)) { sb.Append("\\ufffd"); continue; } // invalid UTF-16: Go would see U+FFFD
            if (IsGoPrint(CharUnicodeInfo.GetUnicodeCategory(ch))) sb.Append(ch);
            else sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
        }
        return sb.Append('"').ToString();
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space.
    private static bool IsGoPrint(UnicodeCategory c) => c switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or
        UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or
        UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };
}

/// <summary>Go's string order: bytewise over UTF-8, which is ordinal UTF-16 order except that surrogates sort after U+E000..U+FFFF.</summary>
internal sealed class GoStringComparer : IComparer<string>
{
    public static readonly GoStringComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a == b) continue;
            if (a >= 0xD800 && b >= 0xD800) return Fix(a) - Fix(b);
            return a - b;
        }
        return x.Length - y.Length;
    }

    // Move surrogates above U+E000..U+FFFF, as their UTF-8 encodings (4 bytes, F0..F4 lead) sort there.
    private static int Fix(char c) => c is >= '\uD800' and <= '\uDFFF' ? c + 0x10000 : c;
}
