namespace EksSecurity.KubeTestServer;

/// <summary>One request the server answered (or dropped).</summary>
public sealed record RequestLogEntry
{
    public long Sequence { get; init; }
    public DateTimeOffset Time { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    /// <summary>The raw query string without '?' ("" when none).</summary>
    public string Query { get; init; } = "";
    /// <summary>The authenticated user; null when anonymous or refused.</summary>
    public string? User { get; init; }
    /// <summary>The HTTP status; 0 when the connection was dropped.</summary>
    public int Status { get; init; }
    /// <summary>The Status reason of an error answer (Forbidden, Expired, TooManyRequests ...).</summary>
    public string? Reason { get; init; }
    /// <summary>list, get, watch, create, update, patch, delete; null for discovery and non-resource paths.</summary>
    public string? Verb { get; init; }
    /// <summary>pods, deployments.apps ...</summary>
    public string? Resource { get; init; }
    public string? Subresource { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public string? Accept { get; init; }
    /// <summary>The injected fault(s) that fired, if any.</summary>
    public string? Fault { get; init; }
    /// <summary>Items written in a list answer.</summary>
    public int? Items { get; init; }
    /// <summary>A request that returned Secret objects in full (with data), not metadata only.</summary>
    public bool SecretData { get; init; }
    public string? Protocol { get; init; }
    public double DurationMs { get; init; }

    /// <summary>The value of one query parameter (URL-decoded), or null.</summary>
    public string? QueryValue(string name) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) ? v.ToString() : null;

    public override string ToString() =>
        $"{Sequence,5} {Status,3} {Method,-6} {Path}{(Query.Length > 0 ? "?" + Query : "")} user={User ?? "-"}{(Fault is null ? "" : " fault=" + Fault)}{(SecretData ? " SECRET-DATA" : "")}";
}

/// <summary>One write (POST, PUT, PATCH, DELETE) on a resource, applied or dry-run.</summary>
public sealed record WriteLogEntry
{
    public long Sequence { get; init; }
    public DateTimeOffset Time { get; init; }
    public required string Method { get; init; }
    public required string Verb { get; init; }
    public required string Path { get; init; }
    public string Query { get; init; } = "";
    public string? User { get; init; }
    /// <summary>networkpolicies.networking.k8s.io, namespaces ...</summary>
    public required string Resource { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public string? ContentType { get; init; }
    public string Body { get; init; } = "";
    /// <summary>?dryRun=All: validated and answered, not stored.</summary>
    public bool DryRun { get; init; }
    /// <summary>The fieldValidation parameter as sent (Strict from kubectl, null when absent: the server then warns).</summary>
    public string? FieldValidation { get; init; }
    /// <summary>The warnings answered in Warning headers (unknown field "spec.x" ...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public int Status { get; init; }
    /// <summary>The object as stored (or as it would have been), JSON; null when refused.</summary>
    public string? Result { get; init; }
}
