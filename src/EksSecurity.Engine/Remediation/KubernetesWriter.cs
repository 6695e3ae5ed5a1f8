using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace EksSecurity.Engine.Remediation;

/// <summary>
/// -Apply and Set-EksPodSecurityLabel: idempotent writes. A manifest is read first (GET): absent, it is created (POST); present
/// and already holding what the manifest says (its spec, labels and annotations; fields the server added are left alone), nothing
/// is sent; otherwise the stored object gets the manifest's spec and labels and is replaced (PUT, with its resourceVersion: a
/// concurrent change is a 409 and the read is retried). Namespace labels are a JSON merge patch, sent only when they differ.
/// Writes carry fieldValidation=Strict and the field manager, and ?dryRun=All when asked. One failed object is a result; the
/// others go on.
/// </summary>
internal static class KubernetesWriter
{
    private const int ConflictRetries = 3;

    public static async Task<IReadOnlyList<KubernetesApplyResult>> ApplyAsync(KubernetesTarget target, IReadOnlyList<KubernetesManifest> manifests,
        KubernetesWriteOptions options, CancellationToken ct)
    {
        var results = new List<KubernetesApplyResult>(manifests.Count);
        foreach (var manifest in manifests)
        {
            ct.ThrowIfCancellationRequested();
            results.Add(await ApplyOneAsync(target, manifest, options, ct).ConfigureAwait(false));
        }
        return results;
    }

    private static async Task<KubernetesApplyResult> ApplyOneAsync(KubernetesTarget target, KubernetesManifest manifest, KubernetesWriteOptions options, CancellationToken ct)
    {
        KubernetesApplyResult Result(KubernetesApplyAction action, string message = "", string? errorId = null) => new()
        {
            ClusterName = target.ClusterName,
            Kind = manifest.Kind,
            Namespace = manifest.Namespace,
            Name = manifest.Name,
            Action = action,
            DryRun = options.DryRun && action is KubernetesApplyAction.Created or KubernetesApplyAction.Updated,
            Message = message,
            ErrorId = errorId,
        };

        JsonObject desired;
        try
        {
            desired = JsonNode.Parse(manifest.Json) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException ex)
        {
            return Result(KubernetesApplyAction.Failed, $"The manifest's JSON cannot be read: {ex.Message}", "ManifestInvalid");
        }
        var slash = manifest.ApiVersion.IndexOf('/');
        if (slash < 0)
            return Result(KubernetesApplyAction.Failed, $"{manifest.Kind} ({manifest.ApiVersion}) is a core kind; -Apply writes kinds of API groups (NetworkPolicy, SecurityGroupPolicy).", "ManifestKindNotSupported");
        var group = manifest.ApiVersion[..slash];
        var version = manifest.ApiVersion[(slash + 1)..];
        var plural = Plural(manifest.Kind);
        var ns = manifest.Namespace;
        var api = target.Client.CustomObjects;
        var dryRun = options.DryRun ? "All" : null;

        try
        {
            for (var attempt = 0; ; attempt++)
            {
                JsonObject? existing;
                try
                {
                    var current = ns.Length == 0
                        ? await api.GetClusterCustomObjectAsync(group, version, plural, manifest.Name, ct).ConfigureAwait(false)
                        : await api.GetNamespacedCustomObjectAsync(group, version, ns, plural, manifest.Name, ct).ConfigureAwait(false);
                    existing = ToNode(current) as JsonObject;
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    existing = null;
                }

                if (existing is null)
                {
                    if (ns.Length == 0)
                        await api.CreateClusterCustomObjectAsync(desired, group, version, plural, dryRun, options.FieldManager, "Strict", cancellationToken: ct).ConfigureAwait(false);
                    else
                        await api.CreateNamespacedCustomObjectAsync(desired, group, version, ns, plural, dryRun, options.FieldManager, "Strict", cancellationToken: ct).ConfigureAwait(false);
                    return Result(KubernetesApplyAction.Created);
                }

                if (Holds(existing, desired)) return Result(KubernetesApplyAction.Unchanged);

                var replacement = Replacement(existing, desired);
                try
                {
                    if (ns.Length == 0)
                        await api.ReplaceClusterCustomObjectAsync(replacement, group, version, plural, manifest.Name, dryRun, options.FieldManager, "Strict", ct).ConfigureAwait(false);
                    else
                        await api.ReplaceNamespacedCustomObjectAsync(replacement, group, version, ns, plural, manifest.Name, dryRun, options.FieldManager, "Strict", ct).ConfigureAwait(false);
                    return Result(KubernetesApplyAction.Updated);
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < ConflictRetries)
                {
                    // Changed since we read it: read again and decide again.
                }
            }
        }
        catch (HttpOperationException ex)
        {
            var (id, message) = Describe(ex, manifest.Kind, ns, manifest.Name);
            return Result(KubernetesApplyAction.Failed, message, id);
        }
        catch (HttpRequestException ex)
        {
            return Result(KubernetesApplyAction.Failed, $"{manifest.Kind} {Qualified(ns, manifest.Name)}: {ex.Message}", "KubernetesWriteFailed");
        }
    }

    public static async Task<IReadOnlyList<KubernetesApplyResult>> SetNamespaceLabelsAsync(KubernetesTarget target, IReadOnlyList<NamespaceLabelChange> changes,
        KubernetesWriteOptions options, CancellationToken ct)
    {
        var results = new List<KubernetesApplyResult>(changes.Count);
        foreach (var change in changes)
        {
            ct.ThrowIfCancellationRequested();
            KubernetesApplyResult Result(KubernetesApplyAction action, string message = "", string? errorId = null) => new()
            {
                ClusterName = target.ClusterName,
                Kind = "Namespace",
                Name = change.Namespace,
                Action = action,
                DryRun = options.DryRun && action == KubernetesApplyAction.Updated,
                Message = message,
                ErrorId = errorId,
            };
            try
            {
                foreach (var key in change.Labels.Keys)
                    if (!KubernetesNames.IsQualifiedName(key))
                        throw new EksSecurityException("InvalidLabelSelector", EksErrorKind.InvalidArgument, $"'{key}' is not a valid label key.", key);
                var current = await target.Client.CoreV1.ReadNamespaceAsync(change.Namespace, cancellationToken: ct).ConfigureAwait(false);
                var labels = current.Metadata?.Labels ?? new Dictionary<string, string>();
                var differs = change.Labels.Any(l => l.Value is null ? labels.ContainsKey(l.Key) : !labels.TryGetValue(l.Key, out var v) || v != l.Value);
                if (!differs)
                {
                    results.Add(Result(KubernetesApplyAction.Unchanged));
                    continue;
                }
                var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject(change.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)(l.Value is null ? null : JsonValue.Create(l.Value))))) } };
                await target.Client.CoreV1.PatchNamespaceAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), change.Namespace,
                    dryRun: options.DryRun ? "All" : null, fieldManager: options.FieldManager, fieldValidation: "Strict", cancellationToken: ct).ConfigureAwait(false);
                results.Add(Result(KubernetesApplyAction.Updated));
            }
            catch (EksSecurityException ex)
            {
                results.Add(Result(KubernetesApplyAction.Failed, ex.Message, ex.ErrorId));
            }
            catch (HttpOperationException ex)
            {
                var (id, message) = ex.Response.StatusCode == HttpStatusCode.NotFound
                    ? ("NamespaceNotFound", $"Namespace '{change.Namespace}' does not exist.")
                    : Describe(ex, "Namespace", "", change.Namespace);
                results.Add(Result(KubernetesApplyAction.Failed, message, id));
            }
            catch (HttpRequestException ex)
            {
                results.Add(Result(KubernetesApplyAction.Failed, $"Namespace {change.Namespace}: {ex.Message}", "KubernetesWriteFailed"));
            }
        }
        return results;
    }

    /// <summary>Whether the stored object already holds the manifest: its spec, labels and annotations, with what the server added beside them.</summary>
    internal static bool Holds(JsonObject existing, JsonObject desired) =>
        Contains(existing["spec"], desired["spec"])
        && Contains(existing["metadata"]?["labels"], desired["metadata"]?["labels"])
        && Contains(existing["metadata"]?["annotations"], desired["metadata"]?["annotations"]);

    /// <summary>
    /// <paramref name="want"/> is in <paramref name="have"/>: every key of a wanted object is there with a value that contains the wanted
    /// one (a key the server dropped because it was empty counts as there); lists match item for item; scalars are equal.
    /// </summary>
    internal static bool Contains(JsonNode? have, JsonNode? want)
    {
        switch (want)
        {
            case null:
                return true;
            case JsonObject wantObject:
                if (have is null) return wantObject.Count == 0;
                if (have is not JsonObject haveObject) return false;
                foreach (var (key, value) in wantObject)
                    if (!Contains(haveObject[key], value)) return false;
                return true;
            case JsonArray wantArray:
                if (have is null) return wantArray.Count == 0;
                if (have is not JsonArray haveArray || haveArray.Count != wantArray.Count) return false;
                for (var i = 0; i < wantArray.Count; i++)
                    if (!Contains(haveArray[i], wantArray[i])) return false;
                return true;
            default:
                return have is JsonValue && JsonNode.DeepEquals(have, want);
        }
    }

    /// <summary>The stored object with the manifest's spec and its labels and annotations added; server-kept fields stay.</summary>
    internal static JsonObject Replacement(JsonObject existing, JsonObject desired)
    {
        var replacement = (JsonObject)existing.DeepClone();
        replacement["spec"] = desired["spec"]?.DeepClone();
        var metadata = replacement["metadata"] as JsonObject ?? new JsonObject();
        replacement["metadata"] = metadata;
        metadata.Remove("managedFields");
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (desired["metadata"]?[field] is not JsonObject wanted) continue;
            var target = metadata[field] as JsonObject ?? new JsonObject();
            metadata[field] = target;
            foreach (var (key, value) in wanted) target[key] = value?.DeepClone();
        }
        return replacement;
    }

    /// <summary>The resource (plural) of the kinds the remediations write; others by the API server's rule for regular nouns.</summary>
    internal static string Plural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        if (lower.EndsWith('y') && lower.Length > 1 && !"aeiou".Contains(lower[^2])) return lower[..^1] + "ies";
        if (lower.EndsWith('s') || lower.EndsWith('x') || lower.EndsWith("ch", StringComparison.Ordinal) || lower.EndsWith("sh", StringComparison.Ordinal)) return lower + "es";
        return lower + "s";
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        JsonNode node => node,
        _ => JsonSerializer.SerializeToNode(value),
    };

    private static (string Id, string Message) Describe(HttpOperationException ex, string kind, string ns, string name)
    {
        var status = StatusMessage(ex);
        var what = $"{kind} {Qualified(ns, name)}";
        return ex.Response.StatusCode switch
        {
            HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => ("KubernetesWriteDenied", $"Writing {what} was refused: {status}"),
            HttpStatusCode.NotFound when ns.Length > 0 && status.Contains($"namespaces \"{ns}\" not found", StringComparison.Ordinal) =>
                ("NamespaceNotFound", $"Namespace '{ns}' does not exist, so {what} cannot be created."),
            HttpStatusCode.NotFound => ("KubernetesResourceNotFound", $"The cluster does not serve {kind} (is its CRD installed?): {status}"),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => ("KubernetesWriteInvalid", $"The cluster refused {what}: {status}"),
            _ => ("KubernetesWriteFailed", $"Writing {what} failed: HTTP {(int)ex.Response.StatusCode}: {status}"),
        };
    }

    private static string Qualified(string ns, string name) => ns.Length == 0 ? name : $"{ns}/{name}";

    /// <summary>The message of the API server's Status body, else the exception's.</summary>
    internal static string StatusMessage(HttpOperationException ex)
    {
        var content = ex.Response?.Content;
        if (string.IsNullOrEmpty(content)) return ex.Message;
        try
        {
            using var doc = JsonDocument.Parse(content);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { } text ? text : content.Trim();
        }
        catch (JsonException)
        {
            return content.Trim();
        }
    }
}
