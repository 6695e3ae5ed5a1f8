using EksSecurity.KubeTestServer.Api;
using Microsoft.AspNetCore.Http;

namespace EksSecurity.KubeTestServer;

internal enum RequestKind
{
    Version,
    Health,
    /// <summary>/api</summary>
    CoreVersions,
    /// <summary>/apis</summary>
    GroupList,
    /// <summary>/apis/{group}</summary>
    Group,
    /// <summary>/api/v1, /apis/{group}/{version}</summary>
    ResourceList,
    Resource,
    NodeProxy,
    Review,
    /// <summary>/openapi/v3, /openapi/v3/api/v1, /openapi/v3/apis/{group}/{version}, /openapi/v2</summary>
    OpenApi,
}

/// <summary>What a request is about, as the API server's RequestInfo resolver says.</summary>
internal sealed class RequestInfo
{
    public RequestKind Kind { get; init; }
    public ResourceType? Type { get; init; }
    public string? Group { get; init; }
    public string? Version { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public string? Subresource { get; init; }
    public string? Verb { get; set; }
    /// <summary>After nodes/{name}/proxy/.</summary>
    public string? ProxyPath { get; init; }
    /// <summary>The group-version of an OpenAPI v3 document ("api/v1", "apis/apps/v1"); null for the /openapi/v3 index.</summary>
    public string? OpenApiKey { get; init; }

    public bool IsPublicInfo => Kind is RequestKind.Version or RequestKind.Health;
    public bool IsDiscovery => Kind is RequestKind.CoreVersions or RequestKind.GroupList or RequestKind.Group or RequestKind.ResourceList;
}

public sealed partial class KubeTestServer
{
    private RequestInfo Route(HttpRequest request, IReadOnlyCollection<ResourceType> types)
    {
        var path = request.Path.Value ?? "/";
        var s = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (s.Length == 1 && s[0] == "version") return new RequestInfo { Kind = RequestKind.Version, Verb = "get" };
        if (s.Length >= 1 && s[0] is "healthz" or "livez" or "readyz") return new RequestInfo { Kind = RequestKind.Health, Verb = "get" };
        if (s.Length == 0) throw KubeStatus.NotFoundPath();
        if (s[0] == "openapi" && s.Length >= 2 && s[1] == "v3")
            return new RequestInfo { Kind = RequestKind.OpenApi, Verb = "get", OpenApiKey = s.Length == 2 ? null : string.Join('/', s[2..]) };
        if (s[0] == "openapi" && s.Length == 2 && s[1] == "v2") return new RequestInfo { Kind = RequestKind.OpenApi, Verb = "get", OpenApiKey = V2Key };

        string group, version;
        int rest;
        if (s[0] == "api")
        {
            if (s.Length == 1) return new RequestInfo { Kind = RequestKind.CoreVersions, Verb = "get" };
            if (s[1] != "v1") throw KubeStatus.NotFoundPath();
            group = "";
            version = "v1";
            rest = 2;
        }
        else if (s[0] == "apis")
        {
            if (s.Length == 1) return new RequestInfo { Kind = RequestKind.GroupList, Verb = "get" };
            if (!types.Any(t => t.Group == s[1]) && !ResourceCatalog.Reviews.Any(t => t.Group == s[1])) throw KubeStatus.NotFoundPath();
            if (s.Length == 2) return new RequestInfo { Kind = RequestKind.Group, Group = s[1], Verb = "get" };
            group = s[1];
            version = s[2];
            if (!AllTypes(types).Any(t => t.Group == group && t.Version == version)) throw KubeStatus.NotFoundPath();
            rest = 3;
        }
        else throw KubeStatus.NotFoundPath();

        if (s.Length == rest) return new RequestInfo { Kind = RequestKind.ResourceList, Group = group, Version = version, Verb = "get" };

        var r = s[rest..];
        string? ns = null;
        if (r[0] == "namespaces" && r.Length >= 3 && !(r.Length == 3 && r[2] is "status" or "finalize"))
        {
            ns = r[1];
            r = r[2..];
        }
        var type = AllTypes(types).FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == r[0]) ?? throw KubeStatus.NotFoundPath();
        if (ns is not null && !type.Namespaced) throw KubeStatus.NotFoundPath();
        if (type == ResourceCatalog.Namespaces && r.Length >= 2) ns = r[1];
        var name = r.Length >= 2 ? r[1] : null;
        var sub = r.Length >= 3 ? r[2] : null;

        if (type == ResourceCatalog.Nodes && sub == "proxy")
            return new RequestInfo
            {
                Kind = RequestKind.NodeProxy, Type = type, Group = group, Version = version, Name = name, Subresource = "proxy",
                ProxyPath = "/" + string.Join('/', r[3..]), Verb = ProxyVerb(request.Method),
            };
        if (r.Length > 3) throw KubeStatus.NotFoundPath();
        if (sub is not null && !type.Subresources.Any(x => x.Name == sub)) throw KubeStatus.NotFoundPath();

        var isReview = ResourceCatalog.Reviews.Contains(type);
        var watch = request.Query["watch"].ToString() is "true" or "1";
        var verb = (request.Method, name is null) switch
        {
            ("GET", true) => watch ? "watch" : "list",
            ("GET", false) => watch ? "watch" : "get",
            ("POST", true) => "create",
            ("POST", false) when sub is not null => "create",
            ("PUT", false) => "update",
            ("PATCH", false) => "patch",
            ("DELETE", false) => "delete",
            ("DELETE", true) => "deletecollection",
            _ => throw KubeStatus.MethodNotAllowed(request.Method, type),
        };
        return new RequestInfo
        {
            Kind = isReview ? RequestKind.Review : RequestKind.Resource,
            Type = type, Group = group, Version = version, Namespace = ns, Name = name, Subresource = sub, Verb = verb,
        };
    }

    private static string ProxyVerb(string method) => method switch
    {
        "GET" or "HEAD" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => method.ToLowerInvariant(),
    };

    private static IEnumerable<ResourceType> AllTypes(IEnumerable<ResourceType> served) => served.Concat(ResourceCatalog.Reviews);
}
