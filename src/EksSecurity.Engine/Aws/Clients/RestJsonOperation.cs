namespace EksSecurity.Engine.Aws.Clients;

/// <summary>
/// One rest-json operation as the service model defines it: HTTP method, URI template, the
/// response member that holds the result, and the paging token. A test checks every entry
/// against aws-models/&lt;service&gt;/service-2.json and paginators-1.json.
/// </summary>
public sealed record RestJsonOperation(string Name, string Method, string UriTemplate, string ResultMember, bool Paged = false)
{
    /// <summary>Fills {name} placeholders with URI-encoded values and appends query parameters.</summary>
    public string Path(IReadOnlyDictionary<string, string> uri, IEnumerable<KeyValuePair<string, string?>>? query = null)
    {
        var path = UriTemplate;
        foreach (var (key, value) in uri) path = path.Replace("{" + key + "}", AwsSigner.Encode(value), StringComparison.Ordinal);
        if (path.Contains('{')) throw new ArgumentException($"{Name}: URI template {UriTemplate} has unfilled placeholders.");
        var parts = (query ?? []).Where(q => q.Value is not null).Select(q => AwsSigner.Encode(q.Key) + "=" + AwsSigner.Encode(q.Value!)).ToList();
        return parts.Count == 0 ? path : path + "?" + string.Join('&', parts);
    }
}
