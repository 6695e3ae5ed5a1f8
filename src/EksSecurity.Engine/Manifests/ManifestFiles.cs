using System.Text;
using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Manifests;

/// <summary>PowerShell-style wildcards (<c>*</c>, <c>?</c>, <c>[a-z]</c>, backtick escapes), case-insensitive.</summary>
internal sealed class WildcardSet
{
    private readonly Regex[] _patterns;

    public WildcardSet(IEnumerable<string> patterns) =>
        _patterns = patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Select(ToRegex).ToArray();

    public bool IsEmpty => _patterns.Length == 0;

    public bool Matches(string text) => _patterns.Any(p => p.IsMatch(text));

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }
                    var set = pattern[(i + 1)..close].Replace(@"\", @"\\").Replace("^", @"\^");
                    regex.Append('[').Append(set).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}

/// <summary>
/// Finds the manifest files under a directory: recursive, in ordinal order of their path relative to
/// it ('/'-separated), Include matched on file names, Exclude on names or relative paths (of files
/// and of directories, which prunes them). Hidden entries (names starting with '.', or the hidden
/// attribute: .git, .github workflows, editor files) and symbolic links to directories (loops) are
/// not entered.
/// </summary>
internal static class ManifestFiles
{
    public static readonly string[] DefaultInclude = ["*.yaml", "*.yml", "*.json"];

    public static bool IsExcluded(WildcardSet exclude, string name, string relativePath) =>
        !exclude.IsEmpty && (exclude.Matches(name) || exclude.Matches(relativePath) || exclude.Matches(relativePath.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>The files to read under <paramref name="root"/>; directories that cannot be listed go to <paramref name="unreadable"/>.</summary>
    public static List<string> Find(string root, WildcardSet include, WildcardSet exclude, Action<string, Exception> unreadable, CancellationToken cancellationToken)
    {
        var found = new List<(string Relative, string Path)>();
        var pending = new Stack<(DirectoryInfo Directory, string Relative)>();
        pending.Push((new DirectoryInfo(root), ""));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (directory, relative) = pending.Pop();
            FileSystemInfo[] entries;
            try
            {
                entries = directory.GetFileSystemInfos();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                unreadable(directory.FullName, ex);
                continue;
            }
            foreach (var entry in entries)
            {
                var name = entry.Name;
                var entryRelative = relative.Length == 0 ? name : relative + "/" + name;
                if (name.StartsWith('.') || entry.Attributes.HasFlag(FileAttributes.Hidden)) continue;
                if (IsExcluded(exclude, name, entryRelative)) continue;
                if (entry is DirectoryInfo child)
                {
                    if (child.LinkTarget is not null || child.Attributes.HasFlag(FileAttributes.ReparsePoint)) continue;
                    pending.Push((child, entryRelative));
                }
                else if (include.Matches(name))
                {
                    found.Add((entryRelative, Path.Join(root, entryRelative.Replace('/', Path.DirectorySeparatorChar))));
                }
            }
        }
        found.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        return found.Select(f => f.Path).ToList();
    }
}
