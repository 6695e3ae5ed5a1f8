using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Runtime;

/// <summary>
/// EKS-RUNTIME-005: no container runs with AppArmor unconfined (field or legacy annotation), and no SELinux option
/// escapes the container policy (type spc_t or another type outside the container ones, or a user or role set).
/// </summary>
public sealed class AppArmorSeLinuxNotDisabled : Rule
{
    internal const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    /// <summary>The SELinux types the baseline Pod Security Standard accepts ("" = the runtime's default, container_t).</summary>
    private static readonly HashSet<string> ContainerSeLinuxTypes =
        new(StringComparer.Ordinal) { "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t" };

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-RUNTIME-005",
        Title = "AppArmor/SELinux not disabled",
        Severity = Severity.Medium,
        Area = RuleArea.Runtime,
        Rationale = "On nodes that run them, AppArmor and SELinux confine each container to what a container is expected to touch, " +
                    "so a process that breaks out of its namespaces still cannot write the host's files or talk to its devices. " +
                    "A pod spec can opt out: AppArmor 'unconfined', the SELinux type spc_t (a 'super privileged container'), " +
                    "or a custom SELinux user or role. Each such opt-out removes the last kernel barrier between the container and the node.",
        Remediation = "Remove the opt-out from the pod spec, and let the runtime's default profiles apply:\n" +
                      "- delete securityContext.appArmorProfile with type: Unconfined (or set type: RuntimeDefault), and any " +
                      "container.apparmor.security.beta.kubernetes.io/<container>: unconfined annotation;\n" +
                      "- delete securityContext.seLinuxOptions, or keep only level (and type: container_t / container_init_t when needed):\n" +
                      "spec:\n  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault\n    seLinuxOptions:\n      level: \"s0:c123,c456\"\n" +
                      "A workload that must manage the host (a CSI or CNI agent) belongs on dedicated nodes and in an exclusion with a reason.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/runtime-security.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html",
            "https://kubernetes.io/docs/tutorials/security/apparmor/",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        ],
        Frameworks = ["Kubescape C-0055", "Kubescape C-0211"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["runtime", "apparmor", "selinux", "pod-security", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            if (LinuxCapabilities.IsWindows(source)) continue;
            var podContext = source.Spec.SecurityContext;
            var annotations = source.PodMetadata.Annotations;
            var failures = new List<string>();
            var notes = new List<string>();

            // The pod-level SELinux options label the pod's sandbox as well as every container that sets none of its own.
            if (podContext?.SeLinuxOptions is { } podSeLinux)
            {
                var line = $"{source.SpecPath}.securityContext.seLinuxOptions = {Format(podSeLinux)}";
                if (SeLinuxProblem(podSeLinux) is { } problem) failures.Add($"{line} ({problem})");
                else notes.Add(line);
            }
            if (podContext?.AppArmorProfile?.Type is { } podAppArmor)
                notes.Add($"{source.SpecPath}.securityContext.appArmorProfile.type = {podAppArmor}");

            var containers = 0;
            foreach (var container in source.Containers)
            {
                containers++;
                var own = container.SecurityContext?.AppArmorProfile?.Type;
                var effective = own ?? podContext?.AppArmorProfile?.Type;
                if (effective == "Unconfined")
                    failures.Add(own is not null
                        ? $"{container.Path}.securityContext.appArmorProfile.type = Unconfined"
                        : $"{container.Path}: inherits {source.SpecPath}.securityContext.appArmorProfile.type = Unconfined");
                else if (own is not null)
                    notes.Add($"{container.Path}.securityContext.appArmorProfile.type = {own}");

                var key = AppArmorAnnotationPrefix + container.Name;
                if (annotations?.TryGetValue(key, out var value) == true)
                {
                    if (value == "unconfined") failures.Add($"annotation {key} = unconfined");
                    else notes.Add($"annotation {key} = {value}");
                }

                if (container.SecurityContext?.SeLinuxOptions is { } seLinux)
                {
                    var line = $"{container.Path}.securityContext.seLinuxOptions = {Format(seLinux)}";
                    if (SeLinuxProblem(seLinux) is { } problem) failures.Add($"{line} ({problem})");
                    else notes.Add(line);
                }
            }
            if (containers == 0) continue;
            var what = $"{source.Kind} {Describe(source)}";
            if (failures.Count == 0)
                yield return context.Pass(source.Ref, $"{what} does not disable AppArmor or SELinux confinement.",
                    notes.Count == 0 ? ["no appArmorProfile, AppArmor annotation or seLinuxOptions set: the runtime's defaults apply"] : notes);
            else
                yield return context.Fail(source.Ref, $"{what} disables AppArmor or SELinux confinement: {failures.Count} setting(s).", [.. failures, .. notes]);
        }
    }

    private static string? SeLinuxProblem(V1SELinuxOptions options)
    {
        var problems = new List<string>();
        var type = options.Type ?? "";
        if (type == "spc_t") problems.Add("type spc_t runs the container unconfined");
        else if (!ContainerSeLinuxTypes.Contains(type)) problems.Add($"type {type} is not a container type");
        if (!string.IsNullOrEmpty(options.User)) problems.Add("user is set");
        if (!string.IsNullOrEmpty(options.Role)) problems.Add("role is set");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static string Format(V1SELinuxOptions o)
    {
        var parts = new List<string>();
        if (o.User is not null) parts.Add($"user: {o.User}");
        if (o.Role is not null) parts.Add($"role: {o.Role}");
        if (o.Type is not null) parts.Add($"type: {o.Type}");
        if (o.Level is not null) parts.Add($"level: {o.Level}");
        return "{" + string.Join(", ", parts) + "}";
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
