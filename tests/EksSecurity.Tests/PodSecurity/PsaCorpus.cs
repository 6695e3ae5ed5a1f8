using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EksSecurity.Engine.PodSecurity;
using k8s.Models;

namespace EksSecurity.Tests.PodSecurity;

/// <summary>One upstream fixture: testdata/&lt;level&gt;/v1.&lt;minor&gt;/{pass,fail}/&lt;name&gt;.yaml.</summary>
public sealed record PsaFixture(string RelativePath, PodSecurityLevel Level, int Minor, bool Pass, string Name)
{
    /// <summary>The file name minus trailing digits: the check family (CHECKS.md 2.3).</summary>
    public string Family => Name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
    /// <summary>The fixture's index inside its family (-1 for base files).</summary>
    public int Index => Family.Length == Name.Length ? -1 : int.Parse(Name.AsSpan(Family.Length));
    public PodSecurityVersion Version => PodSecurityVersion.V1(Minor);
    public string FullPath => Path.Combine(PsaCorpus.Root!, RelativePath);
}

/// <summary>
/// The Pod Security admission fixture corpus at &lt;repo&gt;/../shared/corpus/psa/testdata, where
/// &lt;repo&gt; holds EksSecurity.PowerShell.sln. Each file is parsed once and cached.
/// </summary>
public static class PsaCorpus
{
    public const int ExpectedFileCount = 4537;
    public const string SolutionFile = "EksSecurity.PowerShell.sln";

    private static readonly Lazy<string?> LazyRoot = new(() => FindRoot());
    private static readonly Lazy<IReadOnlyList<PsaFixture>> LazyFixtures = new(Enumerate);
    private static readonly ConcurrentDictionary<string, V1Pod> Parsed = new(StringComparer.Ordinal);

    /// <summary>The testdata directory; null when it cannot be found.</summary>
    public static string? Root => LazyRoot.Value;

    /// <summary>Where it was looked for, for failure messages.</summary>
    public static string SearchedFrom { get; private set; } = "";

    public static IReadOnlyList<PsaFixture> Fixtures => LazyFixtures.Value;

    /// <summary>Family → the substring the aggregated message must contain (CHECKS.md 2.4).</summary>
    public static readonly IReadOnlyDictionary<string, string> ExpectedSubstring = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["allowprivilegeescalation"] = "allowPrivilegeEscalation",
        ["apparmorprofile"] = "forbidden AppArmor profile",
        ["capabilities_baseline"] = "capabilities",
        ["capabilities_restricted"] = "unrestricted capabilities",
        ["hostnamespaces"] = "host namespaces",
        ["hostpathvolumes"] = "hostPath",
        ["hostports"] = "hostPort",
        ["hostprobesandhostlifecycle"] = "probe or lifecycle host",
        ["privileged"] = "privileged",
        ["procmount"] = "procMount",
        ["procmount_restricted"] = "procMount",
        ["restrictedvolumes"] = "restricted volume types",
        ["runasnonroot"] = "runAsNonRoot",
        ["runasuser"] = "runAsUser",
        ["selinuxoptions"] = "seLinuxOptions",
        ["seccompprofile_baseline"] = "seccompProfile",
        ["seccompprofile_restricted"] = "seccompProfile",
        ["sysctls"] = "forbidden sysctl",
        ["windowshostprocess"] = "hostProcess",
    };

    /// <summary>The failing check ids of a fail fixture (CHECKS.md 2.4, "failing check IDs", with the ★ cases).</summary>
    public static IReadOnlySet<string> ExpectedFailingIds(PsaFixture f)
    {
        var r = f.Level == PodSecurityLevel.Restricted;
        var m = f.Minor;
        return f.Family switch
        {
            "allowprivilegeescalation" => f.Index == 3 && r && m >= 22
                ? Set("allowPrivilegeEscalation", "capabilities_restricted") : Set("allowPrivilegeEscalation"),
            "apparmorprofile" => Set("appArmorProfile"),
            "capabilities_baseline" => r && m >= 22 ? Set("capabilities_restricted") : Set("capabilities_baseline"),
            "capabilities_restricted" => Set("capabilities_restricted"),
            "hostnamespaces" => Set("hostNamespaces"),
            "hostpathvolumes" => r ? Set("restrictedVolumes") : Set("hostPathVolumes"),
            "hostports" => Set("hostPorts"),
            "hostprobesandhostlifecycle" => Set("hostProbesAndHostLifecycle"),
            "privileged" => r && m >= 8 ? Set("privileged", "allowPrivilegeEscalation") : Set("privileged"),
            "procmount" => r && m >= 35 ? Set("procMount_restricted") : Set("procMount"),
            "procmount_restricted" => Set("procMount_restricted"),
            "restrictedvolumes" => Set("restrictedVolumes"),
            "runasnonroot" => Set("runAsNonRoot"),
            "runasuser" => Set("runAsUser"),
            "selinuxoptions" => Set("seLinuxOptions"),
            "seccompprofile_baseline" => r && m >= 19 ? Set("seccompProfile_restricted") : Set("seccompProfile_baseline"),
            "seccompprofile_restricted" => Set("seccompProfile_restricted"),
            "sysctls" => Set("sysctls"),
            "windowshostprocess" => Set("windowsHostProcess", "hostNamespaces"),
            _ => throw new InvalidOperationException($"No expectation for family {f.Family} ({f.RelativePath})."),
        };
        static IReadOnlySet<string> Set(params string[] ids) => new HashSet<string>(ids, StringComparer.Ordinal);
    }

    private static readonly Lazy<bool> WarmedUp = new(() =>
    {
        // parse every file once, on all cores, the first time any is asked for
        Parallel.ForEach(Fixtures, f => Parsed.GetOrAdd(f.RelativePath, _ => Parse(f)));
        return true;
    });

    /// <summary>The fixture's pod, parsed once with KubernetesYaml (the whole corpus is parsed in parallel on first use).</summary>
    public static V1Pod Load(PsaFixture f)
    {
        _ = WarmedUp.Value;
        return Parsed.GetOrAdd(f.RelativePath, _ => Parse(f));
    }

    private static V1Pod Parse(PsaFixture f) => k8s.KubernetesYaml.Deserialize<V1Pod>(File.ReadAllText(f.FullPath));

    private static string? FindRoot()
    {
        var candidate = Path.Combine(RepoPaths.SharedDirectory, "corpus", "psa", "testdata");
        SearchedFrom = $"'{candidate}'";
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static IReadOnlyList<PsaFixture> Enumerate()
    {
        var root = Root;
        if (root is null) return [];
        var list = new List<PsaFixture>(ExpectedFileCount);
        foreach (var (levelDir, level) in new[] { ("baseline", PodSecurityLevel.Baseline), ("restricted", PodSecurityLevel.Restricted) })
        {
            var levelPath = Path.Combine(root, levelDir);
            if (!Directory.Exists(levelPath)) continue;
            var versions = Directory.GetDirectories(levelPath)
                .Select(d => Path.GetFileName(d))
                .Where(n => n.StartsWith("v1.", StringComparison.Ordinal) && int.TryParse(n.AsSpan(3), out _))
                .OrderBy(n => int.Parse(n.AsSpan(3)));
            foreach (var versionDir in versions)
            {
                var minor = int.Parse(versionDir.AsSpan(3));
                foreach (var (outcome, pass) in new[] { ("pass", true), ("fail", false) })
                {
                    var dir = Path.Combine(levelPath, versionDir, outcome);
                    if (!Directory.Exists(dir)) continue;
                    foreach (var file in Directory.GetFiles(dir, "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
                        list.Add(new PsaFixture(Path.GetRelativePath(root, file).Replace('\\', '/'), level, minor, pass, Path.GetFileNameWithoutExtension(file)));
                }
            }
        }
        return list;
    }
}
