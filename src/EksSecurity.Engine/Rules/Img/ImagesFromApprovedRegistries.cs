using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Img;

/// <summary>EKS-IMG-007: every container image comes from an approved registry (by default the cluster account's ECR and AWS's EKS registries).</summary>
public sealed class ImagesFromApprovedRegistries : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IMG-007",
        Title = "Images come from approved registries",
        Severity = Severity.Medium,
        Area = RuleArea.Img,
        Rationale = "An image pulled straight from a public registry runs code nobody in the organisation built, scanned or signed, can change " +
                    "under the same tag, and disappears when its maintainer deletes it or hits a rate limit. Pulling only from registries " +
                    "you control (your ECR, fed by a curated import pipeline with scanning) plus AWS's own EKS registries keeps what runs " +
                    "in the cluster reviewed and available, and makes supply-chain attacks through typosquatted or hijacked images far harder.",
        Remediation = "Copy the image into your own ECR (ECR pull-through cache rules or a curated import pipeline with scanning), and point " +
                      "the workload at it:\n" +
                      "containers:\n  - name: app\n    image: <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>@sha256:<digest>\n" +
                      "If another registry is approved in your organisation, add it to the ApprovedRegistries setting (\"host\" or " +
                      "\"host/repository-glob\"). Enforce the list at admission with a policy engine (Kyverno, Gatekeeper).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/image-security.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html",
            "https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html",
            "https://kubernetes.io/docs/concepts/containers/images/",
        ],
        Frameworks = ["CIS EKS 1.8.0 5.1.4", "Kubescape C-0078", "Kubescape C-0001"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["cis", "images", "registry", "supply-chain", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var (patterns, unresolved) = Resolve(context.Settings.ApprovedRegistries, context.Snapshot.AccountId, context.Snapshot.Region);
        var notes = unresolved.Count == 0
            ? new List<string>()
            : [$"approved registry pattern(s) {string.Join(", ", unresolved)} skipped: the snapshot has no account id or region"];
        foreach (var source in context.Index.PodSpecs)
        {
            var failures = new List<string>();
            var passes = new List<string>();
            foreach (var container in source.Containers)
            {
                var image = ImageReference.Parse(container.Image);
                if (image is null)
                {
                    passes.Add($"{container.Path}.image is empty (not judged)");
                    continue;
                }
                var match = patterns.FirstOrDefault(image.Matches);
                if (match is null)
                    failures.Add($"{container.Path}.image = {image.Original} (registry {image.Registry}, repository {image.Repository}: not approved)");
                else
                    passes.Add($"{container.Path}.image = {image.Original} (approved by {match})");
            }
            if (failures.Count == 0 && passes.Count == 0) continue;
            var what = $"{source.Kind} {Describe(source)}";
            if (failures.Count == 0)
                yield return context.Pass(source.Ref, $"Every image of {what} comes from an approved registry.", [.. passes, .. notes]);
            else
                yield return context.Fail(source.Ref,
                    $"{what} runs {failures.Count} image(s) from registries that are not approved.", [.. failures, .. passes, .. notes]);
        }
    }

    /// <summary>The patterns with {AccountId} and {Region} filled in; those naming a value the snapshot lacks are set apart.</summary>
    internal static (List<string> Patterns, List<string> Unresolved) Resolve(IEnumerable<string> patterns, string? accountId, string? region)
    {
        var resolved = new List<string>();
        var unresolved = new List<string>();
        foreach (var pattern in patterns.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            var needsAccount = pattern.Contains("{AccountId}", StringComparison.Ordinal);
            var needsRegion = pattern.Contains("{Region}", StringComparison.Ordinal);
            if ((needsAccount && string.IsNullOrEmpty(accountId)) || (needsRegion && string.IsNullOrEmpty(region)))
            {
                unresolved.Add(pattern);
                continue;
            }
            resolved.Add(pattern.Replace("{AccountId}", accountId, StringComparison.Ordinal).Replace("{Region}", region, StringComparison.Ordinal).Trim());
        }
        return (resolved, unresolved);
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
