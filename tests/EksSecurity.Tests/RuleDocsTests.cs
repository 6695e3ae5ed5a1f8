using System.Runtime.CompilerServices;
using EksSecurity.Engine.Rules;

namespace EksSecurity.Tests;

/// <summary>
/// Every rule of the catalogue has its page under docs/rules, the page agrees with the rule's
/// metadata (title and severity), and every page there belongs to a rule.
/// </summary>
public class RuleDocsTests
{
    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in RuleCatalog.Default.Rules) data.Add(rule.Metadata.Id);
        return data;
    }

    [Fact]
    public void The_catalogue_has_rules()
    {
        // Guards the theory below, which runs no case at all for an empty catalogue.
        Assert.NotEmpty(RuleCatalog.Default.Rules);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_a_page_that_matches_its_metadata(string id)
    {
        var rule = RuleCatalog.Default.ById[id].Metadata;
        var problems = RuleDocs.Check(rule, RuleDocs.RulesFolder);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_page_names_an_existing_rule()
    {
        var ids = RuleCatalog.Default.Rules.Select(r => r.Metadata.Id);
        var orphans = RuleDocs.PagesWithoutRule(RuleDocs.RulesFolder, ids);
        Assert.True(orphans.Count == 0,
            $"These pages under {RuleDocs.RulesFolder} name no rule of the catalogue (a page is docs/rules/<rule id>.md): {string.Join(", ", orphans)}");
    }
}

/// <summary>The checks themselves, run on made-up pages: they must catch what they are for.</summary>
public class RuleDocsCheckTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ruledocs-").FullName;

    private static readonly EksSecurityRule Rule = new()
    {
        Id = "EKS-NET-999",
        Title = "A made-up rule: for testing",
        Severity = Severity.High,
        Area = RuleArea.Net,
        Rationale = "r",
        Remediation = "m",
    };

    private const string GoodPage = """
        # EKS-NET-999: A made-up rule: for testing

        | | |
        |---|---|
        | Severity | High |
        | Area | Net |

        ## Why it matters
        | Severity | table further down is not the metadata |
        """;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_folder, name), text);

    [Fact]
    public void A_good_page_passes()
    {
        Write("EKS-NET-999.md", GoodPage);
        Assert.Empty(RuleDocs.Check(Rule, _folder));
    }

    [Fact]
    public void A_missing_page_fails()
    {
        var problem = Assert.Single(RuleDocs.Check(Rule, _folder));
        Assert.Contains("EKS-NET-999.md", problem);
        Assert.Contains("no page", problem);
    }

    [Theory]
    [InlineData("# EKS-NET-999: A made-up rule", "title")]                         // title differs from the metadata
    [InlineData("# EKS-NET-999 A made-up rule: for testing", "title")]             // no colon after the id
    [InlineData("#  EKS-NET-999: A made-up rule: for testing", "title")]           // not exactly the line
    [InlineData("\n# EKS-NET-999: A made-up rule: for testing", "first line")]     // not the first line
    public void A_wrong_title_fails(string title, string expected)
    {
        Write("EKS-NET-999.md", GoodPage.Replace("# EKS-NET-999: A made-up rule: for testing", title));
        var problem = Assert.Single(RuleDocs.Check(Rule, _folder));
        Assert.Contains(expected, problem);
    }

    [Theory]
    [InlineData("| Severity | Medium |", "Medium")]
    [InlineData("| Severity | high |", "high")]
    [InlineData("| Area | Net |", "no Severity row")]
    public void A_wrong_or_missing_severity_fails(string row, string expected)
    {
        Write("EKS-NET-999.md", GoodPage.Replace("| Severity | High |", row));
        var problem = Assert.Single(RuleDocs.Check(Rule, _folder));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void A_page_without_a_table_fails()
    {
        Write("EKS-NET-999.md", "# EKS-NET-999: A made-up rule: for testing\n\nNo table here.\n");
        var problem = Assert.Single(RuleDocs.Check(Rule, _folder));
        Assert.Contains("no Severity row", problem);
    }

    [Fact]
    public void A_page_of_no_rule_is_reported()
    {
        Write("EKS-NET-999.md", GoodPage);
        Write("EKS-NET-998.md", GoodPage);
        Write("notes.txt", "not a page");
        Assert.Equal(new[] { "EKS-NET-998.md" }, RuleDocs.PagesWithoutRule(_folder, ["EKS-NET-999"]));
    }

    [Fact]
    public void Page_names_match_rule_ids_exactly()
    {
        Write("eks-net-999.md", GoodPage);
        Assert.Equal(new[] { "eks-net-999.md" }, RuleDocs.PagesWithoutRule(_folder, ["EKS-NET-999"]));
    }
}

/// <summary>Reads the rule pages under docs/rules and compares them with the rules' metadata.</summary>
internal static class RuleDocs
{
    public static string RulesFolder { get; } = RepoPaths.InRepo("docs", "rules");

    /// <summary>What is wrong with the page of <paramref name="rule"/> in <paramref name="folder"/>; empty when nothing.</summary>
    public static List<string> Check(EksSecurityRule rule, string folder)
    {
        var problems = new List<string>();
        var path = Path.Combine(folder, rule.Id + ".md");
        if (!File.Exists(path))
        {
            problems.Add($"{rule.Id} has no page: {path} does not exist.");
            return problems;
        }
        var lines = File.ReadAllLines(path);

        var expectedTitle = $"# {rule.Id}: {rule.Title}";
        var first = lines.Length > 0 ? lines[0] : "";
        if (first != expectedTitle)
            problems.Add($"{path}:1: the first line must be the title '{expectedTitle}' (from the rule's metadata), but it is '{first}'.");

        // The metadata table is the first table of the page, right under the title.
        var severity = FirstTable(lines)
            .Select(Cells)
            .Where(cells => cells.Length >= 2 && cells[0] == "Severity")
            .Select(cells => cells[1])
            .FirstOrDefault();
        if (severity is null)
            problems.Add($"{path}: the page's first table has no Severity row; expected '| Severity | {rule.Severity} |'.");
        else if (severity != rule.Severity.ToString())
            problems.Add($"{path}: the table says Severity '{severity}', but the rule's metadata says '{rule.Severity}'.");
        return problems;
    }

    /// <summary>The *.md files in <paramref name="folder"/> whose name is no rule id (compared exactly).</summary>
    public static List<string> PagesWithoutRule(string folder, IEnumerable<string> ruleIds)
    {
        var ids = new HashSet<string>(ruleIds, StringComparer.Ordinal);
        return Directory.EnumerateFiles(folder, "*.md")
            .Select(file => Path.GetFileName(file))
            .Where(name => !ids.Contains(Path.GetFileNameWithoutExtension(name)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<string> FirstTable(string[] lines) =>
        lines.SkipWhile(l => !l.TrimStart().StartsWith('|')).TakeWhile(l => l.TrimStart().StartsWith('|'));

    private static string[] Cells(string row)
    {
        var text = row.Trim();
        if (text.StartsWith('|')) text = text[1..];
        if (text.EndsWith('|')) text = text[..^1];
        return text.Split('|').Select(c => c.Trim()).ToArray();
    }
}
