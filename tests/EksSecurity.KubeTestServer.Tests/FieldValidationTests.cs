using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Api;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>Server-side field validation over HTTP: what the API server's strict decoder refuses, warns about or ignores.</summary>
public sealed class FieldValidationTests
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string NetworkPolicies = "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies";

    private static async Task<(int Status, JsonNode? Body, string[] Warnings)> Write(HttpClient client, HttpMethod method, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToArray() : [];
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), warnings);
    }

    private static string Pod(string name, string containerExtra = "", string metadataExtra = "") =>
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"" + metadataExtra + "}," +
        "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"nginx:1.27\"" + containerExtra + "}]}}";

    [Fact]
    public async Task AnUnknownFieldInAContainerIsRefusedWithItsPath()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, body, _) = await Write(client, HttpMethod.Post, Pods + "?fieldValidation=Strict",
            Pod("typo", ""","imagePullPolicyy":"Always","securityContext":{"runAsNonRoot":true,"readOnlyRootFilesystm":true}"""));
        Assert.Equal(400, status);
        Assert.Equal("BadRequest", (string?)body!["reason"]);
        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagePullPolicyy\", " +
                     "unknown field \"spec.containers[0].securityContext.readOnlyRootFilesystm\"", (string?)body["message"]);
        Assert.Null(server.Scenario.Store(ResourceCatalog.Pods)!.Find("default", "typo"));
        var write = Assert.Single(server.WriteLog);
        Assert.Equal((400, "Strict", false), (write.Status, write.FieldValidation, write.DryRun));
    }

    [Fact]
    public async Task AnUnknownFieldInAListItemIsRefusedAlsoInADryRun()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, body, _) = await Write(client, HttpMethod.Post, NetworkPolicies + "?dryRun=All&fieldValidation=Strict", """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"np"},
             "spec":{"podSelector":{},"egress":[{"to":[{"ipBlock":{"cidr":"0.0.0.0/0"}}]},{"to":[{"ipBlok":{"cidr":"10.0.0.0/8"},"namespaceSelector":{"matchLabelz":{}}}]}]}}
            """);
        Assert.Equal(400, status);
        Assert.Equal("NetworkPolicy in version \"v1\" cannot be handled as a NetworkPolicy: strict decoding error: unknown field \"spec.egress[1].to[0].ipBlok\", " +
                     "unknown field \"spec.egress[1].to[0].namespaceSelector.matchLabelz\"", (string?)body!["message"]);
        var write = Assert.Single(server.WriteLog);
        Assert.True(write.DryRun);
        Assert.Equal(400, write.Status);
    }

    [Fact]
    public async Task LabelsAnnotationsAndResourceMapsTakeAnyKey()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, body, warnings) = await Write(client, HttpMethod.Post, Pods + "?fieldValidation=Strict", Pod("maps",
            containerExtra: ""","resources":{"limits":{"cpu":"500m","memory":"128Mi","example.com/gpu":"1"},"requests":{"cpu":"250m"}}""",
            metadataExtra: ""","labels":{"app.kubernetes.io/name":"web","spec":"not-a-field"},"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}","podSelectr":"x"}"""));
        Assert.True(status == 201, body?.ToJsonString());
        Assert.Empty(warnings);
        var pod = (V1Pod)server.Scenario.Store(ResourceCatalog.Pods)!.Find("default", "maps")!;
        Assert.Equal("not-a-field", pod.Metadata.Labels["spec"]);
        Assert.Equal("x", pod.Metadata.Annotations["podSelectr"]);
        Assert.Equal("128Mi", pod.Spec.Containers[0].Resources.Limits["memory"].ToString());
    }

    [Fact]
    public async Task IntOrStringPortsTakeNumbersAndNames()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (svc, s, _) = await Write(client, HttpMethod.Post, "/api/v1/namespaces/payments/services?fieldValidation=Strict", """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
             "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443,"targetPort":"https"}]}}
            """);
        Assert.True(svc == 201, s?.ToJsonString());
        var service = (V1Service)server.Scenario.Store(ResourceCatalog.Services)!.Find("payments", "web")!;
        Assert.Equal(["8080", "https"], service.Spec.Ports.Select(p => p.TargetPort.Value));

        var (np, n, _) = await Write(client, HttpMethod.Post, NetworkPolicies + "?fieldValidation=Strict", """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"ports"},
             "spec":{"podSelector":{},"ingress":[{"ports":[{"protocol":"TCP","port":443},{"port":"metrics","endPort":null}]}]}}
            """);
        Assert.True(np == 201, n?.ToJsonString());
    }

    [Fact]
    public async Task DuplicateFieldsAreRefusedOrTheLastOneWins()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        const string duplicated = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first","name":"second","labels":{"a":"1","a":"2"}},"data":{"k":"v"}}""";
        var (strict, body, _) = await Write(client, HttpMethod.Post, "/api/v1/namespaces/payments/configmaps?fieldValidation=Strict", duplicated);
        Assert.Equal(400, strict);
        Assert.Equal("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: duplicate field \"metadata.name\", duplicate field \"metadata.labels.a\"",
            (string?)body!["message"]);

        var (warn, created, warnings) = await Write(client, HttpMethod.Post, "/api/v1/namespaces/payments/configmaps?fieldValidation=Warn", duplicated);
        Assert.Equal(201, warn);
        Assert.Equal(["299 - \"duplicate field \\\"metadata.name\\\"\"", "299 - \"duplicate field \\\"metadata.labels.a\\\"\""], warnings);
        Assert.Equal("second", (string?)created!["metadata"]!["name"]);
        Assert.Equal("2", (string?)created["metadata"]!["labels"]!["a"]);
    }

    [Fact]
    public async Task WarnIsTheDefaultIgnoreIsSilentAndOtherValuesAreRefused()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var unknown = Pod("{0}", containerExtra: ""","imagePullPolicyy":"Always" """);

        var (absent, _, warnings) = await Write(client, HttpMethod.Post, Pods, unknown.Replace("{0}", "default-warn"));
        Assert.Equal(201, absent);
        Assert.Equal(["299 - \"unknown field \\\"spec.containers[0].imagePullPolicyy\\\"\""], warnings);
        Assert.Null(server.WriteLog[^1].FieldValidation);
        Assert.Equal(["unknown field \"spec.containers[0].imagePullPolicyy\""], server.WriteLog[^1].Warnings);

        var (ignore, _, none) = await Write(client, HttpMethod.Post, Pods + "?fieldValidation=Ignore", unknown.Replace("{0}", "ignored"));
        Assert.Equal(201, ignore);
        Assert.Empty(none);

        var (bad, body, _) = await Write(client, HttpMethod.Post, Pods + "?fieldValidation=strict", unknown.Replace("{0}", "refused"));
        Assert.Equal(422, bad);
        Assert.Equal("Invalid", (string?)body!["reason"]);
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
            (string?)body["message"]);
        Assert.Equal("fieldValidation", (string?)body["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task UpdateAndPatchesAreValidatedToo()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (_, created, _) = await Write(client, HttpMethod.Post, NetworkPolicies + "?fieldValidation=Strict",
            """{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"np"},"spec":{"podSelector":{},"policyTypes":["Ingress"]}}""");
        var item = NetworkPolicies + "/np?fieldValidation=Strict";

        created!["spec"]!["podSelectorr"] = new JsonObject();
        var (put, p, _) = await Write(client, HttpMethod.Put, item, created.ToJsonString());
        Assert.Equal(400, put);
        Assert.Equal("NetworkPolicy in version \"v1\" cannot be handled as a NetworkPolicy: strict decoding error: unknown field \"spec.podSelectorr\"", (string?)p!["message"]);

        // Merge and JSON patches: the patched object, as encoding/json writes it, is the invalid value.
        var (merge, m, _) = await Write(client, HttpMethod.Patch, item, """{"spec":{"policyTypez":["Egress"]}}""", Patch.MergePatch);
        Assert.Equal(422, merge);
        Assert.Equal("Invalid", (string?)m!["reason"]);
        var message = (string?)m["message"];
        Assert.StartsWith(" \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":\\\"networking.k8s.io/v1\\\",\\\"kind\\\":\\\"NetworkPolicy\\\",\\\"metadata\\\":{", message);
        Assert.Contains("\\\"spec\\\":{\\\"podSelector\\\":{},\\\"policyTypes\\\":[\\\"Ingress\\\"],\\\"policyTypez\\\":[\\\"Egress\\\"]}", message);
        Assert.EndsWith("}\": strict decoding error: unknown field \"spec.policyTypez\"", message);
        var cause = m["details"]!["causes"]![0]!;
        Assert.Equal(("FieldValueInvalid", "patch"), ((string?)cause["reason"], (string?)cause["field"]));

        var (json, j, _) = await Write(client, HttpMethod.Patch, item, """[{"op":"add","path":"/spec/extra","value":1}]""", Patch.JsonPatch);
        Assert.Equal(422, json);
        Assert.EndsWith("strict decoding error: unknown field \"spec.extra\"", (string?)j!["message"]);

        // A strategic merge patch: the patch as Go prints the map it decoded; its duplicate keys come first.
        var (smp, sm, _) = await Write(client, HttpMethod.Patch, item, """{"metadata":{"labels":{"a":"1","a":"2"}},"spec":{"ingress":[{"from":[{"ipBlock":{"cidr":"10.0.0.0/8"}}],"port":80}]}}""",
            Patch.StrategicMergePatch);
        Assert.Equal(422, smp);
        Assert.Equal(" \"\" is invalid: patch: Invalid value: \"map[metadata:map[labels:map[a:2]] spec:map[ingress:[map[from:[map[ipBlock:map[cidr:10.0.0.0/8]]] port:80]]]]\": " +
                     "strict decoding error: duplicate field \"metadata.labels.a\", unknown field \"spec.ingress[0].port\"", (string?)sm!["message"]);

        var (warned, w, warnings) = await Write(client, HttpMethod.Patch, NetworkPolicies + "/np?fieldValidation=Warn", """{"spec":{"policyTypez":["Egress"]}}""", Patch.MergePatch);
        Assert.True(warned == 200, w?.ToJsonString());
        Assert.Equal(["299 - \"unknown field \\\"spec.policyTypez\\\"\""], warnings);
        Assert.Equal(["patch", "patch", "patch", "patch"], server.WriteLog.Skip(2).Select(e => e.Verb));
        Assert.Equal([422, 422, 422, 200], server.WriteLog.Skip(2).Select(e => e.Status));
    }

    [Fact]
    public async Task ServerSideApplyRefusesUndeclaredFieldsWhateverTheDirective()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, body, _) = await Write(client, HttpMethod.Patch, NetworkPolicies + "/ssa?fieldManager=test&fieldValidation=Ignore",
            """{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"ssa","namespace":"payments"},"spec":{"podSelector":{},"egress":[{"too":[]}],"bogus":1}}""",
            Patch.ApplyPatch);
        Assert.Equal(500, status);
        Assert.Null(body!["reason"]);
        Assert.Equal("failed to create typed patch object (payments/ssa; networking.k8s.io/v1, Kind=NetworkPolicy): errors:\n  .spec.egress[0].too: field not declared in schema\n  .spec.bogus: field not declared in schema",
            (string?)body["message"]);
    }

    [Fact]
    public async Task CustomResourcesFollowTheirCrdSchema()
    {
        var scenario = TestScenarios.Small();
        scenario.Set(ResourceCatalog.SecurityGroupPolicies, []);
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        const string path = "/apis/vpcresources.k8s.aws/v1beta1/namespaces/payments/securitygrouppolicies?fieldValidation=Strict";
        static string Sgp(string name, string spec, string metadata = "") =>
            $$"""{"apiVersion":"vpcresources.k8s.aws/v1beta1","kind":"SecurityGroupPolicy","metadata":{"name":"{{name}}"{{metadata}}},"spec":{{spec}}}""";

        // The served CRD keeps unknown fields (x-kubernetes-preserve-unknown-fields): only the metadata is checked.
        var (free, f, _) = await Write(client, HttpMethod.Post, path, Sgp("free", """{"podSelector":{},"anything":{"goes":true}}"""));
        Assert.True(free == 201, f?.ToJsonString());
        var (meta, m, _) = await Write(client, HttpMethod.Post, path, Sgp("meta", "{}", ""","labelz":{}"""));
        Assert.Equal(400, meta);
        Assert.Equal("SecurityGroupPolicy in version \"v1beta1\" cannot be handled as a SecurityGroupPolicy: strict decoding error: unknown field \"metadata.labelz\"", (string?)m!["message"]);

        // A structural schema: what it does not declare is unknown.
        var crds = server.Scenario.Store(ResourceCatalog.CustomResourceDefinitions)!;
        var crd = (V1CustomResourceDefinition)crds.Find(null, "securitygrouppolicies.vpcresources.k8s.aws")!;
        var selector = new V1JSONSchemaProps
        {
            Type = "object",
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["matchLabels"] = new() { Type = "object", AdditionalProperties = new V1JSONSchemaProps { Type = "string" } },
                ["matchExpressions"] = new() { Type = "array", Items = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
            },
        };
        crd.Metadata.ResourceVersion = "2002";
        crd.Spec.Versions[0].Schema.OpenAPIV3Schema = new V1JSONSchemaProps
        {
            Type = "object",
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["spec"] = new()
                {
                    Type = "object",
                    Properties = new Dictionary<string, V1JSONSchemaProps>
                    {
                        ["podSelector"] = selector,
                        ["serviceAccountSelector"] = selector,
                        ["securityGroups"] = new()
                        {
                            Type = "object",
                            Properties = new Dictionary<string, V1JSONSchemaProps> { ["groupIds"] = new() { Type = "array", Items = new V1JSONSchemaProps { Type = "string" } } },
                        },
                    },
                },
            },
        };
        crds.Put(crd);
        var (known, k, _) = await Write(client, HttpMethod.Post, path,
            Sgp("known", """{"podSelector":{"matchLabels":{"app":"db"},"matchExpressions":[{"key":"tier","operator":"In","values":["db"]}]},"securityGroups":{"groupIds":["sg-1"]}}"""));
        Assert.True(known == 201, k?.ToJsonString());
        var (unknown, u, _) = await Write(client, HttpMethod.Post, path, Sgp("unknown", """{"podSelector":{},"securityGroups":{"groupIDs":["sg-1"]},"extra":1}"""));
        Assert.Equal(400, unknown);
        Assert.Equal("SecurityGroupPolicy in version \"v1beta1\" cannot be handled as a SecurityGroupPolicy: strict decoding error: unknown field \"spec.securityGroups.groupIDs\", unknown field \"spec.extra\"",
            (string?)u!["message"]);
        Assert.Equal(["free", "known"], server.Scenario.Store(ResourceCatalog.SecurityGroupPolicies)!.Enumerate().Select(o => ObjectAccess.Name(o)).Order());

        // The CR's OpenAPI document follows the CRD.
        var (_, doc, _) = await client.GetJson("/openapi/v3/apis/vpcresources.k8s.aws/v1beta1");
        var schema = doc!["components"]!["schemas"]!["aws.k8s.vpcresources.v1beta1.SecurityGroupPolicy"]!;
        Assert.Equal("array", (string?)schema["properties"]!["spec"]!["properties"]!["securityGroups"]!["properties"]!["groupIds"]!["type"]);
    }

    [Theory]
    [InlineData(1e6, "1e+06")]
    [InlineData(123456.0, "123456")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.25, "-2.25")]
    public void FloatsPrintAsGoPrintsThem(double value, string expected) => Assert.Equal(expected, FieldValidator.GoFloat(value));

    [Fact]
    public void GoFormattingOfDecodedJson()
    {
        Assert.Equal("map[a:map[c:true] b:[1 x <nil> 2.5] e:map[]]", FieldValidator.GoFormat(JsonNode.Parse("""{"b":[1,"x",null,2.5],"a":{"c":true},"e":{}}""")));
        Assert.Equal("\"tab\\there \\\"q\\\" é \\x01\"", FieldValidator.GoQuote("tab\there \"q\" é \u0001"));
        Assert.Equal("{\"a\":\"\\u003cb\\u003e\",\"b\":[1,null]}", FieldValidator.GoJson(JsonNode.Parse("""{"b":[1,null],"a":"<b>"}""")));
    }
}
