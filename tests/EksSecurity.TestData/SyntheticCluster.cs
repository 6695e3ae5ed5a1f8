using System.Collections;
using System.IO.Compression;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.TestData;

/// <summary>
/// A realistic EKS cluster at a chosen scale, as a <see cref="ClusterSnapshot"/>. The constructor
/// makes a small plan (namespaces, workloads, service accounts, nodes, IAM roles); the objects are
/// built from it only when a section is enumerated, so <see cref="WriteTo(string, bool)"/> streams
/// a snapshot of any size to disk without ever holding it, and <see cref="Build"/> materializes the
/// same snapshot in memory. Same options, same snapshot.
/// </summary>
public sealed partial class SyntheticCluster
{
    /// <summary>Written into the snapshot's generator field; bump when the generated content changes.</summary>
    public const string GeneratorVersion = "EksSecurity.TestData SyntheticCluster 2";

    internal static readonly string[] SystemNamespaceNames = ["default", "kube-system", "kube-public", "kube-node-lease"];
    internal static readonly string[] PlatformNamespaceNames = ["amazon-cloudwatch", "amazon-guardduty", "monitoring", "cert-manager", "ingress-nginx", "external-secrets"];

    private readonly List<NamespacePlan> _namespaces = [];
    private readonly Dictionary<string, NamespacePlan> _namespaceByName = new(StringComparer.Ordinal);
    private readonly List<NodeSpecification> _nodes = [];
    private readonly List<NodeGroupPlan> _nodeGroups = [];
    private readonly List<IamRolePlan> _roles = [];
    private readonly List<string> _nodeRoleNames = [];
    private string? _karpenterNodeRole;
    private int _clusterRoleBindings;
    private int _customClusterRoles;

    public SyntheticCluster(SyntheticClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Pods < 0 || options.Nodes < 1 || options.Namespaces < 1 || options.RbacBindings < 0 || options.IamRoles < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "Counts must be positive (nodes and namespaces at least 1).");
        Options = options;
        Objects = new SyntheticObjects(options);
        PlanNodes();
        PlanNamespaces();
        PlanWorkloads();
        PlanIamRoles();
        PlanRbac();
    }

    public SyntheticClusterOptions Options { get; }
    /// <summary>The builders this cluster uses, with its identity (ARNs, OIDC issuer, clock).</summary>
    public SyntheticObjects Objects { get; }
    public IReadOnlyList<NamespacePlan> NamespacePlans => _namespaces;
    public IReadOnlyList<NodeSpecification> NodeSpecifications => _nodes;
    public IReadOnlyList<NodeGroupPlan> NodeGroupPlans => _nodeGroups;
    public IReadOnlyList<IamRolePlan> IamRolePlans => _roles;
    public int ClusterRoleBindingCount => _clusterRoleBindings;
    public int RoleBindingCount => _namespaces.Sum(n => n.RoleBindings);

    /// <summary>The whole snapshot in memory.</summary>
    public static ClusterSnapshot Generate(SyntheticClusterOptions options) => new SyntheticCluster(options).Build();

    /// <summary>The whole snapshot in memory: every section materialized.</summary>
    public ClusterSnapshot Build()
    {
        var snapshot = CreateSkeleton(out var lazy);
        foreach (var section in lazy) section.Materialize();
        return snapshot;
    }

    /// <summary>
    /// Streams the snapshot to <paramref name="path"/> (gzip-compressed when it ends in .gz),
    /// building each object just before it is written: memory stays flat at any scale.
    /// </summary>
    public void WriteTo(string path, bool indented = false)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var output = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.Fastest)
            : (Stream)file;
        WriteTo(output, indented);
    }

    /// <summary>Streams the snapshot as JSON to <paramref name="output"/>; the stream is left open.</summary>
    public void WriteTo(Stream output, bool indented = false)
    {
        var skeleton = CreateSkeleton(out var lazy);
        SnapshotStreamWriter.Write(skeleton, lazy.ToDictionary<LazySection, SectionBase, IEnumerable>(l => l.Section, l => l.Items, ReferenceEqualityComparer.Instance), output, indented);
    }

    /// <summary>A list section whose items are produced on demand.</summary>
    internal sealed record LazySection(SectionBase Section, IEnumerable Items, Action Materialize);

    private ClusterSnapshot CreateSkeleton(out List<LazySection> lazy)
    {
        var sections = new List<LazySection>();
        Section<T> L<T>(IEnumerable<T> items)
        {
            var section = new Section<T> { Status = SectionStatus.Collected };
            sections.Add(new LazySection(section, items, () => section.Items = items.ToList()));
            return section;
        }
        var o = Objects;
        var snapshot = new ClusterSnapshot
        {
            SchemaVersion = ClusterSnapshot.CurrentSchemaVersion,
            Generator = GeneratorVersion,
            CollectedAt = Options.CollectedAt,
            ClusterName = Options.ClusterName,
            Region = Options.Region,
            AccountId = Options.AccountId,
            ClusterArn = o.ClusterArn,
        };
        var aws = snapshot.Aws;
        aws.Cluster = ObjectSection<Engine.Aws.Model.EksCluster>.Collected(o.Cluster(o.Random("aws/cluster")));
        aws.ClusterVersions = L(o.ClusterVersions());
        aws.NodeGroups = L(NodeGroups());
        aws.Addons = L(Addons());
        aws.AccessEntries = L(AccessEntries());
        aws.PodIdentityAssociations = L(PodIdentityAssociations());
        aws.FargateProfiles = L(FargateProfiles());
        aws.IdentityProviderConfigs = L(IdentityProviderConfigs());
        aws.IamRoles = L(IamRoles());
        aws.IamUsers = L(IamUsers());
        aws.OidcProviders = L(OidcProviders());
        aws.AccountSettings = ObjectSection<Engine.Aws.Model.IamAccountSettings>.Collected(AccountSettings());
        aws.Instances = L(Instances());
        aws.LaunchTemplates = L(LaunchTemplates());
        aws.SecurityGroups = L(o.SecurityGroups());
        aws.KmsKey = ObjectSection<Engine.Aws.Model.KmsKeyInfo>.Collected(o.KmsKey());

        var k = snapshot.Kubernetes;
        k.ServerVersion = ObjectSection<k8s.Models.VersionInfo>.Collected(ServerVersion());
        k.Namespaces = L(Namespaces());
        k.Pods = L(Pods());
        k.Deployments = L(Deployments());
        k.ReplicaSets = L(ReplicaSets());
        k.StatefulSets = L(StatefulSets());
        k.DaemonSets = L(DaemonSets());
        k.Jobs = L(Jobs());
        k.CronJobs = L(CronJobs());
        k.ReplicationControllers = L(Enumerable.Empty<k8s.Models.V1ReplicationController>());
        k.PodTemplates = L(Enumerable.Empty<k8s.Models.V1PodTemplate>());
        k.ServiceAccounts = L(ServiceAccounts());
        k.Roles = L(Roles());
        k.ClusterRoles = L(ClusterRoles());
        k.RoleBindings = L(RoleBindings());
        k.ClusterRoleBindings = L(ClusterRoleBindings());
        k.NetworkPolicies = L(NetworkPolicies());
        k.ConfigMaps = L(ConfigMaps());
        k.Secrets = L(Secrets());
        k.Nodes = L(Nodes());
        k.Services = L(Services());
        k.Ingresses = L(Ingresses());
        k.StorageClasses = L(StorageClasses());
        k.PersistentVolumes = L(PersistentVolumes());
        k.PersistentVolumeClaims = L(PersistentVolumeClaims());
        k.ValidatingWebhookConfigurations = L(ValidatingWebhooks());
        k.MutatingWebhookConfigurations = L(MutatingWebhooks());
        k.SecurityGroupPolicies = L(SecurityGroupPolicies());
        k.ResourceQuotas = L(ResourceQuotas());
        k.LimitRanges = L(LimitRanges());
        k.PriorityClasses = L(PriorityClasses());
        k.RuntimeClasses = L(Enumerable.Empty<k8s.Models.V1RuntimeClass>());
        k.PodSecurityPolicies = L(Enumerable.Empty<Engine.Kubernetes.PodSecurityPolicy>());
        k.ApiServices = L(ApiServices());
        lazy = sections;
        return snapshot;
    }

    // ---------------------------------------------------------------- plan

    private static readonly (string Profile, string[] Types, string Capacity, string Ami, string Arch, int Cpu, int MemGi, int MaxPods, string? Gpu)[] NodeGroupProfiles =
    [
        ("general", ["m6i.2xlarge"], "ON_DEMAND", "AL2023_x86_64_STANDARD", "amd64", 8, 32, 58, null),
        ("general", ["m6i.4xlarge"], "ON_DEMAND", "AL2023_x86_64_STANDARD", "amd64", 16, 64, 110, null),
        ("memory", ["r6i.4xlarge"], "ON_DEMAND", "AL2023_x86_64_STANDARD", "amd64", 16, 128, 110, null),
        ("compute", ["c6i.4xlarge"], "ON_DEMAND", "AL2023_x86_64_STANDARD", "amd64", 16, 32, 110, null),
        ("spot", ["m5.2xlarge", "m5a.2xlarge", "m6i.2xlarge", "m6a.2xlarge"], "SPOT", "AL2023_x86_64_STANDARD", "amd64", 8, 32, 58, null),
        ("arm", ["m7g.2xlarge"], "ON_DEMAND", "AL2023_ARM_64_STANDARD", "arm64", 8, 32, 58, null),
        ("legacy", ["m5.xlarge"], "ON_DEMAND", "AL2_x86_64", "amd64", 4, 16, 58, null),
        ("gpu", ["g5.2xlarge"], "ON_DEMAND", "AL2023_x86_64_NVIDIA", "amd64", 8, 32, 58, "nvidia.com/gpu"),
    ];

    private void PlanNodes()
    {
        var rng = Objects.Random("plan/nodes");
        var nodes = Options.Nodes;
        var karpenter = nodes >= 20 ? (int)Math.Round(nodes * 0.1) : 0;
        var managed = nodes - karpenter;
        var groupCount = Math.Clamp((int)Math.Round(Math.Sqrt(managed) / 3.5), 1, 40);
        var nodeRoles = Math.Clamp(groupCount / 5, 1, 4);
        for (var i = 0; i < nodeRoles; i++) _nodeRoleNames.Add(i == 0 ? $"{Options.ClusterName}-node-role" : $"{Options.ClusterName}-node-role-{i + 1}");
        if (karpenter > 0) _karpenterNodeRole = $"KarpenterNodeRole-{Options.ClusterName}";

        var weights = new double[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            var profile = NodeGroupProfiles[g == 0 ? 0 : rng.PickWeighted([30, 15, 12, 10, 14, 8, 6, 3])];
            weights[g] = profile.Profile == "gpu" ? 0.2 : 0.5 + rng.NextDouble();
            var usesTemplate = rng.Chance(0.6);
            var name = $"ng-{profile.Profile}-{g + 1:D2}";
            _nodeGroups.Add(new NodeGroupPlan
            {
                Name = name,
                InstanceTypes = profile.Types,
                CapacityType = profile.Capacity,
                AmiType = profile.Ami,
                Architecture = profile.Arch,
                LaunchTemplateId = usesTemplate ? "lt-0" + rng.Hex(16) : null,
                HttpTokens = usesTemplate ? (rng.Chance(0.85) ? "required" : "optional") : "required",
                HopLimit = usesTemplate ? (rng.Chance(0.8) ? 1 : 2) : 2,
                PublicSubnets = g == 4,
                SshKey = !usesTemplate && rng.Chance(0.25) ? "ops-keypair" : null,
                NodeRoleName = _nodeRoleNames[g % _nodeRoleNames.Count],
                GpuTaint = profile.Gpu,
                Created = Objects.CreatedAgo(rng, 10, 400),
            });
        }
        var counts = Apportion(managed, weights);
        for (var g = 0; g < groupCount; g++) _nodeGroups[g].Nodes = counts[g];

        var index = 0;
        foreach (var group in _nodeGroups)
        {
            var profile = NodeGroupProfiles.First(p => p.Types.SequenceEqual(group.InstanceTypes));
            for (var i = 0; i < group.Nodes; i++, index++)
                _nodes.Add(MakeNode(index, group.Name, null, group.InstanceTypes[i % group.InstanceTypes.Length], group.CapacityType, group.AmiType, group.Architecture,
                    profile.Cpu, profile.MemGi, profile.MaxPods, group.LaunchTemplateId, group.PublicSubnets, group.GpuTaint));
        }
        for (var i = 0; i < karpenter; i++, index++)
        {
            var spot = i % 3 == 0;
            var (type, cpu, mem) = new[] { ("c6i.4xlarge", 16, 32), ("m6i.4xlarge", 16, 64), ("r6i.2xlarge", 8, 64), ("m7i.8xlarge", 32, 128), ("c7i.2xlarge", 8, 16) }[i % 5];
            _nodes.Add(MakeNode(index, null, spot ? "spot" : "default", type, spot ? "SPOT" : "ON_DEMAND", "AL2023_x86_64_STANDARD", "amd64",
                cpu, mem, 110, null, false, null));
        }
    }

    private NodeSpecification MakeNode(int index, string? group, string? pool, string type, string capacity, string ami, string arch, int cpu, int mem, int maxPods,
        string? launchTemplate, bool publicIp, string? gpu)
    {
        var rng = Objects.Random("plan/node", index);
        var host = index + 10;
        var ip = $"10.{64 + host / 65024}.{host % 65024 / 254}.{host % 254 + 1}";
        return new NodeSpecification
        {
            Name = $"ip-{ip.Replace('.', '-')}.{Options.Region}.compute.internal",
            InstanceId = "i-0" + rng.Hex(16),
            Zone = Objects.Zones[index % Objects.Zones.Count],
            InstanceType = type,
            NodeGroup = group,
            KarpenterNodePool = pool,
            CapacityType = capacity,
            AmiType = ami,
            Architecture = arch,
            ImageId = "ami-0" + Objects.Random("ami/" + ami).Hex(16),
            LaunchTemplateId = launchTemplate,
            LaunchTemplateVersion = launchTemplate is null ? null : "1",
            Ready = !rng.Chance(0.004),
            Cpu = cpu,
            MemoryGi = mem,
            MaxPods = maxPods,
            GpuTaint = gpu,
            PrivateIp = ip,
            PublicIp = publicIp ? $"54.{rng.Between(64, 250)}.{rng.Between(0, 255)}.{rng.Between(1, 254)}" : null,
            Created = Objects.CreatedAgo(rng, 0.2, 45),
        };
    }

    private void PlanNamespaces()
    {
        var names = new List<(string Name, NamespaceKind Kind)>();
        names.AddRange(SystemNamespaceNames.Select(n => (n, NamespaceKind.System)));
        names.AddRange(PlatformNamespaceNames.Select(n => (n, NamespaceKind.Platform)));
        if (Options.Namespaces < names.Count) names = names.Take(Math.Max(SystemNamespaceNames.Length, Options.Namespaces)).ToList();
        var taken = new HashSet<string>(names.Select(n => n.Name), StringComparer.Ordinal);
        foreach (var (name, kind) in names)
        {
            var rng = Objects.Random("plan/namespace/" + name);
            Add(new NamespacePlan
            {
                Index = _namespaces.Count,
                Name = name,
                Kind = kind,
                Team = "platform",
                Psa = name switch
                {
                    "kube-system" or "amazon-guardduty" or "monitoring" => new PsaLabels("privileged"),
                    "cert-manager" or "external-secrets" => new PsaLabels("restricted", "restricted", "restricted"),
                    "ingress-nginx" => new PsaLabels("baseline", "restricted", "restricted"),
                    _ => PsaLabels.None,
                },
                NetworkPolicies = name is "cert-manager" or "external-secrets" ? NetworkPolicyProfile.DefaultDeny : NetworkPolicyProfile.None,
                Created = name is "default" or "kube-system" or "kube-public" or "kube-node-lease" ? Objects.ClusterCreated : Objects.CreatedAgo(rng, 200, 410),
            });
        }
        for (var i = names.Count; i < Options.Namespaces; i++)
        {
            var rng = Objects.Random("plan/namespace", i);
            var team = rng.Pick(SyntheticObjects.Teams);
            var app = rng.Pick(SyntheticObjects.Apps);
            var env = rng.Pick(SyntheticObjects.Environments);
            var name = $"{team}-{app}-{env}";
            if (!taken.Add(name))
            {
                name = $"{team}-{app}-{env}-{i}";
                taken.Add(name);
            }
            var psa = rng.PickWeighted([30, 25, 8, 7, 30]) switch
            {
                0 => new PsaLabels("restricted", "restricted", "restricted", "latest"),
                1 => new PsaLabels("baseline", "restricted", "restricted"),
                2 => new PsaLabels("privileged"),
                3 => new PsaLabels(null, "restricted", "baseline"),
                _ => PsaLabels.None,
            };
            Add(new NamespacePlan
            {
                Index = _namespaces.Count,
                Name = name,
                Kind = NamespaceKind.Application,
                Team = team,
                Environment = env,
                Psa = psa,
                Quota = rng.Chance(0.5),
                LimitRange = rng.Chance(0.4),
                NetworkPolicies = (NetworkPolicyProfile)rng.PickWeighted([40, 35, 8, 12, 5]),
                Created = Objects.CreatedAgo(rng, 5, 400),
            });
        }

        void Add(NamespacePlan plan)
        {
            _namespaces.Add(plan);
            _namespaceByName[plan.Name] = plan;
            plan.ServiceAccounts.Add(new ServiceAccountPlan { Name = "default", Namespace = plan.Name, Automount = plan.Kind == NamespaceKind.Application && Objects.Random("plan/default-sa/" + plan.Name).Chance(0.2) ? false : null });
        }
    }

    private void PlanWorkloads()
    {
        var rng = Objects.Random("plan/workloads");
        var workloadIndex = 0;
        var podsLeft = Options.Pods;

        // DaemonSets: one pod per node, up to a fifth of all pods.
        var daemonSets = Objects.SystemDaemonSets().Where(d => _namespaceByName.ContainsKey(d.Namespace)).ToList();
        var dsCount = Math.Clamp((int)Math.Floor(0.2 * Options.Pods / Options.Nodes), 0, daemonSets.Count);
        foreach (var ds in daemonSets.Take(dsCount))
        {
            AddSystem(ds, _nodes.Count);
            podsLeft -= _nodes.Count;
        }
        // Platform controllers, when the cluster is big enough to carry them.
        var controllers = Objects.SystemControllers().Where(c => _namespaceByName.ContainsKey(c.Namespace)).ToList();
        var controllerPods = controllers.Sum(c => c.Replicas);
        if (podsLeft < controllerPods * 4) controllers = controllers.Where(c => c.Name == "coredns").ToList();
        foreach (var c in controllers)
        {
            var replicas = Math.Min(c.Replicas, podsLeft);
            if (replicas <= 0) break;
            AddSystem(c, replicas);
            podsLeft -= replicas;
        }

        // Application pods, spread over namespaces with a long tail (a few big, many small).
        var apps = _namespaces.Where(n => n.Kind == NamespaceKind.Application).ToList();
        if (apps.Count == 0) apps = [_namespaceByName["default"]];
        var weights = apps.Select(n => Math.Exp(Objects.Random("plan/ns-weight/" + n.Name).Normal())).ToArray();
        var budgets = Apportion(Math.Max(0, podsLeft), weights);
        for (var i = 0; i < apps.Count; i++) apps[i].PodBudget = budgets[i];

        foreach (var ns in apps)
        {
            var r = Objects.Random("plan/ns-workloads/" + ns.Name);
            var remaining = ns.PodBudget;
            var names = new HashSet<string>(StringComparer.Ordinal);
            var sharedSa = ns.Team + "-app";
            var sharedSaAdded = false;
            while (remaining > 0)
            {
                var kind = (WorkloadKind)r.PickWeighted([70, 10, 0, 4, 8, 2]);
                var pods = kind switch
                {
                    WorkloadKind.Deployment => r.Pick(new[] { 1, 1, 2, 2, 2, 3, 3, 3, 4, 5, 6, 8, 10, 12, 20 }),
                    WorkloadKind.StatefulSet => r.Pick(new[] { 1, 2, 3, 3, 3, 5 }),
                    WorkloadKind.CronJob => r.Pick(new[] { 1, 1, 2, 3 }),
                    _ => 1,
                };
                pods = Math.Min(pods, remaining);
                AddApp(ns, kind, pods, r, names, ref sharedSaAdded, sharedSa);
                remaining -= pods;
                // Scaled-to-zero deployments hold no pods but are still audited.
                if (r.Chance(0.04)) AddApp(ns, WorkloadKind.Deployment, 0, r, names, ref sharedSaAdded, sharedSa);
            }
        }

        void AddSystem(SystemWorkload w, int pods)
        {
            var ns = _namespaceByName[w.Namespace];
            if (!ns.ServiceAccounts.Any(s => s.Name == w.ServiceAccount))
                ns.ServiceAccounts.Add(new ServiceAccountPlan { Name = w.ServiceAccount, Namespace = ns.Name });
            var r = Objects.Random("plan/system/" + w.Name);
            ns.Workloads.Add(new WorkloadPlan
            {
                Kind = Enum.Parse<WorkloadKind>(w.Kind),
                Namespace = w.Namespace,
                Name = w.Name,
                Pods = pods,
                System = w,
                ServiceAccount = w.ServiceAccount,
                Index = workloadIndex++,
                Created = Objects.CreatedAgo(r, 30, 400),
                ServiceType = w.Kind == "DaemonSet" ? null : w.Name == "ingress-nginx-controller" ? "LoadBalancer" : "ClusterIP",
                Hash = w.Kind == "Deployment" ? r.KubeSuffix(10) : null,
            });
        }

        void AddApp(NamespacePlan ns, WorkloadKind kind, int pods, SyntheticRandom r, HashSet<string> names, ref bool sharedSaAdded, string sharedSa)
        {
            var baseName = kind == WorkloadKind.CronJob || kind == WorkloadKind.Job
                ? $"{r.Pick(SyntheticObjects.Apps)}-{r.Pick(new[] { "cleanup", "report", "backup", "sync", "rotate", "migrate", "export" })}"
                : r.Pick(SyntheticObjects.Apps);
            if (kind == WorkloadKind.BarePod) baseName = r.Pick(new[] { "debug", "netshoot", "tmp-shell", "curl-test", "psql-client" });
            var name = baseName;
            for (var n = 2; !names.Add(name); n++) name = $"{baseName}-{n}";

            var saRoll = r.NextDouble();
            string sa;
            if (kind == WorkloadKind.BarePod || saRoll < 0.1) sa = "default";
            else if (saRoll < 0.25)
            {
                sa = sharedSa;
                if (!sharedSaAdded) ns.ServiceAccounts.Add(new ServiceAccountPlan { Name = sharedSa, Namespace = ns.Name });
                sharedSaAdded = true;
            }
            else
            {
                sa = name;
                ns.ServiceAccounts.Add(new ServiceAccountPlan { Name = sa, Namespace = ns.Name, Dedicated = true, Automount = r.Chance(0.3) ? false : null });
            }
            var job = kind is WorkloadKind.Job or WorkloadKind.CronJob;
            var profile = Objects.RandomProfile(ns.Name, name, ns.Team, sa, r.Fork("profile"), job, kind == WorkloadKind.StatefulSet);
            var service = kind is WorkloadKind.Deployment or WorkloadKind.StatefulSet && profile.Port > 0
                ? r.PickWeighted([90, 4, 2, 4]) switch { 0 => "ClusterIP", 1 => "LoadBalancer", 2 => "NodePort", _ => null }
                : null;
            ns.Workloads.Add(new WorkloadPlan
            {
                Kind = kind,
                Namespace = ns.Name,
                Name = name,
                Pods = pods,
                Profile = profile,
                ServiceAccount = sa,
                Index = workloadIndex++,
                Created = Objects.CreatedAgo(r, 1, 300),
                ServiceType = service,
                Ingress = service is not null && kind == WorkloadKind.Deployment && r.Chance(0.06),
                IngressTls = r.Chance(0.7),
                Hash = kind == WorkloadKind.Deployment ? r.KubeSuffix(10) : null,
                OldReplicaSet = kind == WorkloadKind.Deployment && r.Chance(0.4),
                Schedule = kind == WorkloadKind.CronJob ? r.Pick(new[] { "0 * * * *", "*/15 * * * *", "0 2 * * *", "30 4 * * 0", "*/5 * * * *" }) : null,
            });
        }
    }

    private static readonly string[] HumanRoles = ["platform-admin", "break-glass-admin", "developer", "readonly", "ci-deployer", "security-auditor"];
    private static readonly (string Name, string Namespace, string ServiceAccount, string Policy)[] AddOnRoles =
    [
        ("AmazonEKS_EBS_CSI_DriverRole", "kube-system", "ebs-csi-controller-sa", "AmazonEBSCSIDriverPolicy"),
        ("AmazonEKSVPCCNIRole", "kube-system", "aws-node", "AmazonEKS_CNI_Policy"),
        ("AmazonEKSLoadBalancerControllerRole", "kube-system", "aws-load-balancer-controller", "AWSLoadBalancerControllerIAMPolicy"),
        ("cluster-autoscaler", "kube-system", "cluster-autoscaler", "ClusterAutoscalerPolicy"),
        ("external-secrets", "external-secrets", "external-secrets", "SecretsManagerReadWrite"),
        ("cloudwatch-agent", "amazon-cloudwatch", "cloudwatch-agent", "CloudWatchAgentServerPolicy"),
        ("KarpenterControllerRole", "kube-system", "karpenter", "KarpenterControllerPolicy"),
    ];

    private void PlanIamRoles()
    {
        var rng = Objects.Random("plan/iam");
        var plans = new List<IamRolePlan> { new() { Name = $"{Options.ClusterName}-cluster-role", Kind = IamRoleKind.Cluster } };
        plans.AddRange(_nodeRoleNames.Select(n => new IamRolePlan { Name = n, Kind = IamRoleKind.Node }));
        if (_karpenterNodeRole is not null) plans.Add(new IamRolePlan { Name = _karpenterNodeRole, Kind = IamRoleKind.Node });
        plans.AddRange(HumanRoles.Select(h => new IamRolePlan { Name = h, Kind = IamRoleKind.Human }));
        foreach (var a in AddOnRoles)
            plans.Add(new IamRolePlan { Name = a.Name, Kind = IamRoleKind.AddOn, Namespace = a.Namespace, ServiceAccount = a.ServiceAccount });
        if (plans.Count > Options.IamRoles) plans = plans.Take(Options.IamRoles).ToList();

        var remaining = Options.IamRoles - plans.Count;
        var podIdentity = (int)Math.Round(remaining * 0.04);
        var irsa = remaining - podIdentity;
        var candidates = _namespaces.Where(n => n.Kind == NamespaceKind.Application)
            .SelectMany(n => n.ServiceAccounts.Where(s => s.Dedicated))
            .OrderBy(_ => rng.NextUInt64())
            .ToList();
        var next = 0;
        var names = new HashSet<string>(plans.Select(p => p.Name), StringComparer.Ordinal);
        string Unique(string name)
        {
            name = name.Length > 60 ? name[..60] : name;
            var candidate = name;
            for (var n = 2; !names.Add(candidate); n++) candidate = $"{name}-{n}";
            return candidate;
        }
        for (var i = 0; i < podIdentity; i++)
        {
            var sa = next < candidates.Count ? candidates[next++] : null;
            var team = sa is null ? rng.Pick(SyntheticObjects.Teams) : _namespaceByName[sa.Namespace].Team;
            plans.Add(new IamRolePlan { Name = Unique($"{team}-{sa?.Name ?? "app"}-pod-identity"), Kind = IamRoleKind.PodIdentity, Index = i, Namespace = sa?.Namespace, ServiceAccount = sa?.Name, Team = team });
            if (sa is not null) sa.PodIdentity = true;
        }
        for (var i = 0; i < irsa; i++)
        {
            var sa = next < candidates.Count ? candidates[next++] : null;
            var team = sa is null ? rng.Pick(SyntheticObjects.Teams) : _namespaceByName[sa.Namespace].Team;
            var trust = (IrsaTrustVariant)rng.PickWeighted([85, 6, 6, 3]);
            plans.Add(new IamRolePlan
            {
                Name = Unique(sa is null ? $"{team}-{rng.Pick(SyntheticObjects.Apps)}-irsa" : $"{sa.Namespace}-{sa.Name}"),
                Kind = IamRoleKind.Irsa, Index = i, Namespace = sa?.Namespace, ServiceAccount = sa?.Name, Team = team, Trust = trust,
                Path = rng.Chance(0.1) ? "/workloads/" : "/",
            });
        }
        _roles.AddRange(plans);

        // Annotate service accounts: IRSA roles, a few shared across namespaces, a few dangling.
        var saByKey = _namespaces.SelectMany(n => n.ServiceAccounts).ToDictionary(s => (s.Namespace, s.Name));
        foreach (var role in _roles.Where(r => r.Kind is IamRoleKind.Irsa or IamRoleKind.AddOn && r.ServiceAccount is not null))
        {
            if (role.Kind == IamRoleKind.AddOn && role.ServiceAccount == "karpenter") continue; // Pod Identity
            if (saByKey.TryGetValue((role.Namespace!, role.ServiceAccount!), out var sa)) sa.RoleArn = Objects.RoleArn(role.Name, role.Path);
        }
        var unannotated = candidates.Skip(next).ToList();
        var shared = 0;
        foreach (var role in _roles.Where(r => r.Kind == IamRoleKind.Irsa && r.ServiceAccount is not null))
        {
            if (shared >= unannotated.Count || !rng.Chance(0.05)) continue;
            unannotated[shared++].RoleArn = Objects.RoleArn(role.Name, role.Path);
        }
        foreach (var sa in unannotated.Skip(shared))
            if (rng.Chance(0.01)) sa.RoleArn = Objects.RoleArn($"{sa.Namespace}-{sa.Name}-deleted");

        foreach (var ns in _namespaces)
        {
            var byName = ns.ServiceAccounts.ToDictionary(s => s.Name);
            foreach (var w in ns.Workloads)
                if (byName.TryGetValue(w.ServiceAccount, out var sa)) w.IrsaRoleArn = sa.RoleArn;
        }
    }

    private void PlanRbac()
    {
        var defaults = DefaultClusterRoleBindingCount();
        _clusterRoleBindings = Math.Min(Options.RbacBindings, Math.Max(Math.Min(defaults, Options.RbacBindings / 2), (int)Math.Round(Options.RbacBindings * 0.03)));
        _customClusterRoles = Math.Max(10, _clusterRoleBindings / 4);
        var roleBindings = Options.RbacBindings - _clusterRoleBindings;
        var targets = _namespaces.Where(n => n.Kind != NamespaceKind.System || n.Name == "kube-system").ToList();
        var weights = targets.Select(n => n.Kind == NamespaceKind.Application ? 2.0 + Math.Sqrt(n.PodBudget) : 1.0).ToArray();
        var counts = Apportion(roleBindings, weights);
        for (var i = 0; i < targets.Count; i++)
        {
            targets[i].RoleBindings = counts[i];
            targets[i].Roles = targets[i].Kind == NamespaceKind.Application ? Math.Clamp(counts[i] / 6, 1, 6) : 2;
        }
    }

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/> (largest remainder): the parts add up exactly.</summary>
    internal static int[] Apportion(int total, IReadOnlyList<double> weights)
    {
        var result = new int[weights.Count];
        if (weights.Count == 0 || total <= 0) return result;
        var sum = weights.Sum();
        var remainders = new (double Fraction, int Index)[weights.Count];
        var assigned = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = total * weights[i] / sum;
            result[i] = (int)Math.Floor(exact);
            assigned += result[i];
            remainders[i] = (exact - result[i], i);
        }
        foreach (var (_, i) in remainders.OrderByDescending(r => r.Fraction).ThenBy(r => r.Index).Take(total - assigned)) result[i]++;
        return result;
    }
}
