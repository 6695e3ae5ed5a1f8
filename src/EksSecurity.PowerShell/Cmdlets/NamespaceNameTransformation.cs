using System.Collections;
using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// Lets -Namespace take namespace objects as well as names: kubectl's JSON (<c>kubectl get ns -o json | ConvertFrom-Json |
/// % items</c>: metadata.name of a Namespace, metadata.namespace of anything namespaced), objects with a Namespace property
/// (findings, Pod Security results) and objects with a Name. Anything else is refused, so PowerShell tries the next binding.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class NamespaceNameTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var names = new List<string>();
        foreach (var item in Items(inputData)) names.Add(NameOf(item));
        return names.ToArray();
    }

    private static IEnumerable<object?> Items(object? input)
    {
        var value = input is PSObject ps ? ps.BaseObject : input;
        if (value is string or null || value is IDictionary) return [input];
        if (value is IEnumerable list) return list.Cast<object?>();
        return [input];
    }

    private static string NameOf(object? item)
    {
        var value = item is PSObject ps ? ps.BaseObject : item;
        switch (value)
        {
            case null:
                throw new ArgumentTransformationMetadataException("A namespace cannot be null.");
            case string s:
                return s;
        }
        var metadata = Member(item!, "metadata");
        if (metadata is not null)
        {
            var kind = Member(item!, "kind") as string;
            var ns = Member(metadata, "namespace") as string;
            if (!string.Equals(kind, "Namespace", StringComparison.Ordinal) && !string.IsNullOrEmpty(ns)) return ns;
            if (Member(metadata, "name") is string name) return name;
        }
        if (HasMember(item!, "Namespace")) return Member(item!, "Namespace")?.ToString() ?? "";
        if (Member(item!, "Name") is { } named) return named.ToString() ?? "";
        throw new ArgumentTransformationMetadataException(
            $"Cannot take a namespace name from {value.GetType().Name} '{value}': give a name, or an object with metadata.name, Namespace or Name.");
    }

    private static bool HasMember(object item, string name) =>
        (item is PSObject ps ? ps.BaseObject : item) is IDictionary dictionary ? dictionary.Contains(name) : PSObject.AsPSObject(item).Properties[name] is not null;

    private static object? Member(object item, string name)
    {
        var value = item is PSObject ps ? ps.BaseObject : item;
        object? found;
        if (value is IDictionary dictionary)
        {
            found = null;
            foreach (DictionaryEntry entry in dictionary)
                if (string.Equals(entry.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase)) { found = entry.Value; break; }
        }
        else found = PSObject.AsPSObject(item).Properties[name]?.Value;
        return found is PSObject wrapped && wrapped.BaseObject is string or ValueType ? wrapped.BaseObject : found;
    }
}
