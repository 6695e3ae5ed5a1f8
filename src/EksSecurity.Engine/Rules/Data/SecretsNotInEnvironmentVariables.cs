using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Data;

/// <summary>EKS-DATA-010: no container takes a Secret as environment variables (env[].valueFrom.secretKeyRef, envFrom[].secretRef).</summary>
public sealed class SecretsNotInEnvironmentVariables : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-DATA-010",
        Title = "Secrets not exposed as environment variables",
        Severity = Severity.Medium,
        Area = RuleArea.Data,
        Rationale = "A Secret turned into environment variables leaks more easily than a mounted file: every child process inherits it, " +
                    "crash reporters, debug endpoints and APM agents dump the environment, it shows in /proc/<pid>/environ to anything " +
                    "sharing the process namespace, and it cannot change until the pod restarts. Mounted secret volumes live in memory " +
                    "(tmpfs), can be limited to the containers that need them, and are refreshed when the Secret is rotated.",
        Remediation = "Mount the Secret as a read-only volume and let the application read the file:\n" +
                      "spec:\n  volumes:\n    - name: db-credentials\n      secret:\n        secretName: db-credentials\n" +
                      "  containers:\n    - name: app\n      volumeMounts:\n        - name: db-credentials\n          mountPath: /etc/secrets/db\n          readOnly: true\n" +
                      "then remove env[].valueFrom.secretKeyRef and envFrom[].secretRef. Better still, fetch secrets at run time from " +
                      "AWS Secrets Manager through the Secrets Store CSI driver and its AWS provider.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html",
            "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod",
            "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        ],
        Frameworks = ["HardenEKS disallow_secrets_from_env_vars", "CIS EKS 1.8.0 4.4.1", "Prowler core_no_secrets_envs", "Kubescape C-0207"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["cis", "secrets", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var evidence = new List<string>();
            var secrets = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var container in source.Containers)
            {
                foreach (var env in container.Env ?? [])
                {
                    if (env?.ValueFrom?.SecretKeyRef is not { } reference) continue;
                    evidence.Add($"{container.Path}.env[{env.Name}].valueFrom.secretKeyRef = secret {reference.Name ?? "(unnamed)"}, key {reference.Key ?? "(none)"}");
                    secrets.Add(reference.Name ?? "(unnamed)");
                }
                var i = 0;
                foreach (var from in container.EnvFrom ?? [])
                {
                    if (from?.SecretRef is { } reference)
                    {
                        evidence.Add($"{container.Path}.envFrom[{i}].secretRef = secret {reference.Name ?? "(unnamed)"}" +
                                     (string.IsNullOrEmpty(from.Prefix) ? " (every key)" : $" (every key, prefix {from.Prefix})"));
                        secrets.Add(reference.Name ?? "(unnamed)");
                    }
                    i++;
                }
            }
            var what = $"{source.Kind} {Describe(source)}";
            if (evidence.Count == 0)
                yield return context.Pass(source.Ref, $"{what} takes no Secret as environment variables.",
                    ["no env[].valueFrom.secretKeyRef or envFrom[].secretRef in any container"]);
            else
                yield return context.Fail(source.Ref,
                    $"{what} exposes Secret(s) {string.Join(", ", secrets)} as environment variables ({evidence.Count} reference(s)).", evidence);
        }
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
