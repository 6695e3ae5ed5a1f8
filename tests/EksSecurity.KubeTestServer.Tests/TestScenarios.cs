using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Scenario;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Tests;

internal static class TestScenarios
{
    /// <summary>3 namespaces, 25 pods (app=web|api|db, 8/9/8 by namespace), 2 nodes, 3 secrets, a viewer and a namespace reader.</summary>
    public static KubeScenario Small()
    {
        var s = new KubeScenario();
        foreach (var ns in new[] { "default", "kube-system", "payments" })
            s.Add(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns } } });
        var apps = new[] { "web", "api", "db" };
        for (var i = 0; i < 25; i++)
        {
            var ns = i % 3 == 0 ? "default" : i % 3 == 1 ? "kube-system" : "payments";
            s.Add(new V1Pod
            {
                Metadata = new V1ObjectMeta
                {
                    Name = $"pod-{i:D2}", NamespaceProperty = ns, ResourceVersion = (500 + i).ToString(),
                    CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i),
                    Labels = new Dictionary<string, string> { ["app"] = apps[i % 3], ["index"] = i.ToString() },
                },
                Spec = new V1PodSpec { NodeName = i % 2 == 0 ? "node-a" : "node-b", Containers = [new V1Container { Name = "main", Image = "nginx:1.27" }] },
                Status = new V1PodStatus { Phase = i == 7 ? "Pending" : "Running" },
            });
        }
        foreach (var n in new[] { "node-a", "node-b" })
            s.Add(new V1Node
            {
                Metadata = new V1ObjectMeta { Name = n, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = n } },
                Spec = new V1NodeSpec { ProviderID = $"aws:///us-west-2a/i-0{n[^1]}" },
                Status = new V1NodeStatus
                {
                    Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("16Gi"), ["pods"] = new("58") },
                    Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("3920m"), ["memory"] = new("15Gi"), ["pods"] = new("58") },
                },
            });
        s.Add(new V1Secret { Metadata = new V1ObjectMeta { Name = "db-password", NamespaceProperty = "payments" }, Type = "Opaque" });
        s.Add(new V1Secret { Metadata = new V1ObjectMeta { Name = "tls", NamespaceProperty = "payments" }, Type = "kubernetes.io/tls" });
        s.Add(new V1Secret { Metadata = new V1ObjectMeta { Name = "bootstrap", NamespaceProperty = "kube-system" }, Type = "bootstrap.kubernetes.io/token" });
        s.AddUser("viewer-token", "viewer", ["viewers"], deny: ["get,list,watch secrets", "get nodes/proxy"]);
        s.AddUser("ns-reader-token", "ns-reader", allow: ["get,list namespaces", "list pods in payments"]);
        return s;
    }

    public static async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> GetJson(this HttpClient client, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public static async Task<(int Status, JsonNode? Body)> Send(this HttpClient client, HttpMethod method, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static readonly System.Text.Json.JsonSerializerOptions CompactOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Compact JSON with Go's escaping of quotes (\" not \u0022).</summary>
    public static string Compact(this JsonNode node) => node.ToJsonString(CompactOptions);
}
