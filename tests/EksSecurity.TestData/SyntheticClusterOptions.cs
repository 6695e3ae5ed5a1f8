namespace EksSecurity.TestData;

/// <summary>The size and identity of a synthetic cluster. Same options, same snapshot, byte for byte.</summary>
public sealed record SyntheticClusterOptions
{
    /// <summary>The scale targets of DESIGN.md ("Speed and scale"): the largest EKS clusters.</summary>
    public static SyntheticClusterOptions Large { get; } = new()
    {
        Pods = 150_000,
        Nodes = 5_000,
        Namespaces = 3_000,
        RbacBindings = 50_000,
        IamRoles = 1_000,
        ClusterName = "synthetic-large",
    };

    /// <summary>1/50 of <see cref="Large"/>, for a quick check.</summary>
    public static SyntheticClusterOptions Small { get; } = Large.Scaled(1.0 / 50) with { ClusterName = "synthetic-small" };

    /// <summary>A few of everything: for unit tests and servers that need a realistic but tiny cluster.</summary>
    public static SyntheticClusterOptions Tiny { get; } = new()
    {
        Pods = 120,
        Nodes = 6,
        Namespaces = 14,
        RbacBindings = 120,
        IamRoles = 20,
        ClusterName = "synthetic-tiny",
    };

    /// <summary>Pods in all, counting DaemonSet pods, system pods, job pods and bare pods.</summary>
    public int Pods { get; init; }
    public int Nodes { get; init; }
    /// <summary>Namespaces in all, counting the system and platform ones (default, kube-system, ...); the four system namespaces are always there.</summary>
    public int Namespaces { get; init; }
    /// <summary>RoleBindings plus ClusterRoleBindings.</summary>
    public int RbacBindings { get; init; }
    /// <summary>Roles in the IamRoles section: cluster role, node roles, human roles, IRSA and Pod Identity roles.</summary>
    public int IamRoles { get; init; }
    public int Seed { get; init; } = 20261101;

    public string ClusterName { get; init; } = "synthetic";
    public string Region { get; init; } = "us-west-2";
    public string AccountId { get; init; } = "123456789012";
    /// <summary>The EKS Kubernetes minor version, such as "1.31".</summary>
    public string KubernetesVersion { get; init; } = "1.31";
    /// <summary>When the snapshot claims it was collected; object timestamps lie before it.</summary>
    public DateTimeOffset CollectedAt { get; init; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Every count multiplied by <paramref name="factor"/> (at least 1 each).</summary>
    public SyntheticClusterOptions Scaled(double factor) => this with
    {
        Pods = Scale(Pods, factor),
        Nodes = Scale(Nodes, factor),
        Namespaces = Scale(Namespaces, factor),
        RbacBindings = Scale(RbacBindings, factor),
        IamRoles = Scale(IamRoles, factor),
    };

    public static SyntheticClusterOptions ForScale(string scale) => scale.ToLowerInvariant() switch
    {
        "large" => Large,
        "small" => Small,
        "tiny" => Tiny,
        _ => throw new ArgumentException($"Unknown scale '{scale}': use large, small or tiny.", nameof(scale)),
    };

    public override string ToString() =>
        $"{ClusterName}: {Pods:N0} pods, {Nodes:N0} nodes, {Namespaces:N0} namespaces, {RbacBindings:N0} RBAC bindings, {IamRoles:N0} IAM roles, seed {Seed}";

    private static int Scale(int value, double factor) => Math.Max(1, (int)Math.Round(value * factor));
}
