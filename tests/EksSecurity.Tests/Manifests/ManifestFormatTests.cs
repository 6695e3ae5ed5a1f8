using System.Text;
using EksSecurity.Engine.Manifests;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Manifests;

public class ManifestFormatTests
{
    [Fact]
    public void Multi_document_stream_reads_every_object_with_its_kind_line()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: web
              namespace: shop
            ---
            # a comment before the object
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
            spec:
              template:
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27
            """, log);

        log.NoProblems();
        Assert.Equal(SnapshotOrigin.Manifests, snapshot.Origin);
        Assert.Equal(ManifestReader.ClusterName, snapshot.ClusterName);
        Assert.Equal("shop", Assert.Single(snapshot.Kubernetes.Namespaces!.All).Metadata.Name);
        Assert.Equal("web", Assert.Single(snapshot.Kubernetes.ServiceAccounts!.All).Metadata.Name);
        var deployment = Assert.Single(snapshot.Kubernetes.Deployments!.All);
        Assert.Equal("nginx:1.27", deployment.Spec.Template.Spec.Containers[0].Image);

        Assert.Equal(new SourceLocation("test.yaml", 2), snapshot.Location("Namespace", "", "shop"));
        Assert.Equal(new SourceLocation("test.yaml", 7), snapshot.Location("ServiceAccount", "shop", "web"));
        Assert.Equal(new SourceLocation("test.yaml", 14), snapshot.Location("Deployment", "shop", "web"));
        // The namespace rules name a Namespace by (name, name): it is found that way too.
        Assert.Equal(2, snapshot.Location("Namespace", "shop", "shop").Line);
    }

    [Fact]
    public void Every_kubernetes_list_section_is_collected_and_aws_is_not()
    {
        var snapshot = Manifest.ReadText("");
        foreach (var property in typeof(KubernetesSections).GetProperties())
        {
            var section = (SectionBase?)property.GetValue(snapshot.Kubernetes);
            if (NotFromManifests.Contains(property.Name))
            {
                Assert.Null(section); // manifests cannot say which server they go to, nor carry what nodes report
                continue;
            }
            Assert.True(section is { Status: SectionStatus.Collected, Count: 0 }, property.Name);
        }
        foreach (var property in typeof(AwsSections).GetProperties())
            Assert.Null(property.GetValue(snapshot.Aws));
    }

    [Fact]
    public void Every_kind_a_section_holds_is_read()
    {
        var kinds = new (string ApiVersion, string Kind, SnapshotSection Section)[]
        {
            ("v1", "Namespace", SnapshotSection.Namespaces), ("v1", "Pod", SnapshotSection.Pods),
            ("apps/v1", "Deployment", SnapshotSection.Deployments), ("apps/v1", "ReplicaSet", SnapshotSection.ReplicaSets),
            ("apps/v1", "StatefulSet", SnapshotSection.StatefulSets), ("apps/v1", "DaemonSet", SnapshotSection.DaemonSets),
            ("batch/v1", "Job", SnapshotSection.Jobs), ("batch/v1", "CronJob", SnapshotSection.CronJobs),
            ("v1", "ReplicationController", SnapshotSection.ReplicationControllers), ("v1", "PodTemplate", SnapshotSection.PodTemplates),
            ("v1", "ServiceAccount", SnapshotSection.ServiceAccounts), ("rbac.authorization.k8s.io/v1", "Role", SnapshotSection.Roles),
            ("rbac.authorization.k8s.io/v1", "ClusterRole", SnapshotSection.ClusterRoles), ("rbac.authorization.k8s.io/v1", "RoleBinding", SnapshotSection.RoleBindings),
            ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", SnapshotSection.ClusterRoleBindings), ("networking.k8s.io/v1", "NetworkPolicy", SnapshotSection.NetworkPolicies),
            ("v1", "ConfigMap", SnapshotSection.ConfigMaps), ("v1", "Secret", SnapshotSection.Secrets), ("v1", "Node", SnapshotSection.Nodes),
            ("v1", "Service", SnapshotSection.Services), ("networking.k8s.io/v1", "Ingress", SnapshotSection.Ingresses),
            ("storage.k8s.io/v1", "StorageClass", SnapshotSection.StorageClasses), ("v1", "PersistentVolume", SnapshotSection.PersistentVolumes),
            ("v1", "PersistentVolumeClaim", SnapshotSection.PersistentVolumeClaims),
            ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", SnapshotSection.ValidatingWebhookConfigurations),
            ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", SnapshotSection.MutatingWebhookConfigurations),
            ("vpcresources.k8s.aws/v1beta1", "SecurityGroupPolicy", SnapshotSection.SecurityGroupPolicies), ("v1", "ResourceQuota", SnapshotSection.ResourceQuotas),
            ("v1", "LimitRange", SnapshotSection.LimitRanges), ("scheduling.k8s.io/v1", "PriorityClass", SnapshotSection.PriorityClasses),
            ("node.k8s.io/v1", "RuntimeClass", SnapshotSection.RuntimeClasses), ("policy/v1beta1", "PodSecurityPolicy", SnapshotSection.PodSecurityPolicies),
            ("apiregistration.k8s.io/v1", "APIService", SnapshotSection.ApiServices),
        };
        var text = string.Join("\n---\n", kinds.Select(k => $"apiVersion: {k.ApiVersion}\nkind: {k.Kind}\nmetadata:\n  name: x-{k.Kind.ToLowerInvariant()}"));
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText(text, log);
        log.NoProblems();
        foreach (var (_, kind, section) in kinds)
        {
            Assert.Equal(1, snapshot.DescribeSection(section).ItemCount);
            Assert.True(snapshot.SourceLocations.ContainsKey((kind, "", $"x-{kind.ToLowerInvariant()}")), kind);
        }
        // Every list section of the snapshot is covered by the table above.
        Assert.Equal(typeof(KubernetesSections).GetProperties().Length - NotFromManifests.Length, kinds.Length);
    }

    /// <summary>Sections only a live cluster can fill: the server version, kubelet configz samples, node metrics.</summary>
    private static readonly string[] NotFromManifests =
        [nameof(KubernetesSections.ServerVersion), nameof(KubernetesSections.KubeletConfigs), nameof(KubernetesSections.NodeMetrics)];

    [Fact]
    public void Json_object_is_read_with_lines()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": { "name": "j", "namespace": "default", "labels": { "tier": "web" } },
              "spec": {
                "hostNetwork": true,
                "containers": [ { "name": "c", "image": "busybox", "ports": [ { "containerPort": 8080 } ],
                                  "securityContext": { "capabilities": { "drop": [] } } } ]
              }
            }
            """, log, "pod.json");
        log.NoProblems();
        var pod = Assert.Single(snapshot.Kubernetes.Pods!.All);
        Assert.True(pod.Spec.HostNetwork);
        Assert.Equal(8080, pod.Spec.Containers[0].Ports[0].ContainerPort);
        Assert.Empty(pod.Spec.Containers[0].SecurityContext.Capabilities.Drop);
        Assert.Equal(new SourceLocation("pod.json", 3), snapshot.Location("Pod", "default", "j"));
    }

    [Fact]
    public void Concatenated_json_objects_are_all_read()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"a"}}
            {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"b"}}
            """, log, "s.json");
        log.NoProblems();
        Assert.Equal(["a", "b"], snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name));
        Assert.Equal(2, snapshot.Location("ServiceAccount", "", "b").Line);
    }

    [Fact]
    public void Kind_list_and_typed_lists_and_nested_lists()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: one
              - apiVersion: v1
                kind: PodList
                items:
                  - metadata:
                      name: typed
                      namespace: ns
                    spec:
                      containers: [{ name: c, image: i }]
              - apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: { name: deep }
            ---
            apiVersion: apps/v1
            kind: DeploymentList
            items:
            - metadata:
                name: d1
            - kind: Deployment
              metadata:
                name: d2
            """, log);
        log.NoProblems();
        Assert.Equal("one", Assert.Single(snapshot.Kubernetes.ServiceAccounts!.All).Metadata.Name);
        var pod = Assert.Single(snapshot.Kubernetes.Pods!.All);
        Assert.Equal(("Pod", "v1"), (pod.Kind, pod.ApiVersion)); // given by the typed list
        Assert.Equal("deep", Assert.Single(snapshot.Kubernetes.ConfigMaps!.All).Metadata.Name);
        Assert.Equal(["d1", "d2"], snapshot.Kubernetes.Deployments!.All.Select(d => d.Metadata.Name));
        Assert.All(snapshot.Kubernetes.Deployments.All, d => Assert.Equal("apps/v1", d.ApiVersion));

        Assert.Equal(5, snapshot.Location("ServiceAccount", "", "one").Line);   // its kind line
        Assert.Equal(11, snapshot.Location("Pod", "ns", "typed").Line);         // no kind: the item's first line
        Assert.Equal(20, snapshot.Location("ConfigMap", "", "deep").Line);
        Assert.Equal(26, snapshot.Location("Deployment", "", "d1").Line);
        Assert.Equal(28, snapshot.Location("Deployment", "", "d2").Line);
    }

    [Fact]
    public void Helm_template_output_with_source_comments_and_empty_documents()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            ---
            # Source: shop/templates/serviceaccount.yaml
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: shop
              labels:
                helm.sh/chart: shop-0.1.0
                app.kubernetes.io/version: "1.16.0"
            ---
            # Source: shop/templates/hpa.yaml
            ---
            ---
            # Source: shop/templates/deployment.yaml
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: shop
            spec:
              replicas: 1
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: shop
                spec:
                  serviceAccountName: shop
                  securityContext:
                    {}
                  containers:
                    - name: shop
                      securityContext:
                        {}
                      image: "nginx:1.16.0"
                      imagePullPolicy: IfNotPresent
                      ports:
                        - name: http
                          containerPort: 80
                          protocol: TCP
                      resources:
                        {}
            ---
            # Source: shop/templates/tests/test-connection.yaml
            apiVersion: v1
            kind: Pod
            metadata:
              name: "shop-test-connection"
              annotations:
                "helm.sh/hook": test
            spec:
              containers:
                - name: wget
                  image: busybox
                  command: ['wget']
                  args: ['shop:80']
              restartPolicy: Never
            """, log, "helm");
        log.NoProblems();
        Assert.Equal("1.16.0", snapshot.Kubernetes.ServiceAccounts!.All[0].Metadata.Labels["app.kubernetes.io/version"]);
        var deployment = Assert.Single(snapshot.Kubernetes.Deployments!.All);
        Assert.NotNull(deployment.Spec.Template.Spec.SecurityContext);            // {} is present
        Assert.NotNull(deployment.Spec.Template.Spec.Containers[0].SecurityContext);
        Assert.Null(deployment.Spec.Template.Spec.Containers[0].SecurityContext.Privileged);
        Assert.Equal(16, snapshot.Location("Deployment", "", "shop").Line);
        Assert.Equal(44, snapshot.Location("Pod", "", "shop-test-connection").Line);
        Assert.Equal("test", snapshot.Kubernetes.Pods!.All[0].Metadata.Annotations["helm.sh/hook"]);
    }

    [Fact]
    public void Present_but_empty_is_kept_apart_from_absent()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Pod
            metadata: { name: p }
            spec:
              securityContext: {}
              volumes:
                - name: scratch
                  emptyDir: {}
                - name: cache
              containers:
                - name: a
                  image: i
                  securityContext:
                    capabilities:
                      drop: []
                - name: b
                  image: i
            """, log);
        log.NoProblems();
        var spec = Assert.Single(snapshot.Kubernetes.Pods!.All).Spec;
        Assert.NotNull(spec.SecurityContext);
        Assert.NotNull(spec.Volumes[0].EmptyDir);
        Assert.Null(spec.Volumes[1].EmptyDir);
        var drop = spec.Containers[0].SecurityContext.Capabilities.Drop;
        Assert.NotNull(drop);
        Assert.Empty(drop);
        Assert.Null(spec.Containers[0].SecurityContext.Capabilities.Add);
        Assert.Null(spec.Containers[1].SecurityContext);
        Assert.Null(spec.HostNetwork);
    }

    [Fact]
    public void Yaml_scalars_follow_the_schema_as_kubectl_reads_them()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: scalars
              labels:
                enabled: yes          # a string field: stays "yes"
                version: 1.10         # stays "1.10", not 1.1
                port: 8080
                quoted: "0755"
              annotations:
                nothing: ""
            spec:
              hostNetwork: yes        # a boolean field: YAML 1.1 yes is true
              hostPID: off
              terminationGracePeriodSeconds: 0x1E
              volumes:
                - name: s
                  secret:
                    secretName: s
                    defaultMode: 0644 # octal, as kubectl reads it
              containers:
                - name: c
                  image: i
                  env:
                    - name: DEBUG
                      value: true     # string field: "true"
                    - name: N
                      value: "42"
                  securityContext:
                    privileged: Yes
                    runAsUser: 1_000
                  ports:
                    - containerPort: 80
                  resources:
                    limits:
                      cpu: 1
                      memory: 512Mi
                    requests:
                      cpu: 0.5
                  livenessProbe:
                    httpGet:
                      port: http
                  readinessProbe:
                    httpGet:
                      port: 8080
            """, log);
        log.NoProblems();
        var pod = Assert.Single(snapshot.Kubernetes.Pods!.All);
        var labels = pod.Metadata.Labels;
        Assert.Equal("yes", labels["enabled"]);
        Assert.Equal("1.10", labels["version"]);
        Assert.Equal("8080", labels["port"]);
        Assert.Equal("0755", labels["quoted"]);
        Assert.Equal("", pod.Metadata.Annotations["nothing"]);
        Assert.True(pod.Spec.HostNetwork);
        Assert.False(pod.Spec.HostPID);
        Assert.Equal(30, pod.Spec.TerminationGracePeriodSeconds);
        Assert.Equal(420, pod.Spec.Volumes[0].Secret.DefaultMode);
        var c = pod.Spec.Containers[0];
        Assert.Equal("true", c.Env[0].Value);
        Assert.Equal("42", c.Env[1].Value);
        Assert.True(c.SecurityContext.Privileged);
        Assert.Equal(1000, c.SecurityContext.RunAsUser);
        Assert.Equal("1", c.Resources.Limits["cpu"].ToString());
        Assert.Equal("512Mi", c.Resources.Limits["memory"].ToString());
        Assert.Equal("500m", c.Resources.Requests["cpu"].ToString());
        Assert.Equal("http", c.LivenessProbe.HttpGet.Port.Value);
        Assert.Equal("8080", c.ReadinessProbe.HttpGet.Port.Value);
    }

    [Fact]
    public void Anchors_aliases_merge_keys_and_block_scalars()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: anchors
              annotations:
                script: |
                  #!/bin/sh
                  echo "hello"
                folded: >
                  one
                  two
            spec:
              containers:
                - &base
                  name: a
                  image: nginx
                  securityContext: &restricted
                    runAsNonRoot: true
                    allowPrivilegeEscalation: false
                - <<: *base
                  name: b
                  securityContext: *restricted
            """, log);
        log.NoProblems();
        var pod = Assert.Single(snapshot.Kubernetes.Pods!.All);
        Assert.Equal("#!/bin/sh\necho \"hello\"\n", pod.Metadata.Annotations["script"]);
        Assert.Equal("one two\n", pod.Metadata.Annotations["folded"]);
        var b = pod.Spec.Containers[1];
        Assert.Equal(("b", "nginx"), (b.Name, b.Image));            // own name wins over the merged one
        Assert.True(b.SecurityContext.RunAsNonRoot);
        Assert.False(b.SecurityContext.AllowPrivilegeEscalation);
    }

    [Fact]
    public void A_secret_never_keeps_its_data()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
              namespace: shop
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"aHVudGVyMg=="}}'
                owner: team-a
            type: Opaque
            data:
              password: aHVudGVyMg==
            stringData:
              token: hunter2
            """, log);
        log.NoProblems();
        var secret = Assert.Single(snapshot.Kubernetes.Secrets!.All);
        Assert.Null(secret.Data);
        Assert.Null(secret.StringData);
        Assert.Equal("Opaque", secret.Type);
        Assert.Equal("team-a", secret.Metadata.Annotations["owner"]);
        Assert.False(secret.Metadata.Annotations.ContainsKey("kubectl.kubernetes.io/last-applied-configuration"));
        Assert.DoesNotContain(log.Messages, m => m.Contains("hunter2") || m.Contains("aHVudGVyMg"));
    }

    [Fact]
    public void Unknown_kinds_and_versions_are_skipped_verbosely()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w
              namespace: shop
            ---
            apiVersion: networking.k8s.io/v1beta1
            kind: Ingress
            metadata:
              name: old
            ---
            apiVersion: extensions/v1beta1
            kind: Deployment
            metadata:
              name: legacy
            """, log);
        log.NoProblems();
        Assert.Contains("skipped CustomResourceDefinition widgets.example.com at test.yaml:2", log.Messages);
        Assert.Contains("skipped Widget shop/w at test.yaml:7", log.Messages);
        Assert.Contains(log.Messages, m => m.StartsWith("skipped Ingress old at test.yaml:13: apiVersion networking.k8s.io/v1beta1", StringComparison.Ordinal));
        Assert.Empty(snapshot.Kubernetes.Ingresses!.All);
        // An old Deployment still describes pods worth judging.
        Assert.Equal("legacy", Assert.Single(snapshot.Kubernetes.Deployments!.All).Metadata.Name);
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_mentioned()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: typo
            spec:
              containers:
                - name: c
                  image: i
                  securityContext:
                    privilegd: true
            """, log);
        log.NoProblems();
        Assert.Single(snapshot.Kubernetes.Pods!.All);
        Assert.Contains("ignored unknown field spec.containers[0].securityContext.privilegd of Pod typo at test.yaml:10:9", log.Messages);
    }

    [Fact]
    public void Untyped_psp_spec_keeps_its_fields()
    {
        var snapshot = Manifest.ReadText("""
            apiVersion: policy/v1beta1
            kind: PodSecurityPolicy
            metadata:
              name: privileged
            spec:
              privileged: yes
              hostPorts: [{ min: 0, max: 65535 }]
              runAsUser: { rule: RunAsAny }
              volumes: ['*']
            """);
        var spec = Assert.Single(snapshot.Kubernetes.PodSecurityPolicies!.All).Spec!.Value;
        Assert.True(spec.GetProperty("privileged").GetBoolean());
        Assert.Equal(65535, spec.GetProperty("hostPorts")[0].GetProperty("max").GetInt32());
        Assert.Equal("RunAsAny", spec.GetProperty("runAsUser").GetProperty("rule").GetString());
    }

    [Fact]
    public void Security_group_policy_reads_into_our_own_class()
    {
        var snapshot = Manifest.ReadText("""
            apiVersion: vpcresources.k8s.aws/v1beta1
            kind: SecurityGroupPolicy
            metadata: { name: sgp, namespace: shop }
            spec:
              podSelector: { matchLabels: { app: web } }
              securityGroups: { groupIds: [sg-0123] }
            """);
        var policy = Assert.Single(snapshot.Kubernetes.SecurityGroupPolicies!.All);
        Assert.Equal("sg-0123", policy.Spec!.SecurityGroups!.GroupIds![0]);
        Assert.Equal("web", policy.Spec.PodSelector!.MatchLabels["app"]);
    }

    [Fact]
    public void Empty_and_comment_only_inputs_are_fine()
    {
        var log = new RecordingLog();
        Manifest.ReadText("", log);
        Manifest.ReadText("# nothing here\n# at all\n", log);
        Manifest.ReadText("---\n---\n...\n", log);
        Manifest.ReadText("   \n\n", log, "blank.json");
        log.NoProblems();
    }

    [Fact]
    public void Crlf_line_endings_and_byte_order_marks()
    {
        using var tree = new TempTree();
        var text = "apiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: a\r\n---\r\napiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: b\r\n";
        var utf8 = tree.WriteBytes("utf8bom.yaml", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.Replace("name: a", "name: c").Replace("name: b", "name: d"))]);
        // Windows PowerShell 5.1 writes `helm template > x.yaml` as UTF-16 LE with a BOM.
        var utf16 = tree.WriteBytes("utf16.yaml", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);
        var log = new RecordingLog();
        var snapshot = Manifest.ReadPaths(log, utf8, utf16);
        log.NoProblems();
        Assert.Equal(["c", "d", "a", "b"], snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name));
        Assert.Equal(7, snapshot.Location("ServiceAccount", "", "b").Line);
        Assert.Equal(7, snapshot.Location("ServiceAccount", "", "d").Line);
    }

    [Fact]
    public void Same_object_in_two_places_is_judged_twice_and_located_at_the_first()
    {
        var log = new RecordingLog();
        var snapshot = ManifestReader.Read(new ManifestRequest
        {
            Texts =
            [
                new ManifestText { Name = "dev.yaml", Text = Manifest.Pod("web") },
                new ManifestText { Name = "prod.yaml", Text = Manifest.Pod("web") },
            ],
        }, log);
        Assert.Equal(2, snapshot.Kubernetes.Pods!.Count);
        Assert.Equal("dev.yaml", snapshot.Location("Pod", "default", "web").Path);
        Assert.Contains(log.Messages, m => m.Contains("prod.yaml:2 has the kind, namespace and name of the one at dev.yaml:2"));
    }

    [Fact]
    public void The_engine_reads_manifests_through_its_interface()
    {
        IEksSecurityEngine engine = new EksSecurity.Engine.SecurityEngine();
        var snapshot = engine.ReadManifests(new ManifestRequest { Texts = [new ManifestText { Name = "x", Text = Manifest.Pod("p") }] }, new RecordingLog());
        var data = Assert.IsType<ClusterSnapshot>(snapshot);
        Assert.Equal(SnapshotOrigin.Manifests, data.Origin);
        Assert.Single(data.Kubernetes.Pods!.All);
    }
}
