using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Data;

/// <summary>
/// EKS-DATA-011: no credential written in clear into a pod spec's env values or a ConfigMap's data. Findings name the
/// variable or key and a redacted hint; the value itself never leaves the rule.
/// </summary>
public sealed class NoHardCodedCredentials : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-DATA-011",
        Title = "No hard-coded credentials",
        Severity = Severity.High,
        Area = RuleArea.Data,
        Rationale = "A password, access key or private key written into a Deployment's env or a ConfigMap is readable by anyone who can " +
                    "get pods, deployments or configmaps in the namespace (rights handed out far more freely than get secrets), lands in " +
                    "Git, Helm release history, kubectl last-applied annotations and backups, and is never rotated. AWS access keys are " +
                    "the worst case: long-lived, usable from anywhere, and unnecessary on EKS, where IRSA and Pod Identity give pods " +
                    "short-lived credentials.",
        Remediation = "Rotate the exposed credential first: it must be treated as leaked. Then take it out of the manifest:\n" +
                      "- for AWS access, delete the keys and give the pod an IAM role (EKS Pod Identity or IRSA);\n" +
                      "- keep other secrets in AWS Secrets Manager and mount them with the Secrets Store CSI driver, or at least in a " +
                      "Kubernetes Secret mounted as a file:\n" +
                      "volumes:\n  - name: db\n    secret:\n      secretName: db-credentials\n" +
                      "containers:\n  - name: app\n    volumeMounts:\n      - name: db\n        mountPath: /etc/secrets/db\n        readOnly: true\n" +
                      "Remove the literal from Git history and the ConfigMap, and add a secret scanner to the pipeline.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
            "https://kubernetes.io/docs/concepts/configuration/secret/",
            "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        ],
        Frameworks = ["Kubescape C-0012", "Kubescape C-0259"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = [.. PodSpecSource.WorkloadSections, SnapshotSection.ConfigMaps],
        Tags = ["secrets", "credentials", "configmap", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var scanner = CredentialScanner.For(context.Settings);
        foreach (var source in context.Index.PodSpecs)
        {
            var hits = new List<(string Path, CredentialHit Hit)>();
            var skipped = new List<string>();
            var scanned = 0;
            foreach (var container in source.Containers)
            {
                foreach (var env in container.Env ?? [])
                {
                    if (env?.Value is not { } value || value.Length == 0) continue;
                    scanned++;
                    Collect($"{container.Path}.env[{env.Name}]", scanner.Scan(env.Name ?? "", value), value.Length, hits, skipped, scanner);
                }
            }
            yield return Verdict(context, source.Ref, $"{source.Kind} {Describe(source.Namespace, source.Name)}", "literal env value(s)", scanned, hits, skipped);
        }

        if (!context.Has(SnapshotSection.ConfigMaps)) yield break;
        foreach (var configMap in context.Kubernetes.ConfigMaps!.All)
        {
            var hits = new List<(string Path, CredentialHit Hit)>();
            var skipped = new List<string>();
            var data = configMap.Data ?? new Dictionary<string, string>();
            foreach (var (key, value) in data.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                if (string.IsNullOrEmpty(value)) continue;
                Collect($"data[{key}]", scanner.Scan(key, value), value.Length, hits, skipped, scanner);
            }
            var resource = ResourceRef.Of("ConfigMap", configMap.Metadata);
            yield return Verdict(context, resource, $"ConfigMap {Describe(resource.Namespace ?? "", resource.Name)}", "data value(s)", data.Count, hits, skipped);
        }
    }

    private static void Collect(string path, ScanResult result, int length, List<(string, CredentialHit)> hits, List<string> skipped, CredentialScanner scanner)
    {
        if (result.TooLong) skipped.Add($"{path}: {length} chars, over the {scanner.MaxLength}-char scan limit (SensitiveValueMaxLength): not scanned");
        foreach (var hit in result.Hits) hits.Add((path, hit));
    }

    private static EksSecurityFinding Verdict(RuleContext context, ResourceRef resource, string what, string unit, int scanned,
        List<(string Path, CredentialHit Hit)> hits, List<string> skipped)
    {
        if (hits.Count > 0)
            return context.Fail(resource,
                $"{what} holds {hits.Count} credential-looking literal(s) in {string.Join(", ", hits.Select(h => h.Path).Distinct())}; rotate them and move them to a secret store.",
                [.. hits.Select(h => $"{h.Path}: {h.Hit}"), .. skipped]);
        if (skipped.Count > 0)
            return context.Warn(resource, $"{what}: {skipped.Count} value(s) too large to scan; the rest hold no credential-looking literal.", skipped);
        return context.Pass(resource, $"{what} holds no credential-looking literal.",
            [scanned == 0 ? $"no {unit} to scan" : $"{scanned} {unit} scanned"]);
    }

    private static string Describe(string ns, string name) => ns.Length == 0 ? name : $"{ns}/{name}";
}
