using System.Text.Json;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.Identity;

/// <summary>Selects the service accounts a Test-EksIrsa / Test-EksPodIdentity query names and runs the analyzers over them.</summary>
internal static class WorkloadIdentityRunner
{
    public const string ErrorInvalidServiceAccount = "ServiceAccountInputInvalid";
    public const string ErrorNotCollected = "ServiceAccountsNotCollected";

    public static IReadOnlyList<WorkloadIdentityResult> Irsa(ClusterSnapshot snapshot, WorkloadIdentityQuery query, CancellationToken ct)
    {
        var facts = new WorkloadIdentityFacts(snapshot);
        var analyzer = new IrsaAnalyzer(facts);
        var results = new List<WorkloadIdentityResult>();
        var explicitNames = query.ServiceAccounts.Count > 0 || query.ServiceAccountJson.Count > 0;
        var selected = Select(snapshot, query, facts, out var absent);
        foreach (var sa in selected)
        {
            ct.ThrowIfCancellationRequested();
            // Without names, the test is of the service accounts that ask for a role.
            if (!explicitNames && WorkloadIdentityFacts.RoleArnOf(sa) is null) continue;
            results.Add(analyzer.Analyze(sa));
        }
        results.AddRange(AbsentResults(absent, WorkloadIdentityKind.Irsa, facts));
        return Ordered(results);
    }

    public static IReadOnlyList<WorkloadIdentityResult> PodIdentity(ClusterSnapshot snapshot, WorkloadIdentityQuery query, CancellationToken ct)
    {
        var facts = new WorkloadIdentityFacts(snapshot);
        var analyzer = new PodIdentityAnalyzer(facts);
        var associations = snapshot.Aws.PodIdentityAssociations?.All ?? [];
        var results = new List<WorkloadIdentityResult>();
        if (query.ServiceAccounts.Count == 0 && query.ServiceAccountJson.Count == 0)
        {
            if (!facts.Has(SnapshotSection.PodIdentityAssociations))
                throw new EksSecurityException(ErrorNotCollected, EksErrorKind.InvalidData,
                    $"The Pod Identity associations of '{facts.ClusterName}' were not collected ({facts.Missing(SnapshotSection.PodIdentityAssociations)}): nothing can be tested.");
            foreach (var association in associations.Where(a => Matches(query.Namespaces, a.Namespace)))
            {
                ct.ThrowIfCancellationRequested();
                results.Add(analyzer.Analyze(association));
            }
            return Ordered(results);
        }
        var named = Select(snapshot, query, facts, out var missing);
        foreach (var sa in named.Select(s => (s.Metadata?.NamespaceProperty ?? "default", s.Metadata?.Name ?? "")).Concat(missing))
        {
            ct.ThrowIfCancellationRequested();
            var mine = associations.Where(a => a.Namespace == sa.Item1 && a.ServiceAccount == sa.Item2).ToList();
            if (mine.Count == 0) results.Add(analyzer.Missing(sa.Item1, sa.Item2));
            else results.AddRange(mine.Select(a => analyzer.Analyze(a)));
        }
        return Ordered(results);
    }

    /// <summary>Service accounts named by the query: piped objects, or the snapshot's filtered by namespace and name; names given without wildcards that match nothing come back in <paramref name="absent"/>.</summary>
    private static List<V1ServiceAccount> Select(ClusterSnapshot snapshot, WorkloadIdentityQuery query, WorkloadIdentityFacts facts, out List<(string, string)> absent)
    {
        absent = [];
        if (query.ServiceAccountJson.Count > 0)
            return query.ServiceAccountJson.SelectMany((json, i) => Parse(json, i + 1))
                .Where(sa => Matches(query.Namespaces, sa.Metadata?.NamespaceProperty) && Matches(query.ServiceAccounts, sa.Metadata?.Name)).ToList();
        if (!facts.Has(SnapshotSection.ServiceAccounts))
            throw new EksSecurityException(ErrorNotCollected, EksErrorKind.InvalidData,
                $"The service accounts of '{facts.ClusterName}' were not collected ({facts.Missing(SnapshotSection.ServiceAccounts)}): nothing can be tested. Pipe service account objects in, or collect with Kubernetes access.");
        var selected = facts.ServiceAccounts
            .Where(sa => Matches(query.Namespaces, sa.Metadata?.NamespaceProperty) && Matches(query.ServiceAccounts, sa.Metadata?.Name)).ToList();
        foreach (var name in query.ServiceAccounts.Where(n => !HasWildcard(n)))
        {
            // Without -Namespace, a name found in any namespace is found; one found nowhere is reported in "default".
            if (query.Namespaces.Count == 0)
            {
                if (!selected.Any(sa => sa.Metadata?.Name == name)) absent.Add(("default", name));
                continue;
            }
            foreach (var ns in query.Namespaces.Where(n => !HasWildcard(n)))
                if (!selected.Any(sa => sa.Metadata?.Name == name && sa.Metadata?.NamespaceProperty == ns))
                    absent.Add((ns, name));
        }
        return selected;
    }

    private static IEnumerable<WorkloadIdentityResult> AbsentResults(List<(string Ns, string Name)> absent, WorkloadIdentityKind kind, WorkloadIdentityFacts facts) =>
        absent.Select(a => new WorkloadIdentityResult
        {
            Kind = kind,
            ClusterName = facts.ClusterName,
            Namespace = a.Ns,
            ServiceAccount = a.Name,
            Checks = [WorkloadIdentityChecks.Check(IrsaAnalyzer.Annotation, FindingStatus.Fail, $"The service account {a.Ns}/{a.Name} does not exist in the cluster.")],
        });

    private static bool HasWildcard(string pattern) => pattern.Contains('*') || pattern.Contains('?');

    private static bool Matches(IReadOnlyList<string> patterns, string? value) =>
        patterns.Count == 0 || (value is not null && patterns.Any(p => WildcardMatch.IsMatch(value, p, StringComparison.Ordinal)));

    /// <summary>A service account object, or a List of them, as JSON; anything else is an error naming the input.</summary>
    private static IEnumerable<V1ServiceAccount> Parse(string json, int index)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw Invalid(index, $"not valid JSON: {ex.Message}");
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            return items.EnumerateArray().Select((item, i) => One(item, $"{index} item {i}")).ToList();
        return [One(root, index.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static V1ServiceAccount One(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid(where, "not an object");
        if (element.TryGetProperty("kind", out var kind) && kind.GetString() is { } k && k != "ServiceAccount")
            throw Invalid(where, $"a {k}, not a ServiceAccount");
        V1ServiceAccount? sa;
        try { sa = element.Deserialize<V1ServiceAccount>(SnapshotJson.Options); }
        catch (JsonException ex) { throw Invalid(where, $"field {ex.Path}: {ex.Message}"); }
        if (sa?.Metadata?.Name is not { Length: > 0 }) throw Invalid(where, "it has no metadata.name");
        sa.Metadata.NamespaceProperty ??= "default";
        return sa;
    }

    private static EksSecurityException Invalid(object where, string problem) =>
        new(ErrorInvalidServiceAccount, EksErrorKind.InvalidArgument, $"Input object {where} is not a service account: {problem}.");

    private static IReadOnlyList<WorkloadIdentityResult> Ordered(List<WorkloadIdentityResult> results) =>
        results.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.ServiceAccount, StringComparer.Ordinal)
            .ThenBy(r => r.AssociationId, StringComparer.Ordinal).ToList();
}
