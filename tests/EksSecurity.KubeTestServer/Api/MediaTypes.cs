namespace EksSecurity.KubeTestServer.Api;

/// <summary>What the client's Accept header asks for.</summary>
public enum Representation
{
    /// <summary>application/json: the objects themselves.</summary>
    Json,
    /// <summary>as=Table;g=meta.k8s.io: server-side printing (kubectl get without -o).</summary>
    Table,
    /// <summary>as=PartialObjectMetadata(List);g=meta.k8s.io: metadata only.</summary>
    PartialObjectMetadata,
    /// <summary>as=APIGroupDiscoveryList;g=apidiscovery.k8s.io: aggregated discovery (/api and /apis only).</summary>
    AggregatedDiscovery,
}

public static class MediaTypes
{
    /// <summary>The first representation in <paramref name="accept"/> that is in <paramref name="allowed"/>; null when none is (406).</summary>
    public static (Representation Kind, string Version)? Negotiate(string? accept, params Representation[] allowed)
    {
        if (string.IsNullOrWhiteSpace(accept)) return (Representation.Json, "");
        foreach (var entry in accept.Split(','))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            var media = parts[0].ToLowerInvariant();
            if (media is not ("application/json" or "*/*" or "application/*")) continue;
            var p = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in parts.Skip(1))
            {
                var eq = kv.IndexOf('=');
                if (eq > 0) p[kv[..eq].Trim()] = kv[(eq + 1)..].Trim();
            }
            p.TryGetValue("as", out var @as);
            p.TryGetValue("g", out var g);
            p.TryGetValue("v", out var v);
            (Representation, string)? candidate = @as switch
            {
                null or "" => (Representation.Json, ""),
                "Table" when g == "meta.k8s.io" && v is "v1" or "v1beta1" => (Representation.Table, v!),
                "PartialObjectMetadata" or "PartialObjectMetadataList" when g == "meta.k8s.io" && v is "v1" or "v1beta1" => (Representation.PartialObjectMetadata, v!),
                "APIGroupDiscoveryList" when g == "apidiscovery.k8s.io" && v is "v2" or "v2beta1" => (Representation.AggregatedDiscovery, v!),
                _ => null,
            };
            if (candidate is { } c && allowed.Contains(c.Item1)) return c;
        }
        return null;
    }
}
