using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Img;

/// <summary>EKS-IMG-009: no image comes from the frozen k8s.gcr.io registry (or its gcr.io aliases).</summary>
public sealed class NoDeprecatedRegistries : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IMG-009",
        Title = "No deprecated registries",
        Severity = Severity.Low,
        Area = RuleArea.Img,
        Rationale = "The Kubernetes project froze k8s.gcr.io in April 2023 and moved to registry.k8s.io: no new image or patch is published " +
                    "there, so a workload that still pulls from it runs images that will never get another security fix, and it stops " +
                    "starting on new nodes once the old registry is switched off.",
        Remediation = "Change the registry host and keep the path, then check that the tag exists on the new registry:\n" +
                      "image: registry.k8s.io/<path>:<tag>   # was k8s.gcr.io/<path>:<tag>\n" +
                      "Better, mirror the image into your own ECR (pull-through cache) and reference it from there. " +
                      "Helm charts usually take the registry as a value (image.registry or image.repository).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/image-security.html",
            "https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/",
            "https://kubernetes.io/blog/2023/03/10/image-registry-redirect/",
        ],
        Frameworks = ["Kubescape C-0253"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["images", "registry", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var deprecated = context.Settings.DeprecatedRegistries.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        foreach (var source in context.Index.PodSpecs)
        {
            var failures = new List<string>();
            var judged = 0;
            foreach (var container in source.Containers)
            {
                var image = ImageReference.Parse(container.Image);
                if (image is null) continue;
                judged++;
                var match = deprecated.FirstOrDefault(image.Matches);
                if (match is not null)
                    failures.Add($"{container.Path}.image = {image.Original} (deprecated registry {match}" +
                                 (image.Registry == "k8s.gcr.io" ? $"; use registry.k8s.io/{image.Repository})" : ")"));
            }
            if (judged == 0) continue;
            var what = $"{source.Kind} {Describe(source)}";
            if (failures.Count == 0)
                yield return context.Pass(source.Ref, $"No image of {what} comes from a deprecated registry.", [$"{judged} image(s) checked"]);
            else
                yield return context.Fail(source.Ref, $"{what} pulls {failures.Count} image(s) from a deprecated registry.", failures);
        }
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
