namespace EksSecurity.Engine.Rules.Img;

/// <summary>
/// A container image reference as the runtime resolves it: "nginx" is docker.io/library/nginx with no tag (the runtime
/// pulls :latest), a first component with a dot, a colon (a port) or "localhost" is a registry host, and "@sha256:..." pins
/// a digest. The registry host is lower-cased and Docker Hub's aliases become docker.io.
/// </summary>
internal sealed record ImageReference(string Original, string Registry, string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>registry/repository, without tag or digest.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The reference, or null when <paramref name="image"/> is empty.</summary>
    public static ImageReference? Parse(string? image)
    {
        var text = image?.Trim();
        if (string.IsNullOrEmpty(text)) return null;

        string? digest = null;
        var at = text.IndexOf('@');
        var name = text;
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            name = text[..at];
            if (digest.Length == 0) digest = null;
        }

        string registry, remainder;
        var slash = name.IndexOf('/');
        var first = slash < 0 ? null : name[..slash];
        if (first is not null && (first.Contains('.') || first.Contains(':') || first.Equals("localhost", StringComparison.OrdinalIgnoreCase)))
        {
            registry = first.ToLowerInvariant();
            remainder = name[(slash + 1)..];
        }
        else
        {
            registry = DockerHub;
            remainder = name;
        }
        if (registry is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com") registry = DockerHub;

        string? tag = null;
        var colon = remainder.LastIndexOf(':');
        if (colon > remainder.LastIndexOf('/'))
        {
            tag = remainder[(colon + 1)..];
            remainder = remainder[..colon];
            if (tag.Length == 0) tag = null;
        }
        if (registry == DockerHub && !remainder.Contains('/')) remainder = "library/" + remainder;
        return new ImageReference(text, registry, remainder, tag, digest);
    }

    /// <summary>
    /// True when the image matches "host" or "host/repository-glob": the host glob against the registry (case-insensitive),
    /// the repository glob against the repository path. A host glob never crosses into the path: "*.example.com" cannot match
    /// "evil.io/x.example.com".
    /// </summary>
    public bool Matches(string pattern)
    {
        var slash = pattern.IndexOf('/');
        var host = slash < 0 ? pattern : pattern[..slash];
        if (!WildcardMatch.IsMatch(Registry, host.ToLowerInvariant(), StringComparison.OrdinalIgnoreCase)) return false;
        return slash < 0 || WildcardMatch.IsMatch(Repository, pattern[(slash + 1)..]);
    }

    public override string ToString() => Original;
}
