using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer;
using EksSecurity.AwsTestServer.Protocols;
using EksSecurity.Engine.Aws;
using EksSecurity.Engine.Aws.Collection;
using EksSecurity.Engine.Snapshot;
using TestServer = EksSecurity.AwsTestServer.AwsTestServer;

namespace EksSecurity.Benchmarks;

/// <summary>
/// --aws: the AWS half of collection at scale, against the loopback AWS test server.
///
/// dotnet run -c Release --project tests/EksSecurity.Benchmarks -- --aws [--clusters 50] [--roles 1000]
///     [--throttle-every 7] [--throttle-limit 8] [--out DIR]
///
/// Generates a scenario of N clusters whose Pod Identity associations and access entries reference
/// M IRSA-style roles (a platform set every cluster uses, the rest per cluster) with shared managed
/// policies, throttles every k-th call of each action, and collects every cluster (Kubernetes off)
/// twice: as the cmdlets do today (one collector per cluster, so the IAM cache lives for one cluster)
/// and with one collector for all clusters (what a cross-cluster cache would save). Reports calls per
/// action, throttles and retries, wall time, whether each role and policy was fetched once per
/// collection, and whether any call failed. Writes DIR/aws-results.json. Asserts nothing about time.
/// </summary>
public static class AwsBench
{
    private const string Region = "eu-west-1";
    private const string Account = "111122223333";
    private const string Key = "AKIABENCHSCANNER0001";
    private const string Secret = "bench/Scanner+Secret/EXAMPLE000000000000001";
    private const int PlatformRoles = 50;
    private const int PlatformRolesPerCluster = 10;
    private const int SharedPolicies = 40;

    private static readonly string[] ThrottleCodes = ["ThrottlingException", "Throttling", "RequestLimitExceeded"];

    public static int Run(string[] args)
    {
        var clusters = 50;
        var roles = 1000;
        var throttleEvery = 7;
        var throttleLimit = 8;
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new ArgumentException($"{args[i - 1]} takes a number.");
            switch (args[i])
            {
                case "--aws": break;
                case "--clusters": clusters = Math.Max(1, Number()); break;
                case "--roles": roles = Math.Max(PlatformRoles + 1, Number()); break;
                case "--throttle-every": throttleEvery = Number(); break;
                case "--throttle-limit": throttleLimit = Math.Max(1, Number()); break;
                case "--out": output = Value(); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}' for --aws.");
            }
        }
        output = Path.GetFullPath(output ?? Path.Combine(ModelSources.FindRepository(AppContext.BaseDirectory) ?? ModelSources.FindRepository(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory(), "out", "bench"));
        Directory.CreateDirectory(output);

        Console.WriteLine($"EksSecurity AWS collection benchmark: {clusters} clusters, {roles} IRSA-style roles, every {throttleEvery}th call of each action throttled, ThrottleLimit {throttleLimit}");
        var scenario = Generate(clusters, roles);
        var scenarioPath = Path.Combine(output, "aws-scenario.json");
        File.WriteAllText(scenarioPath, scenario.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        Console.WriteLine($"scenario: {scenarioPath} ({new FileInfo(scenarioPath).Length / 1024.0 / 1024.0:F1} MiB)");

        var names = Enumerable.Range(1, clusters).Select(ClusterName).ToList();
        var passes = new List<AwsPass>
        {
            RunPass("per-cluster collector (as the cmdlets run)", scenarioPath, names, throttleEvery, throttleLimit, sharedCollector: false),
            RunPass("one collector for all clusters (cross-cluster cache)", scenarioPath, names, throttleEvery, throttleLimit, sharedCollector: true),
        };

        var results = new AwsBenchResults
        {
            StartedAt = DateTimeOffset.UtcNow,
            Clusters = clusters,
            Roles = roles,
            ThrottleEveryNth = throttleEvery,
            ThrottleLimit = throttleLimit,
            ScenarioPath = scenarioPath,
            Passes = passes,
        };
        var perCluster = passes[0];
        var shared = passes[1];
        results.CrossClusterCacheSaves = new Dictionary<string, long>
        {
            ["iamCalls"] = perCluster.IamCalls - shared.IamCalls,
            ["totalCalls"] = perCluster.TotalCalls - shared.TotalCalls,
            ["wallMilliseconds"] = (long)(perCluster.WallSeconds * 1000 - shared.WallSeconds * 1000),
        };
        Print(results);
        var path = Path.Combine(output, "aws-results.json");
        File.WriteAllText(path, JsonSerializer.Serialize(results, BenchJson.Options));
        Console.WriteLine($"results: {path}");
        return 0;
    }

    private static AwsPass RunPass(string name, string scenarioPath, IReadOnlyList<string> clusters, int throttleEvery, int throttleLimit, bool sharedCollector)
    {
        Console.WriteLine($"pass: {name} ...");
        using var server = TestServer.FromFile(scenarioPath);
        if (throttleEvery > 0)
            foreach (var (service, operations) in AwsModels.ImplementedOperations)
                foreach (var operation in operations)
                    server.Scenario.AddFault(new FaultRule { Action = $"{service}:{operation}", Kind = "throttle", EveryNth = throttleEvery });
        server.Start();
        var access = AwsCredentialResolver.Resolve(new AwsAccessRequest
        {
            AccessKey = Key,
            SecretKey = Secret,
            Region = Region,
            EndpointUrl = server.BaseUri.ToString(),
            ThrottleLimit = throttleLimit,
        });

        var pass = new AwsPass { Name = name, SharedCollector = sharedCollector };
        var roleFetches = new Dictionary<string, int>(StringComparer.Ordinal);
        var policyFetches = new Dictionary<string, int>(StringComparer.Ordinal);
        var sharedHttp = sharedCollector ? new AwsHttpClient(access) : null;
        var shared = sharedHttp is null ? null : new AwsCollector(sharedHttp);
        var wall = Stopwatch.StartNew();
        try
        {
            foreach (var cluster in clusters)
            {
                var before = server.RequestLog.Count;
                var snapshot = new ClusterSnapshot { ClusterName = cluster };
                var clock = Stopwatch.StartNew();
                // As SecurityEngine.CollectAsync runs it with Kubernetes off: the AWS half, then what depends on both.
                if (shared is not null)
                {
                    shared.CollectAsync(snapshot, cluster, CancellationToken.None).GetAwaiter().GetResult();
                    shared.CollectDependentAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult();
                }
                else
                {
                    using var http = new AwsHttpClient(access);
                    var collector = new AwsCollector(http);
                    collector.CollectAsync(snapshot, cluster, CancellationToken.None).GetAwaiter().GetResult();
                    collector.CollectDependentAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult();
                    pass.OwnClientRetries += http.Retries;
                }
                clock.Stop();
                var calls = server.RequestLog.Skip(before).ToList();
                var run = new AwsClusterRun
                {
                    Cluster = cluster,
                    Milliseconds = clock.Elapsed.TotalMilliseconds,
                    Calls = calls.Count,
                    Throttled = calls.Count(e => ThrottleCodes.Contains(e.ErrorCode)),
                    Roles = snapshot.Aws.IamRoles?.Count ?? 0,
                    MaxGetRolePerRole = MaxPer(calls, "iam:GetRole"),
                    MaxGetPolicyVersionPerPolicy = MaxPer(calls, "iam:GetPolicyVersion"),
                    SectionsNotCollected = Enum.GetValues<SnapshotSection>().Where(ClusterSnapshot.IsAwsSection).Select(snapshot.DescribeSection)
                        .Where(s => s.Status is SectionStatus.Denied or SectionStatus.Failed).Select(s => s.Describe()).ToList(),
                };
                foreach (var e in calls.Where(e => e.Action == "iam:GetRole" && e.Status == 200)) roleFetches[e.Resource!] = roleFetches.GetValueOrDefault(e.Resource!) + 1;
                foreach (var e in calls.Where(e => e.Action == "iam:GetPolicyVersion" && e.Status == 200)) policyFetches[e.Resource!] = policyFetches.GetValueOrDefault(e.Resource!) + 1;
                pass.ClusterRuns.Add(run);
            }
        }
        finally
        {
            wall.Stop();
            sharedHttp?.Dispose();
        }
        if (sharedHttp is not null) pass.OwnClientRetries = sharedHttp.Retries;

        var log = server.RequestLog;
        pass.WallSeconds = wall.Elapsed.TotalSeconds;
        pass.TotalCalls = log.Count;
        pass.IamCalls = log.Count(e => e.Service == "iam");
        pass.Throttled = log.Count(e => ThrottleCodes.Contains(e.ErrorCode));
        // Every throttled request was sent again (by our client or the SDK's), so retries = throttles.
        pass.Retries = pass.Throttled;
        pass.OtherErrors = log.Where(e => e.Status != 200 && !ThrottleCodes.Contains(e.ErrorCode))
            .GroupBy(e => $"{e.Action} {e.ErrorCode}").ToDictionary(g => g.Key, g => g.Count());
        pass.CallsByAction = log.GroupBy(e => e.Action).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new AwsActionCount { Calls = g.Count(), Throttled = g.Count(e => ThrottleCodes.Contains(e.ErrorCode)) });
        pass.DistinctRolesFetched = roleFetches.Count;
        pass.RoleFetches = roleFetches.Values.Sum();
        pass.RolesFetchedMoreThanOnceOverall = roleFetches.Count(kv => kv.Value > 1);
        pass.DistinctPoliciesFetched = policyFetches.Count;
        pass.PolicyFetches = policyFetches.Values.Sum();
        pass.EachRoleOncePerCollection = pass.ClusterRuns.All(r => r.MaxGetRolePerRole <= 1) && (!sharedCollector || pass.RolesFetchedMoreThanOnceOverall == 0);
        pass.EachPolicyOncePerCollection = pass.ClusterRuns.All(r => r.MaxGetPolicyVersionPerPolicy <= 1) && (!sharedCollector || policyFetches.Values.All(v => v == 1));
        pass.FailedSections = pass.ClusterRuns.Sum(r => r.SectionsNotCollected.Count);
        pass.NoCallFailedForThrottling = pass.FailedSections == 0 && ThrottledActionsAllSucceeded(log);
        Console.WriteLine($"  {pass.WallSeconds:F1} s, {pass.TotalCalls:N0} calls ({pass.IamCalls:N0} IAM), {pass.Throttled:N0} throttled and retried, failed sections {pass.FailedSections}");
        return pass;
    }

    /// <summary>The most times one resource was fetched with <paramref name="action"/> within these calls.</summary>
    private static int MaxPer(List<RequestLogEntry> calls, string action) =>
        calls.Where(e => e.Action == action && e.Status == 200).GroupBy(e => e.Resource).Select(g => g.Count()).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Each throttled answer was followed, for the same action and resource, by a real answer (a 200, or the
    /// service's own verdict such as GetLoginProfile's NoSuchEntity): nobody gave up on a throttle.
    /// </summary>
    private static bool ThrottledActionsAllSucceeded(IReadOnlyList<RequestLogEntry> log)
    {
        var pending = new HashSet<(string, string?)>();
        foreach (var e in log)
        {
            var key = (e.Action, e.Resource);
            if (ThrottleCodes.Contains(e.ErrorCode)) pending.Add(key);
            else pending.Remove(key);
        }
        return pending.Count == 0;
    }

    private static void Print(AwsBenchResults r)
    {
        Console.WriteLine();
        var a = r.Passes[0];
        var b = r.Passes[1];
        Console.WriteLine($"{"calls by action",-38}{"per-cluster",12}{"throttled",10}{"shared",10}{"throttled",10}");
        foreach (var action in a.CallsByAction.Keys.Union(b.CallsByAction.Keys))
        {
            var x = a.CallsByAction.GetValueOrDefault(action) ?? new AwsActionCount();
            var y = b.CallsByAction.GetValueOrDefault(action) ?? new AwsActionCount();
            Console.WriteLine($"{action,-38}{x.Calls,12:N0}{x.Throttled,10:N0}{y.Calls,10:N0}{y.Throttled,10:N0}");
        }
        Console.WriteLine();
        Console.WriteLine($"{"",-44}{"per-cluster",14}{"shared",14}");
        void Row(string label, string x, string y) => Console.WriteLine($"{label,-44}{x,14}{y,14}");
        Row("wall time (s)", a.WallSeconds.ToString("F2", CultureInfo.InvariantCulture), b.WallSeconds.ToString("F2", CultureInfo.InvariantCulture));
        Row("API calls (all / IAM)", $"{a.TotalCalls:N0} / {a.IamCalls:N0}", $"{b.TotalCalls:N0} / {b.IamCalls:N0}");
        Row("throttled = retried", a.Throttled.ToString("N0", CultureInfo.InvariantCulture), b.Throttled.ToString("N0", CultureInfo.InvariantCulture));
        Row("  of which our client's (EKS, IAM)", a.OwnClientRetries.ToString("N0", CultureInfo.InvariantCulture), b.OwnClientRetries.ToString("N0", CultureInfo.InvariantCulture));
        Row("GetRole calls / distinct roles", $"{a.RoleFetches:N0} / {a.DistinctRolesFetched:N0}", $"{b.RoleFetches:N0} / {b.DistinctRolesFetched:N0}");
        Row("GetPolicyVersion calls / distinct", $"{a.PolicyFetches:N0} / {a.DistinctPoliciesFetched:N0}", $"{b.PolicyFetches:N0} / {b.DistinctPoliciesFetched:N0}");
        Row("each role fetched once per collection", Yes(a.EachRoleOncePerCollection), Yes(b.EachRoleOncePerCollection));
        Row("each policy fetched once per collection", Yes(a.EachPolicyOncePerCollection), Yes(b.EachPolicyOncePerCollection));
        Row("roles fetched again by a later cluster", a.RolesFetchedMoreThanOnceOverall.ToString("N0", CultureInfo.InvariantCulture), b.RolesFetchedMoreThanOnceOverall.ToString("N0", CultureInfo.InvariantCulture));
        Row("failed or denied sections", a.FailedSections.ToString(CultureInfo.InvariantCulture), b.FailedSections.ToString(CultureInfo.InvariantCulture));
        Row("no call failed for throttling", Yes(a.NoCallFailedForThrottling), Yes(b.NoCallFailedForThrottling));
        Row("answers other than 200 or a throttle", a.OtherErrors.Values.Sum().ToString("N0", CultureInfo.InvariantCulture), b.OtherErrors.Values.Sum().ToString("N0", CultureInfo.InvariantCulture));
        foreach (var kind in a.OtherErrors.Keys.Union(b.OtherErrors.Keys))
            Row($"  {kind}", a.OtherErrors.GetValueOrDefault(kind).ToString("N0", CultureInfo.InvariantCulture), b.OtherErrors.GetValueOrDefault(kind).ToString("N0", CultureInfo.InvariantCulture));
        Console.WriteLine();
        Console.WriteLine($"A cross-cluster IAM cache would save {r.CrossClusterCacheSaves["iamCalls"]:N0} IAM calls " +
                          $"({100.0 * r.CrossClusterCacheSaves["iamCalls"] / Math.Max(1, a.IamCalls):F0}% of IAM, {100.0 * r.CrossClusterCacheSaves["totalCalls"] / Math.Max(1, a.TotalCalls):F0}% of all calls) " +
                          $"and {r.CrossClusterCacheSaves["wallMilliseconds"] / 1000.0:F1} s on this loopback server.");
    }

    private static string Yes(bool value) => value ? "yes" : "NO";

    // ------------------------------------------------------------------ scenario

    private static string ClusterName(int i) => $"c{i:000}";

    private static JsonNode Doc(params JsonObject[] statements) => new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statements) };

    private static JsonObject Allow(string[] actions, string resource = "*") => new()
    {
        ["Effect"] = "Allow",
        ["Action"] = new JsonArray([.. actions.Select(a => (JsonNode)JsonValue.Create(a))]),
        ["Resource"] = resource,
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static string RoleArn(string name) => $"arn:aws:iam::{Account}:role/{name}";

    /// <summary>
    /// N clusters; roles 0..49 are platform roles (external-dns, cert-manager, …), each cluster using 10
    /// of them through Pod Identity; the other roles are the clusters' own workload roles, split evenly.
    /// Every role attaches two of 40 shared customer-managed policies and has an inline policy.
    /// </summary>
    internal static JsonObject Generate(int clusterCount, int roleCount)
    {
        var iamRoles = new JsonArray();
        var policies = new JsonArray();
        for (var p = 0; p < SharedPolicies; p++)
        {
            var arn = $"arn:aws:iam::{Account}:policy/shared-{p:00}";
            policies.Add(new JsonObject
            {
                ["PolicyName"] = $"shared-{p:00}", ["Arn"] = arn, ["PolicyId"] = $"ANPABENCH{p:0000000000}", ["Path"] = "/",
                ["DefaultVersionId"] = "v1", ["AttachmentCount"] = 0, ["CreateDate"] = "2025-01-01T00:00:00Z",
                ["PolicyVersionList"] = new JsonArray(new JsonObject
                {
                    ["VersionId"] = "v1", ["IsDefaultVersion"] = true, ["CreateDate"] = "2025-01-01T00:00:00Z",
                    ["Document"] = Doc(Allow(["s3:GetObject", "s3:ListBucket"], $"arn:aws:s3:::bucket-{p:00}/*")),
                }),
            });
        }
        var roleId = 0;
        JsonObject Role(string name, string trustService, params string[] attached) => new()
        {
            ["RoleName"] = name, ["RoleId"] = $"AROABENCH{++roleId:00000000000}",
            ["Path"] = "/", ["Arn"] = RoleArn(name), ["CreateDate"] = "2025-01-01T00:00:00Z", ["MaxSessionDuration"] = 3600,
            ["AssumeRolePolicyDocument"] = Doc(new JsonObject
            {
                ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["Service"] = trustService }, ["Action"] = Strings(["sts:AssumeRole", "sts:TagSession"]),
            }),
            ["AttachedManagedPolicies"] = Strings(attached),
            ["RolePolicyList"] = new JsonArray(new JsonObject { ["PolicyName"] = "inline", ["PolicyDocument"] = Doc(Allow(["sqs:SendMessage"], $"arn:aws:sqs:{Region}:{Account}:{name}")) }),
        };
        string Shared(int i) => $"arn:aws:iam::{Account}:policy/shared-{i % SharedPolicies:00}";
        for (var r = 0; r < roleCount; r++)
            iamRoles.Add(Role($"irsa-{r:0000}", "pods.eks.amazonaws.com", Shared(r), Shared(r * 7 + 3)));
        iamRoles.Add(Role("eks-cluster-role", "eks.amazonaws.com", "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"));
        for (var n = 0; n < 5; n++)
            iamRoles.Add(Role($"eks-node-role-{n}", "ec2.amazonaws.com", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"));
        iamRoles.Add(Role("platform-admins", "ec2.amazonaws.com"));
        iamRoles.Add(Role("ci-deployer", "codebuild.amazonaws.com", Shared(1)));

        var managed = new JsonArray();
        foreach (var name in new[] { "AmazonEKSClusterPolicy", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy" })
            managed.Add(new JsonObject
            {
                ["PolicyName"] = name, ["Arn"] = $"arn:aws:iam::aws:policy/{name}", ["Path"] = "/", ["DefaultVersionId"] = "v1", ["CreateDate"] = "2018-05-27T00:00:00Z",
                ["PolicyVersionList"] = new JsonArray(new JsonObject { ["VersionId"] = "v1", ["IsDefaultVersion"] = true, ["Document"] = Doc(Allow(["ec2:DescribeInstances"])) }),
            });

        var ownRoles = roleCount - PlatformRoles;
        var clusters = new JsonArray();
        var instances = new JsonArray();
        var groups = new JsonArray();
        var subnets = new JsonArray();
        var templates = new JsonArray();
        var keys = new JsonArray();
        for (var c = 1; c <= clusterCount; c++)
        {
            var name = ClusterName(c);
            var keyId = $"00000000-0000-4000-8000-{c:000000000000}";
            var nodeRole = RoleArn($"eks-node-role-{c % 5}");
            var subnetIds = new[] { $"subnet-{c:000}a", $"subnet-{c:000}b" };
            var sg = $"sg-{c:000}cluster";
            var nodegroups = new JsonArray();
            for (var g = 1; g <= 3; g++)
            {
                var lt = $"lt-{c:000}{g:00}0000000000";
                nodegroups.Add(new JsonObject
                {
                    ["nodegroupName"] = $"ng-{g}", ["clusterName"] = name, ["version"] = "1.33", ["releaseVersion"] = "1.33.4-20250904", ["status"] = "ACTIVE",
                    ["amiType"] = "AL2023_x86_64_STANDARD", ["capacityType"] = "ON_DEMAND", ["instanceTypes"] = Strings(["m6i.large"]),
                    ["nodeRole"] = nodeRole, ["subnets"] = Strings(subnetIds), ["scalingConfig"] = new JsonObject { ["minSize"] = 1, ["maxSize"] = 5, ["desiredSize"] = 2 },
                    ["launchTemplate"] = new JsonObject { ["name"] = $"{name}-ng-{g}", ["version"] = "1", ["id"] = lt },
                    ["createdAt"] = "2025-06-01T00:00:00Z",
                });
                templates.Add(new JsonObject
                {
                    ["LaunchTemplateId"] = lt, ["LaunchTemplateName"] = $"{name}-ng-{g}", ["DefaultVersionNumber"] = 1, ["LatestVersionNumber"] = 1,
                    ["Versions"] = new JsonArray(new JsonObject
                    {
                        ["VersionNumber"] = 1, ["CreateTime"] = "2025-06-01T00:00:00Z",
                        ["LaunchTemplateData"] = new JsonObject { ["MetadataOptions"] = new JsonObject { ["HttpTokens"] = "required", ["HttpPutResponseHopLimit"] = 1 } },
                    }),
                });
            }
            // Pod Identity: 10 platform roles (shared by every cluster) and this cluster's own workload roles.
            var associations = new JsonArray();
            var perCluster = ownRoles / clusterCount + (c - 1 < ownRoles % clusterCount ? 1 : 0);
            var firstOwn = PlatformRoles + (c - 1) * (ownRoles / clusterCount) + Math.Min(c - 1, ownRoles % clusterCount);
            var roleIndexes = Enumerable.Range(0, PlatformRolesPerCluster).Select(k => (c * 3 + k) % PlatformRoles)
                .Concat(Enumerable.Range(firstOwn, perCluster)).ToList();
            foreach (var (r, k) in roleIndexes.Select((r, k) => (r, k)))
                associations.Add(new JsonObject
                {
                    ["associationId"] = $"a-{c:000}{k:0000}0000000", ["namespace"] = $"ns-{k % 8}", ["serviceAccount"] = $"sa-{k}",
                    ["roleArn"] = RoleArn($"irsa-{r:0000}"), ["clusterName"] = name, ["createdAt"] = "2025-06-01T00:00:00Z",
                });
            var entries = new JsonArray
            {
                Entry(name, RoleArn("platform-admins"), "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"),
                Entry(name, RoleArn("ci-deployer"), "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"),
                Entry(name, RoleArn($"irsa-{(c * 3) % PlatformRoles:0000}"), "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"),
                Entry(name, $"arn:aws:iam::{Account}:user/oncall", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"),
            };
            clusters.Add(new JsonObject
            {
                ["name"] = name, ["arn"] = $"arn:aws:eks:{Region}:{Account}:cluster/{name}", ["version"] = "1.33", ["platformVersion"] = "eks.9", ["status"] = "ACTIVE",
                ["createdAt"] = "2025-06-01T00:00:00Z", ["endpoint"] = $"https://{c:X8}.gr7.{Region}.eks.amazonaws.com",
                ["roleArn"] = RoleArn("eks-cluster-role"),
                ["resourcesVpcConfig"] = new JsonObject
                {
                    ["subnetIds"] = Strings(subnetIds), ["securityGroupIds"] = new JsonArray(), ["clusterSecurityGroupId"] = sg, ["vpcId"] = $"vpc-{c:000}",
                    ["endpointPublicAccess"] = c % 2 == 0, ["endpointPrivateAccess"] = true, ["publicAccessCidrs"] = Strings(["10.0.0.0/8"]),
                },
                ["identity"] = new JsonObject { ["oidc"] = new JsonObject { ["issuer"] = $"https://oidc.eks.{Region}.amazonaws.com/id/BENCH{c:000000000000000000000000000}" } },
                ["encryptionConfig"] = new JsonArray(new JsonObject
                {
                    ["resources"] = Strings(["secrets"]), ["provider"] = new JsonObject { ["keyArn"] = $"arn:aws:kms:{Region}:{Account}:key/{keyId}" },
                }),
                ["accessConfig"] = new JsonObject { ["authenticationMode"] = "API" },
                ["nodegroups"] = nodegroups,
                ["addons"] = new JsonArray(
                    new JsonObject { ["addonName"] = "vpc-cni", ["addonVersion"] = "v1.20.1-eksbuild.3", ["status"] = "ACTIVE", ["serviceAccountRoleArn"] = RoleArn($"irsa-{(c * 3 + 1) % PlatformRoles:0000}") },
                    new JsonObject { ["addonName"] = "coredns", ["addonVersion"] = "v1.12.2-eksbuild.4", ["status"] = "ACTIVE" },
                    new JsonObject { ["addonName"] = "kube-proxy", ["addonVersion"] = "v1.33.3-eksbuild.6", ["status"] = "ACTIVE" },
                    new JsonObject { ["addonName"] = "eks-pod-identity-agent", ["addonVersion"] = "v1.3.8-eksbuild.2", ["status"] = "ACTIVE" }),
                ["accessEntries"] = entries,
                ["podIdentityAssociations"] = associations,
            });
            for (var i = 1; i <= 2; i++)
                instances.Add(new JsonObject
                {
                    ["InstanceId"] = $"i-{c:000}{i:00}000000000", ["InstanceType"] = "m6i.large", ["State"] = new JsonObject { ["Code"] = 16, ["Name"] = "running" },
                    ["SubnetId"] = subnetIds[i - 1], ["VpcId"] = $"vpc-{c:000}", ["SecurityGroups"] = new JsonArray(new JsonObject { ["GroupId"] = sg }),
                    ["MetadataOptions"] = new JsonObject { ["HttpTokens"] = "required", ["HttpPutResponseHopLimit"] = 1 },
                    ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "aws:eks:cluster-name", ["Value"] = name }),
                });
            groups.Add(new JsonObject
            {
                ["GroupId"] = sg, ["GroupName"] = $"eks-cluster-sg-{name}", ["Description"] = "EKS created security group", ["VpcId"] = $"vpc-{c:000}",
                ["IpPermissions"] = new JsonArray(new JsonObject { ["IpProtocol"] = "-1", ["UserIdGroupPairs"] = new JsonArray(new JsonObject { ["GroupId"] = sg }) }),
            });
            foreach (var s in subnetIds)
                subnets.Add(new JsonObject { ["SubnetId"] = s, ["VpcId"] = $"vpc-{c:000}", ["CidrBlock"] = "10.0.0.0/24", ["MapPublicIpOnLaunch"] = false, ["State"] = "available" });
            keys.Add(new JsonObject
            {
                ["KeyMetadata"] = new JsonObject { ["KeyId"] = keyId, ["KeyState"] = "Enabled", ["KeyManager"] = "CUSTOMER", ["CreationDate"] = "2025-06-01T00:00:00Z" },
                ["KeyRotationEnabled"] = true,
            });
        }

        return new JsonObject
        {
            ["region"] = Region,
            ["credentials"] = new JsonArray(new JsonObject { ["accessKeyId"] = Key, ["secretAccessKey"] = Secret, ["arn"] = $"arn:aws:iam::{Account}:user/scanner" }),
            ["awsManagedPolicies"] = managed,
            ["eks"] = new JsonObject
            {
                ["clusterVersions"] = new JsonArray(new JsonObject { ["clusterVersion"] = "1.33", ["status"] = "STANDARD_SUPPORT", ["versionStatus"] = "STANDARD_SUPPORT", ["defaultVersion"] = true }),
                ["addonVersions"] = new JsonArray([.. new[] { "vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent" }.Select(a => (JsonNode)new JsonObject
                {
                    ["addonName"] = a,
                    ["addonVersions"] = new JsonArray(new JsonObject { ["addonVersion"] = "v1.0.0-eksbuild.1", ["compatibilities"] = new JsonArray(new JsonObject { ["clusterVersion"] = "1.33", ["defaultVersion"] = true }) }),
                })]),
            },
            ["ssm"] = new JsonObject
            {
                ["parameters"] = new JsonArray(new JsonObject { ["Name"] = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version", ["Value"] = "1.33.4-20250904" }),
            },
            ["accounts"] = new JsonObject
            {
                [Account] = new JsonObject
                {
                    ["eks"] = new JsonObject { ["clusters"] = clusters },
                    ["iam"] = new JsonObject
                    {
                        ["roles"] = iamRoles,
                        ["policies"] = policies,
                        ["users"] = new JsonArray(new JsonObject
                        {
                            ["UserName"] = "oncall", ["Arn"] = $"arn:aws:iam::{Account}:user/oncall", ["CreateDate"] = "2024-01-01T00:00:00Z",
                            ["MFADevices"] = new JsonArray(new JsonObject { ["SerialNumber"] = $"arn:aws:iam::{Account}:mfa/oncall", ["EnableDate"] = "2024-01-01T00:00:00Z" }),
                        }),
                        ["passwordPolicy"] = new JsonObject { ["MinimumPasswordLength"] = 14 },
                        ["accountSummary"] = new JsonObject { ["Users"] = 1 },
                    },
                    ["ec2"] = new JsonObject { ["instances"] = instances, ["securityGroups"] = groups, ["subnets"] = subnets, ["launchTemplates"] = templates, ["ebsEncryptionByDefault"] = true },
                    ["kms"] = new JsonObject { ["keys"] = keys },
                },
            },
        };
    }

    private static JsonObject Entry(string cluster, string principal, string policy) => new()
    {
        ["principalArn"] = principal, ["clusterName"] = cluster, ["type"] = "STANDARD", ["kubernetesGroups"] = new JsonArray(),
        ["createdAt"] = "2025-06-01T00:00:00Z",
        ["associatedAccessPolicies"] = new JsonArray(new JsonObject { ["policyArn"] = policy, ["accessScope"] = new JsonObject { ["type"] = "cluster" } }),
    };
}

public sealed class AwsBenchResults
{
    public DateTimeOffset StartedAt { get; set; }
    public int Clusters { get; set; }
    public int Roles { get; set; }
    public int ThrottleEveryNth { get; set; }
    public int ThrottleLimit { get; set; }
    public string? ScenarioPath { get; set; }
    public List<AwsPass> Passes { get; set; } = [];
    /// <summary>What one collector (and so one IAM cache) for every cluster saves over today's collector per cluster.</summary>
    public Dictionary<string, long> CrossClusterCacheSaves { get; set; } = [];
}

public sealed class AwsPass
{
    public string Name { get; set; } = "";
    public bool SharedCollector { get; set; }
    public double WallSeconds { get; set; }
    public long TotalCalls { get; set; }
    public long IamCalls { get; set; }
    public long Throttled { get; set; }
    public long Retries { get; set; }
    public long OwnClientRetries { get; set; }
    public Dictionary<string, int> OtherErrors { get; set; } = [];
    public Dictionary<string, AwsActionCount> CallsByAction { get; set; } = [];
    public int DistinctRolesFetched { get; set; }
    public int RoleFetches { get; set; }
    public int RolesFetchedMoreThanOnceOverall { get; set; }
    public int DistinctPoliciesFetched { get; set; }
    public int PolicyFetches { get; set; }
    public bool EachRoleOncePerCollection { get; set; }
    public bool EachPolicyOncePerCollection { get; set; }
    public int FailedSections { get; set; }
    public bool NoCallFailedForThrottling { get; set; }
    public List<AwsClusterRun> ClusterRuns { get; set; } = [];
}

public sealed class AwsActionCount
{
    public int Calls { get; set; }
    public int Throttled { get; set; }
}

public sealed class AwsClusterRun
{
    public string Cluster { get; set; } = "";
    public double Milliseconds { get; set; }
    public int Calls { get; set; }
    public int Throttled { get; set; }
    public int Roles { get; set; }
    public int MaxGetRolePerRole { get; set; }
    public int MaxGetPolicyVersionPerPolicy { get; set; }
    public List<string> SectionsNotCollected { get; set; } = [];
}
