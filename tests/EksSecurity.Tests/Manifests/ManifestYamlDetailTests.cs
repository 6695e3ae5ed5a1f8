using EksSecurity.Engine.Manifests;

namespace EksSecurity.Tests.Manifests;

/// <summary>YAML details kubectl users rely on, and the edges of the document splitter.</summary>
public class ManifestYamlDetailTests
{
    [Fact]
    public void Directives_and_document_end_markers()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            %YAML 1.1
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: { name: a }
            ...
            %YAML 1.2
            # comment between directive and marker
            --- # a comment on the marker line
            apiVersion: v1
            kind: ServiceAccount
            metadata: { name: b }
            """, log);
        log.NoProblems();
        Assert.Equal(["a", "b"], snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name));
        Assert.Equal(11, snapshot.Location("ServiceAccount", "", "b").Line);
    }

    [Fact]
    public void Marker_like_lines_inside_block_scalars_do_not_split_documents()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: front-matter }
            data:
              page.md: |
                ---
                title: hello
                ---
                body
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: { name: after }
            """, log);
        log.NoProblems();
        Assert.Equal("---\ntitle: hello\n---\nbody\n", snapshot.Kubernetes.ConfigMaps!.All[0].Data["page.md"]);
        Assert.Equal(12, snapshot.Location("ServiceAccount", "", "after").Line);
    }

    [Fact]
    public void Explicit_tags_decide_the_type()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: tags
              labels: { a: !!str 123, b: !!str yes }
            spec:
              hostIPC: !!bool true
              containers:
                - name: c
                  image: i
                  ports: [{ containerPort: !!int 80 }]
            """, log);
        log.NoProblems();
        var pod = Assert.Single(snapshot.Kubernetes.Pods!.All);
        Assert.Equal("123", pod.Metadata.Labels["a"]);
        Assert.Equal("yes", pod.Metadata.Labels["b"]);
        Assert.True(pod.Spec.HostIPC);
        Assert.Equal(80, pod.Spec.Containers[0].Ports[0].ContainerPort);

        Manifest.ReadText("apiVersion: v1\nkind: Pod\nmetadata: { name: s }\nspec:\n  hostIPC: !!str true\n", log);
        Assert.Equal((5, 12), (log.Single(ManifestErrorIds.InvalidField).Line, log.Problems[0].Column));
    }

    [Fact]
    public void Merge_keys_do_not_count_as_duplicates_and_bad_merges_are_reported()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: merged
              labels: &common { team: a, tier: web }
              annotations:
                <<: [*common, { extra: "1" }]
                team: b
            """, log);
        log.NoProblems();
        var annotations = snapshot.Kubernetes.ConfigMaps!.All[0].Metadata.Annotations;
        Assert.Equal("b", annotations["team"]);
        Assert.Equal("web", annotations["tier"]);
        Assert.Equal("1", annotations["extra"]);

        Manifest.ReadText("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    <<: just-text\n", log);
        Assert.Equal((6, 9), (log.Single(ManifestErrorIds.SyntaxError).Line, log.Problems[0].Column));
    }

    [Fact]
    public void A_yaml_flow_mapping_that_is_not_json_is_read_as_yaml()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("{apiVersion: v1, kind: ServiceAccount,\n metadata: {name: flow}}\n", log, "flow.json");
        log.NoProblems();
        Assert.Equal(1, snapshot.Location("ServiceAccount", "", "flow").Line);
    }

    [Fact]
    public void Null_for_a_field_that_cannot_be_null_leaves_its_default_as_kubectl_does()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n  - name: c\n    ports: [{ containerPort: ~, name: http }]\n", log);
        log.NoProblems();
        Assert.Equal(0, snapshot.Kubernetes.Pods!.All[0].Spec.Containers[0].Ports[0].ContainerPort);
    }

    [Fact]
    public void Int_or_string_keeps_quoted_numbers_as_strings()
    {
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Service
            metadata: { name: svc }
            spec:
              ports:
                - port: 80
                  targetPort: "8080"
                - port: 443
                  targetPort: 8443
                - port: 9090
                  targetPort: metrics
            """);
        var ports = Assert.Single(snapshot.Kubernetes.Services!.All).Spec.Ports;
        Assert.Equal(["8080", "8443", "metrics"], ports.Select(p => p.TargetPort.Value));
    }

    [Fact]
    public void Skipped_list_items_are_named_with_their_line()
    {
        var log = new RecordingLog();
        Manifest.ReadText("""
            apiVersion: v1
            kind: List
            items:
              - apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: { name: sm, namespace: obs }
            """, log, "list.yaml");
        log.NoProblems();
        Assert.Contains("skipped ServiceMonitor obs/sm at list.yaml:5", log.Messages);
    }

    [Fact]
    public void Splitter_cuts_at_markers_only_at_the_start_of_a_line()
    {
        var chunks = YamlDocumentReader.Split("a: 1\n---\nb: ---\n --- \n----\n---x\n...\nc: 3\n");
        Assert.Equal([(1, "a: 1\n"), (2, "---\nb: ---\n --- \n----\n---x\n...\n"), (8, "c: 3\n")],
            chunks.Select(c => (c.FirstLine, "a: 1\n---\nb: ---\n --- \n----\n---x\n...\nc: 3\n".Substring(c.Start, c.Length))));
    }
}

public class ManifestNestingTests
{
    [Fact]
    public void Aliases_cannot_nest_an_object_deeper_than_the_limit()
    {
        static string Nest(int depth, string inner) => new string('[', depth) + inner + new string(']', depth);
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText(
            "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: { name: deep }\n" +
            $"x0: &a0 {Nest(40, "1")}\n" +
            $"x1: &a1 {Nest(40, "*a0")}\n" +
            $"x2: &a2 {Nest(40, "*a1")}\n" +
            "spec: { nested: *a2 }\n", log);
        var problem = log.Single(ManifestErrorIds.TooLarge);
        Assert.Equal(4, problem.Line); // deep inside the first anchor, reached through spec.nested
        Assert.Contains("once its aliases are expanded", problem.Message);
        Assert.Empty(snapshot.Kubernetes.PodSecurityPolicies!.All);
    }

    [Fact]
    public void Lists_nested_too_deep_are_refused()
    {
        var inner = "{ apiVersion: v1, kind: ServiceAccount, metadata: { name: sa } }";
        for (var i = 0; i < ManifestLimits.MaxListNesting + 1; i++) inner = $"{{ apiVersion: v1, kind: List, items: [ {inner} ] }}";
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText(inner, log);
        Assert.Equal(1, log.Single(ManifestErrorIds.TooLarge).Line);
        Assert.Empty(snapshot.Kubernetes.ServiceAccounts!.All);

        var fine = "{ apiVersion: v1, kind: ServiceAccount, metadata: { name: sa } }";
        for (var i = 0; i < ManifestLimits.MaxListNesting; i++) fine = $"{{ apiVersion: v1, kind: List, items: [ {fine} ] }}";
        Assert.Single(Manifest.ReadText(fine).Kubernetes.ServiceAccounts!.All);
    }
}
