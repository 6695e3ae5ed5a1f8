using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Runtime;

/// <summary>
/// EKS-RUNTIME-004: every container runs under the RuntimeDefault or a Localhost seccomp profile, from its own
/// securityContext or inherited from the pod's (the container's setting wins).
/// </summary>
public sealed class SeccompProfileConfined : Rule
{
    internal const string PodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
    internal const string ContainerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/";

    /// <summary>The first minor version whose API server no longer turns the legacy annotations into fields.</summary>
    private const int AnnotationsIgnoredFromMinor = 27;

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-RUNTIME-004",
        Title = "Seccomp RuntimeDefault or Localhost",
        Severity = Severity.Medium,
        Area = RuleArea.Runtime,
        Rationale = "Kubernetes runs containers Unconfined by default: every system call of the node's kernel is open to them, " +
                    "including the rarely used ones behind many kernel exploits and container escapes. The runtime's default seccomp " +
                    "profile blocks those while leaving what applications use; a Localhost profile narrows it further. Setting it in " +
                    "the pod spec is the only reliable way, since EKS nodes do not turn on the kubelet's seccompDefault.",
        Remediation = "Set the profile once at pod level (containers inherit it; init and ephemeral containers too):\n" +
                      "spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n" +
                      "For a custom profile installed on the nodes use type: Localhost with localhostProfile: profiles/<name>.json. " +
                      "Remove any container-level type: Unconfined, and replace the legacy seccomp.security.alpha.kubernetes.io " +
                      "annotations with the field: Kubernetes 1.27 and later ignore them.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/runtime-security.html",
            "https://kubernetes.io/docs/tutorials/security/seccomp/",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
        ],
        Frameworks = ["Prowler core_seccomp_profile_docker_default", "Kubescape C-0210", "Kubescape C-0055"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = [.. PodSpecSource.WorkloadSections, SnapshotSection.Cluster, SnapshotSection.ServerVersion],
        Tags = ["runtime", "seccomp", "pod-security", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var minor = context.KubernetesMinor;
        foreach (var source in context.Index.PodSpecs)
        {
            if (LinuxCapabilities.IsWindows(source)) continue;
            var podType = source.Spec.SecurityContext?.SeccompProfile?.Type;
            var annotations = source.PodMetadata.Annotations;
            var podPath = source.SpecPath + ".securityContext.seccompProfile.type";
            var failures = new List<string>();
            var passes = new List<string>();
            var containers = 0;
            foreach (var container in source.Containers)
            {
                containers++;
                var own = container.SecurityContext?.SeccompProfile?.Type;
                string? annotationKey = null, annotation = null;
                if (own is null && podType is null)
                {
                    if (annotations?.TryGetValue(ContainerAnnotationPrefix + container.Name, out var c) == true) { annotationKey = ContainerAnnotationPrefix + container.Name; annotation = c; }
                    else if (annotations?.TryGetValue(PodAnnotation, out var p) == true) { annotationKey = PodAnnotation; annotation = p; }
                }

                if (own is not null || podType is not null)
                {
                    var type = own ?? podType!;
                    var line = own is not null
                        ? $"{container.Path}.securityContext.seccompProfile.type = {own}"
                        : $"{container.Path}: inherits {podPath} = {podType}";
                    if (type is "RuntimeDefault" or "Localhost") passes.Add(line);
                    else failures.Add(line + (type == "Unconfined" ? " (no system call filtering)" : " (not RuntimeDefault or Localhost)"));
                }
                else if (annotation is not null)
                {
                    var line = $"{container.Path}: no seccompProfile field; legacy annotation {annotationKey} = {annotation}";
                    if (annotation == "unconfined")
                        failures.Add(line + " (no system call filtering)");
                    else if (!IsConfiningAnnotation(annotation))
                        failures.Add(line + " (not runtime/default or localhost/<profile>)");
                    else if (minor is { } m && m < AnnotationsIgnoredFromMinor)
                        passes.Add(line + $" (still honoured on Kubernetes 1.{m})");
                    else
                        failures.Add(line + (minor is { } known
                            ? $" (ignored on Kubernetes 1.{known}: the annotation has no effect from 1.{AnnotationsIgnoredFromMinor})"
                            : $" (ignored from Kubernetes 1.{AnnotationsIgnoredFromMinor}: set the field)"));
                }
                else
                {
                    failures.Add($"{container.Path}: seccompProfile unset on the container and on the pod (runs Unconfined)");
                }
            }
            if (containers == 0) continue;
            var what = $"{source.Kind} {Describe(source)}";
            if (failures.Count == 0)
                yield return context.Pass(source.Ref, $"Every container of {what} runs under a RuntimeDefault or Localhost seccomp profile.", passes);
            else
                yield return context.Fail(source.Ref,
                    $"{failures.Count} of {containers} container(s) of {what} run without a RuntimeDefault or Localhost seccomp profile.",
                    [.. failures, .. passes]);
        }
    }

    private static bool IsConfiningAnnotation(string value) =>
        value is "runtime/default" or "docker/default" || (value.StartsWith("localhost/", StringComparison.Ordinal) && value.Length > "localhost/".Length);



    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
