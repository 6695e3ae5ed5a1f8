using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Api;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>The real kubectl against the demo snapshot: discovery, every kind, tables, errors, raw paths, metrics, auth, writes.</summary>
public sealed class KubectlTests : IClassFixture<DemoServerFixture>
{
    private readonly DemoServerFixture _f;

    public KubectlTests(DemoServerFixture fixture) => _f = fixture;

    /// <summary>Every resource the demo scenario serves (not the review APIs), as kubectl names it: plural.group.</summary>
    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        var scenario = DemoServerFixture.CreateScenario();
        scenario.Prepare();
        foreach (var t in scenario.Resources.OrderBy(t => t.GroupResource, StringComparer.Ordinal))
            data.Add(t.GroupResource);
        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GetEveryKindAsJson(string resource)
    {
        var type = _f.Scenario.Resources.Single(t => t.GroupResource == resource);
        var r = _f.Kubectl.Run("get", resource, "-A", "-o", "json").Ok();
        var list = r.Json;
        Assert.Equal("List", (string?)list["kind"]);
        var items = list["items"]!.AsArray();
        var names = new SortedSet<string>(items.Select(i => $"{(string?)i!["metadata"]!["namespace"] ?? ""}/{(string?)i["metadata"]!["name"]}"), StringComparer.Ordinal);
        Assert.Equal(_f.Names(type), names);
        Assert.All(items, i => Assert.Equal(type.Kind, (string?)i!["kind"]));
        Assert.All(items, i => Assert.Equal(type.GroupVersion, (string?)i!["apiVersion"]));
    }

    [Fact]
    public void EveryKindTheDemoNeedsIsServed()
    {
        var expected = new[]
        {
            "namespaces", "pods", "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch", "cronjobs.batch",
            "replicationcontrollers", "podtemplates", "serviceaccounts", "roles.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io",
            "rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io", "networkpolicies.networking.k8s.io", "configmaps", "secrets",
            "nodes", "services", "ingresses.networking.k8s.io", "storageclasses.storage.k8s.io", "persistentvolumes", "persistentvolumeclaims",
            "validatingwebhookconfigurations.admissionregistration.k8s.io", "mutatingwebhookconfigurations.admissionregistration.k8s.io",
            "securitygrouppolicies.vpcresources.k8s.aws", "resourcequotas", "limitranges", "priorityclasses.scheduling.k8s.io", "runtimeclasses.node.k8s.io",
            "apiservices.apiregistration.k8s.io", "nodes.metrics.k8s.io",
        };
        var served = _f.Scenario.Resources.Select(t => t.GroupResource).ToHashSet();
        var missing = expected.Where(e => !served.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "not served: " + string.Join(", ", missing));
    }

    [Fact]
    public void ApiResourcesListsEveryServedResource()
    {
        var r = _f.Kubectl.Run("api-resources", "-o", "name").Ok();
        var names = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        foreach (var t in _f.Scenario.Resources)
            Assert.Contains(t.GroupResource, names);
        Assert.Contains("selfsubjectaccessreviews.authorization.k8s.io", names);
    }

    [Fact]
    public void VersionShowsTheScenarioServerVersion()
    {
        var r = _f.Kubectl.Run("version", "-o", "json").Ok();
        var server = r.Json["serverVersion"]!;
        Assert.Equal(_f.Scenario.ServerVersion.GitVersion, (string?)server["gitVersion"]);
        Assert.Equal(_f.Scenario.ServerVersion.Major, (string?)server["major"]);
        Assert.Equal(_f.Scenario.ServerVersion.Minor, (string?)server["minor"]);
        Assert.Equal(_f.Scenario.ServerVersion.Platform, (string?)server["platform"]);
    }

    [Fact]
    public void DeniedTokenGetsTheRbacForbiddenMessage()
    {
        var r = _f.KubectlFor(Tokens.Viewer).Run("get", "secrets", "-n", "kube-system");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Error from server (Forbidden): secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\"", r.Stderr);
        var entry = _f.Server.RequestLog.Last(e => e.User == "viewer" && e.Path == "/api/v1/namespaces/kube-system/secrets");
        Assert.Equal(403, entry.Status);
        Assert.Equal("Forbidden", entry.Reason);
        // The same viewer may list other things.
        _f.KubectlFor(Tokens.Viewer).Run("get", "configmaps", "-n", "kube-system", "-o", "name").Ok();
    }

    [Fact]
    public void DeniedClusterScopeAndNamedGetMessages()
    {
        var viewer = _f.KubectlFor(Tokens.Viewer);
        var all = viewer.Run("get", "secrets", "-A");
        Assert.Contains("secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" at the cluster scope", all.Stderr);
        var node = _f.Names(ResourceCatalog.Nodes).First().TrimStart('/');
        var proxy = viewer.Run("get", "--raw", $"/api/v1/nodes/{node}/proxy/configz");
        Assert.NotEqual(0, proxy.ExitCode);
        Assert.Contains($"nodes \"{node}\" is forbidden: User \"viewer\" cannot get resource \"nodes/proxy\" in API group \"\" at the cluster scope", proxy.Stderr);
    }

    [Fact]
    public void BadTokenIsUnauthorized()
    {
        var r = _f.KubectlFor("not-a-token").Run("get", "pods", "-A");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("You must be logged in to the server", r.Stderr);
    }

    [Fact]
    public void RawConfigzReturnsTheKubeletConfig()
    {
        var node = _f.Names(ResourceCatalog.Nodes).First().TrimStart('/');
        var r = _f.Kubectl.Run("get", "--raw", $"/api/v1/nodes/{node}/proxy/configz").Ok();
        var config = r.Json["kubeletconfig"]!;
        Assert.False((bool)config["authentication"]!["anonymous"]!["enabled"]!);
        Assert.Equal("Webhook", (string?)config["authorization"]!["mode"]);
        Assert.NotNull(config["maxPods"]);
        var missing = _f.Kubectl.Run("get", "--raw", "/api/v1/nodes/no-such-node/proxy/configz");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("nodes \"no-such-node\" not found", missing.Stderr);
    }

    [Fact]
    public void PrintsServerSideTables()
    {
        var r = _f.Kubectl.Run("get", "pods", "-A").Ok();
        var header = r.Stdout.Split('\n')[0];
        Assert.Matches(@"^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s*$", header);
        foreach (var name in _f.Names(ResourceCatalog.Pods)) Assert.Contains(name.Split('/')[1], r.Stdout);
        var entry = _f.Server.RequestLog.Last(e => e.Path == "/api/v1/pods");
        Assert.Contains("as=Table", entry.Accept);

        var wide = _f.Kubectl.Run("get", "nodes", "-o", "wide").Ok();
        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME", wide.Stdout);
    }

    [Fact]
    public void SecretTablesAreMetadataOnlyButJsonIsSecretData()
    {
        var before = _f.Server.SecretDataRequests;
        var table = _f.Kubectl.Run("get", "secrets", "-A").Ok();
        Assert.Matches(@"^NAMESPACE\s+NAME\s+TYPE\s+DATA\s+AGE", table.Stdout);
        Assert.Equal(before, _f.Server.SecretDataRequests);
        var json = _f.Kubectl.Run("get", "secrets", "-A", "-o", "json").Ok();
        Assert.True(_f.Server.SecretDataRequests > before);
        Assert.All(json.Json["items"]!.AsArray(), s => Assert.NotNull(s!["data"]));
        Assert.True(_f.Server.RequestLog.Last(e => e.Path == "/api/v1/secrets").SecretData);
    }

    [Fact]
    public void LabelAndFieldSelectorsReachTheServer()
    {
        var pods = _f.Scenario.Store(ResourceCatalog.Pods)!.Enumerate().Cast<k8s.Models.V1Pod>().ToList();
        static string? App(k8s.Models.V1Pod p) => p.Metadata.Labels is { } l && l.TryGetValue("app", out var v) ? v : null;
        var app = pods.Select(App).First(a => a is not null)!;
        var r = _f.Kubectl.Run("get", "pods", "-A", "-l", $"app in ({app})", "-o", "json").Ok();
        Assert.Equal(pods.Count(p => App(p) == app), r.Json["items"]!.AsArray().Count);
        Assert.Equal($"app in ({app})", _f.Server.RequestLog.Last(e => e.Path == "/api/v1/pods").QueryValue("labelSelector"));

        var node = pods.First(p => p.Spec.NodeName is not null).Spec.NodeName;
        var f = _f.Kubectl.Run("get", "pods", "-A", "--field-selector", $"spec.nodeName={node}", "-o", "json").Ok();
        Assert.Equal(pods.Count(p => p.Spec.NodeName == node), f.Json["items"]!.AsArray().Count);

        var bad = _f.Kubectl.Run("get", "pods", "-A", "--field-selector", "spec.noSuchField=x");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("field label not supported: spec.noSuchField", bad.Stderr);
    }

    [Fact]
    public void GetOneObjectByName()
    {
        var ns = _f.Scenario.Store(ResourceCatalog.Namespaces)!.Enumerate().Select(ObjectAccess.Name).First();
        var r = _f.Kubectl.Run("get", "namespace", ns, "-o", "json").Ok();
        Assert.Equal("Namespace", (string?)r.Json["kind"]);
        Assert.Equal(ns, (string?)r.Json["metadata"]!["name"]);
        var missing = _f.Kubectl.Run("get", "pod", "no-such-pod", "-n", "default");
        Assert.Contains("Error from server (NotFound): pods \"no-such-pod\" not found", missing.Stderr);
    }

    [Fact]
    public void TopNodesUsesTheMetricsApi()
    {
        var r = _f.Kubectl.Run("top", "nodes").Ok();
        Assert.Matches(@"^NAME\s+CPU\(cores\)\s+CPU(%)?\s+MEMORY\(bytes\)", r.Stdout);
        foreach (var name in _f.Names(ResourceCatalog.Nodes)) Assert.Contains(name.TrimStart('/'), r.Stdout);
    }

    [Fact]
    public void AuthWhoamiAndCanI()
    {
        var who = _f.KubectlFor(Tokens.Viewer).Run("auth", "whoami", "-o", "json").Ok();
        Assert.Equal("viewer", (string?)who.Json["status"]!["userInfo"]!["username"]);
        Assert.Contains("viewers", who.Json["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => (string?)g));
        var no = _f.KubectlFor(Tokens.Viewer).Run("auth", "can-i", "list", "secrets", "-n", "kube-system");
        Assert.Equal("no", no.Stdout.Trim());
        Assert.NotEqual(0, no.ExitCode);
        var yes = _f.KubectlFor(Tokens.Viewer).Run("auth", "can-i", "list", "pods", "-A").Ok();
        Assert.Equal("yes", yes.Stdout.Trim());
    }

    [Fact]
    public void LabelANamespaceDryRunThenForReal()
    {
        var ns = "frontend";
        Assert.NotNull(_f.Scenario.Store(ResourceCatalog.Namespaces)!.Find(null, ns));
        var dry = _f.Kubectl.Run("label", "namespace", ns, "pod-security.kubernetes.io/warn=restricted", "--overwrite", "--dry-run=server", "-o", "json").Ok();
        Assert.Equal("restricted", (string?)dry.Json["metadata"]!["labels"]!["pod-security.kubernetes.io/warn"]);
        var dryWrite = _f.Server.WriteLog.Last(w => w.Resource == "namespaces" && w.Name == ns);
        Assert.True(dryWrite.DryRun);
        Assert.Equal("patch", dryWrite.Verb);
        var stored = (k8s.Models.V1Namespace)_f.Scenario.Store(ResourceCatalog.Namespaces)!.Find(null, ns)!;
        Assert.False(stored.Metadata.Labels?.ContainsKey("pod-security.kubernetes.io/warn") ?? false);

        _f.Kubectl.Run("label", "namespace", ns, "eks-security.test/labelled=yes", "--overwrite").Ok();
        stored = (k8s.Models.V1Namespace)_f.Scenario.Store(ResourceCatalog.Namespaces)!.Find(null, ns)!;
        Assert.Equal("yes", stored.Metadata.Labels["eks-security.test/labelled"]);
        var write = _f.Server.WriteLog.Last(w => w.Resource == "namespaces" && w.Name == ns);
        Assert.False(write.DryRun);
        Assert.Contains("eks-security.test/labelled", write.Body);
    }

    [Fact]
    public void TheShippedScannerRoleIsAcceptedByKubectl()
    {
        var path = Path.Combine(RepoPaths.Root, "examples", "scanner-clusterrole.yaml");
        var r = _f.Kubectl.Run("apply", "--dry-run=server", "-f", path, "-o", "name").Ok();
        Assert.Equal(["clusterrole.rbac.authorization.k8s.io/eks-security-scanner", "clusterrolebinding.rbac.authorization.k8s.io/eks-security-scanner"],
            r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.All(_f.Server.WriteLog.Where(w => w.Name == "eks-security-scanner"), w => Assert.True(w.DryRun));
    }

    [Fact]
    public void CreateANetworkPolicyFromAFile()
    {
        using var dir = new TempDir();
        var file = dir.File("deny-imds.json");
        File.WriteAllText(file, new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "NetworkPolicy",
            ["metadata"] = new JsonObject { ["name"] = "deny-imds-kubectl", ["namespace"] = "payments" },
            ["spec"] = new JsonObject
            {
                ["podSelector"] = new JsonObject(),
                ["policyTypes"] = new JsonArray("Egress"),
                ["egress"] = new JsonArray(new JsonObject
                {
                    ["to"] = new JsonArray(new JsonObject { ["ipBlock"] = new JsonObject { ["cidr"] = "0.0.0.0/0", ["except"] = new JsonArray("169.254.169.254/32") } }),
                }),
            },
        }.ToJsonString());
        // kubectl (--validate=strict, the default) finds fieldValidation in the OpenAPI v3 document and leaves validation to the server.
        _f.Kubectl.Run("create", "-f", file).Ok();
        Assert.Equal("Strict", _f.Server.WriteLog.Last(w => w.Name == "deny-imds-kubectl").FieldValidation);
        var stored = (k8s.Models.V1NetworkPolicy?)_f.Scenario.Store(ResourceCatalog.NetworkPolicies)!.Find("payments", "deny-imds-kubectl");
        Assert.NotNull(stored);
        Assert.Equal("169.254.169.254/32", stored.Spec.Egress[0].To[0].IpBlock.Except[0]);
        var again = _f.Kubectl.Run("create", "-f", file);
        Assert.Contains("networkpolicies.networking.k8s.io \"deny-imds-kubectl\" already exists", again.Stderr);
        var get = _f.Kubectl.Run("get", "networkpolicy", "deny-imds-kubectl", "-n", "payments", "-o", "json").Ok();
        Assert.Equal("NetworkPolicy", (string?)get.Json["kind"]);
    }
}
