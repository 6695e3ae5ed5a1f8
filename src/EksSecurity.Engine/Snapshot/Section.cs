using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Snapshot;

/// <summary>How a section was obtained; shared by list and single-object sections.</summary>
public abstract class SectionBase
{
    public SectionStatus Status { get; set; }
    /// <summary>The missing permission when denied: an IAM action (eks:ListAccessEntries) or a Kubernetes verb and resource (list pods).</summary>
    public string? Permission { get; set; }
    public string? Reason { get; set; }

    [JsonIgnore] public abstract int Count { get; }
    [JsonIgnore] public bool IsCollected => Status == SectionStatus.Collected;

    /// <summary>A section written with data but no status came from a person or a tool that had it all: count it collected.</summary>
    internal abstract void Normalize();
}

/// <summary>A snapshot section holding a list of items.</summary>
public sealed class Section<T> : SectionBase
{
    public List<T>? Items { get; set; }

    [JsonIgnore] public override int Count => Items?.Count ?? 0;

    /// <summary>The items; empty when the section was not collected (callers check the status first).</summary>
    [JsonIgnore] public IReadOnlyList<T> All => (IReadOnlyList<T>?)Items ?? [];

    public static Section<T> Collected(IEnumerable<T> items) => new() { Status = SectionStatus.Collected, Items = items.ToList() };
    public static Section<T> Denied(string permission, string? reason = null) => new() { Status = SectionStatus.Denied, Permission = permission, Reason = reason };
    public static Section<T> Failed(string reason) => new() { Status = SectionStatus.Failed, Reason = reason };

    internal override void Normalize()
    {
        if (Status == SectionStatus.NotCollected && Items is not null) Status = SectionStatus.Collected;
        if (Status == SectionStatus.Collected) Items ??= [];
    }
}

/// <summary>A snapshot section holding one object (the cluster, the server version, the KMS key).</summary>
public sealed class ObjectSection<T> : SectionBase where T : class
{
    public T? Value { get; set; }

    [JsonIgnore] public override int Count => Value is null ? 0 : 1;

    public static ObjectSection<T> Collected(T value) => new() { Status = SectionStatus.Collected, Value = value };
    public static ObjectSection<T> Denied(string permission, string? reason = null) => new() { Status = SectionStatus.Denied, Permission = permission, Reason = reason };
    public static ObjectSection<T> Failed(string reason) => new() { Status = SectionStatus.Failed, Reason = reason };

    internal override void Normalize()
    {
        if (Status == SectionStatus.NotCollected && Value is not null) Status = SectionStatus.Collected;
    }
}
