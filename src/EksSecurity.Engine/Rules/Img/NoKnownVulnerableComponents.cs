using System.Globalization;
using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Img;

/// <summary>EKS-IMG-011: no workload runs a cluster component at a version with a known exploited vulnerability or past its end of life.</summary>
public sealed class NoKnownVulnerableComponents : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IMG-011",
        Title = "No known-vulnerable or EOL cluster components",
        Severity = Severity.Medium,
        Area = RuleArea.Img,
        Rationale = "Ingress controllers, GitOps engines, dashboards and policy engines run with wide permissions and are often reachable from outside. " +
                    "Their published vulnerabilities come with exploit write-ups within days (IngressNightmare gave unauthenticated code execution " +
                    "and every Secret of the cluster), and a component past its end of life gets no fix at all. These are the versions attackers scan for first.",
        Remediation = "Upgrade the component to the fixed version named in the finding (helm upgrade <release> <chart> --version <chart-version>, or " +
                      "the new image tag), or replace a retired one. Until then, apply the advisory's mitigation (for ingress-nginx, disable the " +
                      "admission webhook or restrict access to it). Keep the list current in the KnownVulnerableComponents setting, or rely on image " +
                      "scanning (EKS-IMG-003) for everything else.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/image-security.html",
            "https://kubernetes.io/blog/2025/03/24/ingress-nginx-cve-2025-1974/",
            "https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/",
            "https://nvd.nist.gov/vuln/detail/CVE-2022-24348",
            "https://nvd.nist.gov/vuln/detail/CVE-2021-43798",
            "https://nvd.nist.gov/vuln/detail/CVE-2022-47633",
        ],
        Frameworks =
        [
            "Kubescape C-0058", "Kubescape C-0059", "Kubescape C-0079", "Kubescape C-0081", "Kubescape C-0087", "Kubescape C-0089",
            "Kubescape C-0090", "Kubescape C-0091", "Kubescape C-0292",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["images", "vulnerabilities", "cve", "lifecycle", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var list = context.Settings.KnownVulnerableComponents;
        var now = context.Snapshot.CollectedAt;
        foreach (var source in context.Index.PodSpecs)
        {
            var hits = new List<string>();
            var clean = new List<string>();
            var unknown = new List<string>();
            foreach (var container in source.Containers)
            {
                if (ImageReference.Parse(container.Image) is not { } image) continue;
                var entries = list.Where(e => e.MatchesRepository(image.Repository)).ToList();
                if (entries.Count == 0) continue;
                var component = entries[0].Component;
                var line = $"{container.Path}.image = {image.Original} ({component})";
                var version = KnownVulnerableComponent.ParseVersion(image.Tag);
                var matched = new List<string>();
                var pendingEol = new List<string>();
                foreach (var entry in entries)
                {
                    if (entry.EffectiveFrom is { } from && (now is null || now.Value < from))
                    {
                        pendingEol.Add($"{entry.Advisory} (applies from {from.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
                        continue;
                    }
                    if (entry.Versions.Trim() == "*") matched.Add($"{entry.Advisory}; move to {entry.FixedIn}");
                    else if (version is not null && entry.Affects(version)) matched.Add($"{entry.Advisory}; fixed in {entry.FixedIn}");
                }
                if (matched.Count > 0)
                    hits.Add($"{line}: {string.Join(" | ", matched)}");
                else if (version is null && entries.Any(e => e.Versions.Trim() != "*"))
                    unknown.Add($"{line}: the tag '{image.Tag ?? "(none)"}' names no version" + (image.Digest is null ? "" : " (pinned by digest)") + ", so it cannot be compared with the advisories");
                else
                    clean.Add($"{line}: version {version?.ToString() ?? "(any)"} matches no listed advisory" +
                              (pendingEol.Count > 0 ? $"; upcoming: {string.Join(" | ", pendingEol)}" : ""));
            }
            if (hits.Count == 0 && unknown.Count == 0 && clean.Count == 0) continue;
            var what = Pod.PodRuleSupport.Describe(source);
            if (hits.Count > 0)
                yield return context.Fail(source.Ref, $"{what} runs {hits.Count} known-vulnerable or end-of-life component image(s).", [.. hits, .. unknown, .. clean]);
            else if (unknown.Count > 0)
                yield return context.Warn(source.Ref, $"{what} runs a tracked component whose version cannot be read from its image reference.", [.. unknown, .. clean]);
            else
                yield return context.Pass(source.Ref, $"{what} runs tracked components at versions with no listed advisory.", clean);
        }
    }
}
