using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Img;

/// <summary>EKS-IMG-008: no image runs untagged or as :latest; a digest is preferred over a tag.</summary>
public sealed class ImagesPinned : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IMG-008",
        Title = "Images pinned (no latest, digests preferred)",
        Severity = Severity.Low,
        Area = RuleArea.Img,
        Rationale = "An image without a tag, or tagged latest, is whatever the registry holds at pull time: two replicas, or the same " +
                    "pod after a node replacement, can run different code, a rollback has nothing to go back to, and a pushed image " +
                    "goes live without a deployment. A version tag is better but can still be moved (unless the ECR repository is " +
                    "immutable); only a digest names exactly one image.",
        Remediation = "Reference a version, and preferably its digest:\n" +
                      "containers:\n  - name: app\n    image: <account>.dkr.ecr.<region>.amazonaws.com/app:1.4.2@sha256:<digest>\n" +
                      "Get the digest with aws ecr describe-images --repository-name app --image-ids imageTag=1.4.2 " +
                      "--query 'imageDetails[0].imageDigest', make the ECR repositories tag-immutable, and let CI update the " +
                      "reference on each release.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/image-security.html",
            "https://kubernetes.io/docs/concepts/containers/images/#image-names",
            "https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
            "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
        ],
        Frameworks = ["Prowler core_image_tag_fixed", "Kubescape C-0075", "Kubescape C-0306"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["images", "supply-chain", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var failures = new List<string>();
            var passes = new List<string>();
            var tagOnly = 0;
            foreach (var container in source.Containers)
            {
                var image = ImageReference.Parse(container.Image);
                if (image is null)
                {
                    passes.Add($"{container.Path}.image is empty (not judged)");
                    continue;
                }
                var policy = PullPolicy(container.Container);
                var line = $"{container.Path}.image = {image.Original}" + (policy is null ? "" : $", imagePullPolicy = {policy}");
                if (image.Digest is not null)
                    passes.Add(line + " (pinned by digest)");
                else if (image.Tag is null)
                    failures.Add(line + " (no tag: the runtime pulls latest)");
                else if (image.Tag.Equals("latest", StringComparison.OrdinalIgnoreCase))
                    failures.Add(line + " (latest)");
                else
                {
                    tagOnly++;
                    passes.Add(line + " (Info: pinned by tag only; a tag can be moved, a digest cannot)");
                }
            }
            if (failures.Count == 0 && passes.Count == 0) continue;
            var what = $"{source.Kind} {Describe(source)}";
            if (failures.Count > 0)
                yield return context.Fail(source.Ref, $"{what} runs {failures.Count} image(s) without a version: no tag or latest.", [.. failures, .. passes]);
            else if (tagOnly > 0)
                yield return context.Pass(source.Ref, $"Every image of {what} has a version tag; {tagOnly} not pinned by digest (Info).", passes);
            else
                yield return context.Pass(source.Ref, $"Every image of {what} is pinned by digest.", passes);
        }
    }

    private static string? PullPolicy(object container) => container switch
    {
        k8s.Models.V1Container c => c.ImagePullPolicy,
        k8s.Models.V1EphemeralContainer e => e.ImagePullPolicy,
        _ => null,
    };

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
