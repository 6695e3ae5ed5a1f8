using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Remediation;

/// <summary>The API server's name and label validation, so a generated object is refused here rather than by the cluster.</summary>
internal static partial class KubernetesNames
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "eks-security";

    /// <summary>Namespace names: RFC 1123 labels.</summary>
    public static string Namespace(string name)
    {
        if (name.Length is 0 or > 63 || !Rfc1123Label().IsMatch(name))
            throw Invalid("InvalidNamespaceName", name, $"'{name}' is not a valid namespace name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters.");
        return name;
    }

    /// <summary>Object names of NetworkPolicies and custom resources: RFC 1123 subdomains.</summary>
    public static string ObjectName(string name)
    {
        if (name.Length is 0 or > 253 || !Rfc1123Subdomain().IsMatch(name))
            throw Invalid("InvalidObjectName", name, $"'{name}' is not a valid object name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters.");
        return name;
    }

    /// <summary>Label selector matchLabels: qualified-name keys and label values.</summary>
    public static IReadOnlyDictionary<string, string> Labels(IReadOnlyDictionary<string, string> labels, string what)
    {
        foreach (var (key, value) in labels)
        {
            if (!IsQualifiedName(key))
                throw Invalid("InvalidLabelSelector", key, $"{what}: '{key}' is not a valid label key: an optional DNS subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.");
            if (value is null || value.Length > 63 || (value.Length > 0 && !LabelName().IsMatch(value)))
                throw Invalid("InvalidLabelSelector", value, $"{what}: '{value}' (label {key}) is not a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.");
        }
        return labels;
    }

    public static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length is 0 or > 253 || !Rfc1123Subdomain().IsMatch(prefix)) return false;
        }
        return name.Length is > 0 and <= 63 && LabelName().IsMatch(name);
    }

    /// <summary>Namespaces EKS and Kubernetes create for themselves.</summary>
    public static bool IsSystemNamespace(string name) =>
        name is "kube-system" or "kube-public" or "kube-node-lease" || name.StartsWith("amazon-", StringComparison.Ordinal);

    private static EksSecurityException Invalid(string id, string? target, string message) => new(id, EksErrorKind.InvalidArgument, message, target);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc1123Subdomain();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();
}
