using EksSecurity.Engine.Kubernetes;
using EksSecurity.KubeTestServer.Api;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>
/// kubectl apply and create with their default validation (--validate=strict): kubectl reads the
/// OpenAPI v3 documents, finds fieldValidation on the kind's PATCH operation and leaves field
/// validation to the server (fieldValidation=Strict on every write), which refuses unknown fields.
/// </summary>
public sealed class KubectlApplyTests : IClassFixture<DemoServerFixture>
{
    private readonly DemoServerFixture _f;

    public KubectlApplyTests(DemoServerFixture fixture) => _f = fixture;

    private static string NetworkPolicy(string name, string podSelectorKey = "podSelector", string cidr = "0.0.0.0/0") => $"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: {name}
          namespace: payments
          labels:
            app.kubernetes.io/managed-by: eks-security-tests
        spec:
          {podSelectorKey}: {"{}"}
          policyTypes: [Egress]
          egress:
          - to:
            - ipBlock:
                cidr: {cidr}
                except: [169.254.169.254/32]
            ports:
            - protocol: TCP
              port: 443
            - protocol: TCP
              port: https
        """;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private V1NetworkPolicy? StoredPolicy(string name) => (V1NetworkPolicy?)_f.Scenario.Store(ResourceCatalog.NetworkPolicies)!.Find("payments", name);

    [Fact]
    public void ApplyANetworkPolicyDryRunClientThenServerThenForReal()
    {
        using var dir = new TempDir();
        var file = dir.File("np.yaml");
        File.WriteAllText(file, NetworkPolicy("apply-np"));
        var before = _f.Server.RequestLog.Count;

        var client = _f.Kubectl.Run("apply", "--dry-run=client", "-f", file).Ok();
        Assert.Equal("networkpolicy.networking.k8s.io/apply-np created (dry run)", client.Stdout.Trim());
        Assert.DoesNotContain(_f.Server.WriteLog, w => w.Name == "apply-np");

        var server = _f.Kubectl.Run("apply", "--dry-run=server", "-f", file).Ok();
        Assert.Equal("networkpolicy.networking.k8s.io/apply-np created (server dry run)", server.Stdout.Trim());
        var dry = Assert.Single(_f.Server.WriteLog, w => w.Name == "apply-np");
        Assert.Equal(("create", true, 201, "Strict"), (dry.Verb, dry.DryRun, dry.Status, dry.FieldValidation));
        Assert.Null(StoredPolicy("apply-np"));

        var real = _f.Kubectl.Run("apply", "-f", file).Ok();
        Assert.Equal("networkpolicy.networking.k8s.io/apply-np created", real.Stdout.Trim());
        var stored = StoredPolicy("apply-np");
        Assert.NotNull(stored);
        Assert.Equal("169.254.169.254/32", stored.Spec.Egress[0].To[0].IpBlock.Except[0]);
        Assert.Equal(["443", "https"], stored.Spec.Egress[0].Ports.Select(p => p.Port.Value));
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", stored.Metadata.Annotations.Keys);
        var created = _f.Server.WriteLog.Last(w => w.Name == "apply-np");
        Assert.Equal(("create", false, 201, "Strict"), (created.Verb, created.DryRun, created.Status, created.FieldValidation));

        // What kubectl asked for: the v3 index on every run (revalidated: 304 from its cache), the group-version's document
        // once per hash (cached for good), never /openapi/v2.
        var requests = _f.Server.RequestLog.Skip(before).ToList();
        Assert.Contains(requests, r => r.Path == "/openapi/v3");
        Assert.Contains(_f.Server.RequestLog, r => r.Path == "/openapi/v3/apis/networking.k8s.io/v1" && r.QueryValue("hash") is { Length: 128 } && r.Status == 200);
        Assert.DoesNotContain(requests, r => r.Path.StartsWith("/openapi/v2", StringComparison.Ordinal));

        Assert.Equal("networkpolicy.networking.k8s.io/apply-np unchanged", _f.Kubectl.Run("apply", "-f", file).Ok().Stdout.Trim());

        // A change is a strategic merge patch computed from the v3 schemas, also validated by the server.
        File.WriteAllText(file, NetworkPolicy("apply-np", cidr: "10.0.0.0/8"));
        Assert.Equal("networkpolicy.networking.k8s.io/apply-np configured", _f.Kubectl.Run("apply", "-f", file).Ok().Stdout.Trim());
        var patch = _f.Server.WriteLog.Last(w => w.Name == "apply-np");
        Assert.Equal(("patch", Patch.StrategicMergePatch, "Strict", 200), (patch.Verb, patch.ContentType, patch.FieldValidation, patch.Status));
        stored = StoredPolicy("apply-np")!;
        Assert.Equal("10.0.0.0/8", stored.Spec.Egress[0].To[0].IpBlock.Cidr);
        Assert.Equal(2, stored.Spec.Egress[0].Ports.Count);
    }

    [Fact]
    public void ApplyAClusterRoleAndItsBindingFromOneFile()
    {
        using var dir = new TempDir();
        var file = dir.File("rbac.yaml");
        File.WriteAllText(file, """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: apply-test-reader
              labels: {app.kubernetes.io/name: apply-test}
            rules:
            - apiGroups: [""]
              resources: [pods, namespaces]
              verbs: [get, list]
            - nonResourceURLs: [/healthz]
              verbs: [get]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: apply-test-reader
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: apply-test-reader
            subjects:
            - kind: Group
              apiGroup: rbac.authorization.k8s.io
              name: apply-test-readers
            """);
        string[] names = ["clusterrole.rbac.authorization.k8s.io/apply-test-reader", "clusterrolebinding.rbac.authorization.k8s.io/apply-test-reader"];

        Assert.Equal(names, Lines(_f.Kubectl.Run("apply", "--dry-run=client", "-f", file, "-o", "name").Ok().Stdout));
        Assert.DoesNotContain(_f.Server.WriteLog, w => w.Name == "apply-test-reader");

        Assert.Equal(names, Lines(_f.Kubectl.Run("apply", "--dry-run=server", "-f", file, "-o", "name").Ok().Stdout));
        var dry = _f.Server.WriteLog.Where(w => w.Name == "apply-test-reader").ToList();
        Assert.Equal(["clusterroles.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io"], dry.Select(w => w.Resource));
        Assert.All(dry, w => Assert.True(w.DryRun && w.Status == 201 && w.FieldValidation == "Strict", w.ToString()));
        Assert.Null(_f.Scenario.Store(ResourceCatalog.ClusterRoles)!.Find(null, "apply-test-reader"));
        Assert.Null(_f.Scenario.Store(ResourceCatalog.ClusterRoleBindings)!.Find(null, "apply-test-reader"));

        Assert.Equal([names[0] + " created", names[1] + " created"], Lines(_f.Kubectl.Run("apply", "-f", file).Ok().Stdout));
        var role = Assert.IsType<V1ClusterRole>(_f.Scenario.Store(ResourceCatalog.ClusterRoles)!.Find(null, "apply-test-reader"));
        Assert.Equal(["pods", "namespaces"], role.Rules[0].Resources);
        Assert.Equal(["/healthz"], role.Rules[1].NonResourceURLs);
        var binding = Assert.IsType<V1ClusterRoleBinding>(_f.Scenario.Store(ResourceCatalog.ClusterRoleBindings)!.Find(null, "apply-test-reader"));
        Assert.Equal("apply-test-readers", binding.Subjects[0].Name);
    }

    [Fact]
    public void ApplyASecurityGroupPolicyCustomResource()
    {
        Assert.Contains(ResourceCatalog.SecurityGroupPolicies, _f.Scenario.Resources);
        using var dir = new TempDir();
        var file = dir.File("sgp.yaml");
        File.WriteAllText(file, """
            apiVersion: vpcresources.k8s.aws/v1beta1
            kind: SecurityGroupPolicy
            metadata:
              name: apply-sgp
              namespace: payments
            spec:
              podSelector:
                matchLabels: {app: payments-db}
              securityGroups:
                groupIds: [sg-0123456789abcdef0, sg-0fedcba9876543210]
            """);
        const string name = "securitygrouppolicy.vpcresources.k8s.aws/apply-sgp";
        SecurityGroupPolicy? Stored() => (SecurityGroupPolicy?)_f.Scenario.Store(ResourceCatalog.SecurityGroupPolicies)!.Find("payments", "apply-sgp");

        Assert.Equal(name + " created (dry run)", _f.Kubectl.Run("apply", "--dry-run=client", "-f", file).Ok().Stdout.Trim());
        Assert.Equal(name + " created (server dry run)", _f.Kubectl.Run("apply", "--dry-run=server", "-f", file).Ok().Stdout.Trim());
        var dry = Assert.Single(_f.Server.WriteLog, w => w.Name == "apply-sgp");
        Assert.True(dry.DryRun);
        Assert.Equal("Strict", dry.FieldValidation);
        Assert.Null(Stored());
        Assert.Contains(_f.Server.RequestLog, r => r.Path == "/openapi/v3/apis/vpcresources.k8s.aws/v1beta1");

        Assert.Equal(name + " created", _f.Kubectl.Run("apply", "-f", file).Ok().Stdout.Trim());
        Assert.Equal(["sg-0123456789abcdef0", "sg-0fedcba9876543210"], Stored()!.Spec!.SecurityGroups!.GroupIds);

        // A custom resource has no strategic merge patch: kubectl sends a JSON merge patch.
        File.WriteAllText(file, File.ReadAllText(file).Replace(", sg-0fedcba9876543210", ""));
        Assert.Equal(name + " configured", _f.Kubectl.Run("apply", "-f", file).Ok().Stdout.Trim());
        Assert.Equal(Patch.MergePatch, _f.Server.WriteLog.Last(w => w.Name == "apply-sgp").ContentType);
        Assert.Equal(["sg-0123456789abcdef0"], Stored()!.Spec!.SecurityGroups!.GroupIds);
    }

    [Fact]
    public void AMisspelledFieldIsRefusedAndNothingIsWritten()
    {
        using var dir = new TempDir();
        var file = dir.File("bad.yaml");
        File.WriteAllText(file, NetworkPolicy("misspelled-np", podSelectorKey: "podSelectr"));
        const string error = "NetworkPolicy in version \"v1\" cannot be handled as a NetworkPolicy: strict decoding error: unknown field \"spec.podSelectr\"";

        foreach (var dryRun in new[] { "--dry-run=server", "--dry-run=none" })
        {
            var r = _f.Kubectl.Run("apply", dryRun, "-f", file);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains($"Error from server (BadRequest): error when creating \"{file}\": {error}", r.Stderr);
        }
        Assert.Null(StoredPolicy("misspelled-np"));
        var refused = _f.Server.WriteLog.Where(w => w.Name == "misspelled-np").ToList();
        Assert.Equal([(true, 400), (false, 400)], refused.Select(w => (w.DryRun, w.Status)));
        Assert.All(refused, w => Assert.Null(w.Result));

        var create = _f.Kubectl.Run("create", "-f", file);
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains(error, create.Stderr);
        Assert.Null(StoredPolicy("misspelled-np"));
    }

    [Fact]
    public void AMisspelledFieldInAnUpdateIsRefusedAsThePatchItMakes()
    {
        using var dir = new TempDir();
        var file = dir.File("np.yaml");
        File.WriteAllText(file, NetworkPolicy("existing-np"));
        _f.Kubectl.Run("apply", "-f", file).Ok();
        var version = StoredPolicy("existing-np")!.Metadata.ResourceVersion;

        File.WriteAllText(file, NetworkPolicy("existing-np", podSelectorKey: "podSelectr"));
        var r = _f.Kubectl.Run("apply", "-f", file);
        Assert.NotEqual(0, r.ExitCode);
        // The strategic merge patch as Go prints a map, then the decoder's error.
        Assert.Contains("The request is invalid: patch: Invalid value: \"map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:", r.Stderr);
        Assert.Contains("spec:map[podSelector:<nil> podSelectr:map[]]]\": strict decoding error: unknown field \"spec.podSelectr\"", r.Stderr);
        var refused = _f.Server.WriteLog.Last(w => w.Name == "existing-np");
        Assert.Equal(("patch", 422, "Strict"), (refused.Verb, refused.Status, refused.FieldValidation));
        Assert.Equal(version, StoredPolicy("existing-np")!.Metadata.ResourceVersion);
    }

    [Fact]
    public void ValidateWarnAcceptsWithAWarningAndIgnoreSilently()
    {
        using var dir = new TempDir();
        var file = dir.File("bad.yaml");
        File.WriteAllText(file, NetworkPolicy("warned-np", podSelectorKey: "podSelectr"));

        var dry = _f.Kubectl.Run("apply", "--validate=warn", "--dry-run=server", "-f", file).Ok();
        Assert.Contains("Warning: unknown field \"spec.podSelectr\"", dry.Stderr);
        Assert.Equal("networkpolicy.networking.k8s.io/warned-np created (server dry run)", dry.Stdout.Trim());
        var write = _f.Server.WriteLog.Last(w => w.Name == "warned-np");
        Assert.Equal(("Warn", true), (write.FieldValidation, write.DryRun));
        Assert.Equal(["unknown field \"spec.podSelectr\""], write.Warnings);
        Assert.Null(StoredPolicy("warned-np"));

        var real = _f.Kubectl.Run("apply", "--validate=warn", "-f", file).Ok();
        Assert.Contains("Warning: unknown field \"spec.podSelectr\"", real.Stderr);
        // The unknown field is dropped, as the API server prunes it.
        var stored = StoredPolicy("warned-np");
        Assert.NotNull(stored);
        Assert.Null(stored.Spec.PodSelector);
        var result = System.Text.Json.Nodes.JsonNode.Parse(_f.Server.WriteLog.Last(w => w.Name == "warned-np").Result!)!;
        Assert.Equal(["egress", "policyTypes"], result["spec"]!.AsObject().Select(p => p.Key).Order());

        File.WriteAllText(file, NetworkPolicy("ignored-np", podSelectorKey: "podSelectr"));
        var ignored = _f.Kubectl.Run("create", "--validate=false", "-f", file).Ok();
        Assert.DoesNotContain("Warning", ignored.Stderr);
        Assert.Equal("Ignore", _f.Server.WriteLog.Last(w => w.Name == "ignored-np").FieldValidation);
        Assert.NotNull(StoredPolicy("ignored-np"));
    }

    [Fact]
    public void CreateWithClientDryRunPrintsTheObjectAndWritesNothing()
    {
        using var dir = new TempDir();
        var file = dir.File("np.yaml");
        File.WriteAllText(file, NetworkPolicy("create-dry-np"));
        var r = _f.Kubectl.Run("create", "--dry-run=client", "-f", file, "-o", "json").Ok();
        Assert.Equal("NetworkPolicy", (string?)r.Json["kind"]);
        Assert.Equal("create-dry-np", (string?)r.Json["metadata"]!["name"]);
        Assert.DoesNotContain(_f.Server.WriteLog, w => w.Name == "create-dry-np");

        var generated = _f.Kubectl.Run("create", "configmap", "create-dry-cm", "-n", "payments", "--from-literal=a=b", "--dry-run=server", "-o", "name").Ok();
        Assert.Equal("configmap/create-dry-cm", generated.Stdout.Trim());
        Assert.True(_f.Server.WriteLog.Last(w => w.Name == "create-dry-cm").DryRun);
        Assert.Null(_f.Scenario.Store(ResourceCatalog.ConfigMaps)!.Find("payments", "create-dry-cm"));
    }

    [Fact]
    public void ServerSideApplyRefusesUndeclaredFields()
    {
        using var dir = new TempDir();
        var file = dir.File("bad.yaml");
        File.WriteAllText(file, NetworkPolicy("ssa-np", podSelectorKey: "podSelectr"));
        var r = _f.Kubectl.Run("apply", "--server-side", "--dry-run=server", "-f", file);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("failed to create typed patch object (payments/ssa-np; networking.k8s.io/v1, Kind=NetworkPolicy): .spec.podSelectr: field not declared in schema", r.Stderr);

        File.WriteAllText(file, NetworkPolicy("ssa-np"));
        var ok = _f.Kubectl.Run("apply", "--server-side", "--dry-run=server", "-f", file).Ok();
        Assert.Equal("networkpolicy.networking.k8s.io/ssa-np serverside-applied (server dry run)", ok.Stdout.Trim());
    }

    [Fact]
    public void ExplainReadsTheOpenApiV3Schemas()
    {
        var r = _f.Kubectl.Run("explain", "networkpolicies.spec").Ok();
        Assert.Contains("KIND:       NetworkPolicy", r.Stdout);
        foreach (var field in new[] { "egress", "ingress", "podSelector", "policyTypes" })
            Assert.Matches($@"(?m)^\s+{field}\s+<", r.Stdout);
        var ports = _f.Kubectl.Run("explain", "networkpolicy.spec.egress.ports").Ok();
        Assert.Matches(@"(?m)^\s+port\s+<IntOrString>", ports.Stdout);
        var limits = _f.Kubectl.Run("explain", "pods.spec.containers.resources").Ok();
        Assert.Matches(@"(?m)^\s+limits\s+<map\[string\]Quantity>", limits.Stdout);
    }
}
