using System.Text.Json.Nodes;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>An error answered as a meta/v1 Status object, as the API server writes them.</summary>
public sealed class KubeStatusException : Exception
{
    public KubeStatusException(int code, string reason, string message, JsonObject? details = null, JsonObject? metadata = null) : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
        Metadata = metadata;
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }
    public JsonObject? Metadata { get; }
    /// <summary>Extra response headers (Retry-After).</summary>
    public Dictionary<string, string> Headers { get; } = new();

    public JsonObject ToStatus() => KubeStatus.Failure(Code, Reason, Message, Details, Metadata);
}

public static class KubeStatus
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null, JsonObject? metadata = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata?.DeepClone() ?? new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (reason.Length > 0) status["reason"] = reason;
        if (details is not null) status["details"] = details.DeepClone();
        status["code"] = code;
        return status;
    }

    public static JsonObject Details(ResourceType? type, string? name, string? kindOverride = null)
    {
        var d = new JsonObject();
        if (name is not null) d["name"] = name;
        if (type is not null && type.Group.Length > 0) d["group"] = type.Group;
        if (kindOverride is not null || type is not null) d["kind"] = kindOverride ?? type!.Plural;
        return d;
    }

    public static KubeStatusException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static KubeStatusException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", Details(type, name));

    public static KubeStatusException NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static KubeStatusException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static KubeStatusException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", Details(type, name));

    public static KubeStatusException Conflict(ResourceType type, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", Details(type, name));

    public static KubeStatusException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeStatusException Invalid(ResourceType type, string name, string message) =>
        new(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {message}", Details(type, name, type.Kind));

    public static KubeStatusException MethodNotAllowed(string verb, ResourceType? type) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource", type is null ? new JsonObject() : Details(type, null));

    public static KubeStatusException NotAcceptable() =>
        new(406, "NotAcceptable", "only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io");

    public static KubeStatusException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {contentType})");

    /// <summary>The RBAC authorizer's message, word for word.</summary>
    public static KubeStatusException Forbidden(string user, string verb, ResourceType type, string? subresource, string? ns, string? name)
    {
        var resource = subresource is null ? type.Plural : $"{type.Plural}/{subresource}";
        var who = name is null ? type.GroupResource : $"{type.GroupResource} \"{name}\"";
        var scope = ns is { Length: > 0 } ? $"in the namespace \"{ns}\"" : "at the cluster scope";
        return new KubeStatusException(403, "Forbidden",
            $"{who} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{type.Group}\" {scope}", Details(type, name));
    }

    public static KubeStatusException ForbiddenPath(string user, string verb, string path) =>
        new(403, "Forbidden", $"forbidden: User \"{user}\" cannot {verb} path \"{path}\"", new JsonObject());

    public const string ExpiredMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, " +
        "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an " +
        "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    public static KubeStatusException Expired(string? inconsistentContinue) =>
        new(410, "Expired", ExpiredMessage, metadata: inconsistentContinue is null ? null : new JsonObject { ["continue"] = inconsistentContinue });

    public static KubeStatusException TooManyRequests(int retryAfterSeconds)
    {
        var e = new KubeStatusException(429, "TooManyRequests", "Too many requests, please try again later.",
            new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds });
        e.Headers["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return e;
    }

    public static KubeStatusException InternalError(string message, int code = 500)
    {
        var reason = code switch { 503 => "ServiceUnavailable", 504 => "Timeout", 500 => "InternalError", _ => "" };
        var text = code == 500 ? $"Internal error occurred: {message}" : message;
        return new KubeStatusException(code, reason, text, new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });
    }
}
