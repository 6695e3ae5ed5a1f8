using System.Text.Json;
using EksSecurity.AwsTestServer;
using EksSecurity.Engine.Aws;
using EksSecurity.Engine.Aws.Collection;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Integration.AwsIntegration;

namespace EksSecurity.Tests.Integration;

/// <summary>
/// SecurityEngine.CollectAsync against the AWS test server: every AWS section with the scenario's
/// content, rules over what was collected, the IAM cache, denied and least-privilege credentials,
/// and throttling.
/// </summary>
public class AwsCollectionIntegrationTests
{
    [Fact]
    public async Task Collects_every_aws_section_of_the_cluster_with_the_scenarios_content()
    {
        using var server = Start();
        var snapshot = await CollectAsync(server);
        var aws = snapshot.Aws;

        Assert.True(NotCollected(snapshot).Length == 0, NotCollected(snapshot));
        Assert.Equal("demo", snapshot.ClusterName);
        Assert.Equal(Region, snapshot.Region);
        Assert.Equal("arn:aws:eks:eu-west-1:111122223333:cluster/demo", snapshot.ClusterArn);

        // The cluster, as DescribeCluster returned it.
        var cluster = aws.Cluster!.Value!;
        Assert.Equal("1.33", cluster.Version);
        Assert.Equal("eks.9", cluster.PlatformVersion);
        Assert.Equal("arn:aws:iam::111122223333:role/eks-cluster-role", cluster.RoleArn);
        Assert.True(cluster.ResourcesVpcConfig!.EndpointPublicAccess);
        Assert.False(cluster.ResourcesVpcConfig.EndpointPrivateAccess);
        Assert.Equal(["0.0.0.0/0"], cluster.ResourcesVpcConfig.PublicAccessCidrs!);
        Assert.Equal("sg-0democluster", cluster.ResourcesVpcConfig.ClusterSecurityGroupId);
        Assert.Equal(["subnet-0demo0a", "subnet-0demo0b"], cluster.ResourcesVpcConfig.SubnetIds!);
        Assert.Equal("API", cluster.AccessConfig!.AuthenticationMode);
        Assert.Equal("arn:aws:kms:eu-west-1:111122223333:key/0d3m0k3y-aaaa-bbbb-cccc-000000000001", cluster.EncryptionConfig!.Single().Provider!.KeyArn);
        Assert.StartsWith("LS0tLS1CRUdJTi", cluster.CertificateAuthority!.Data);
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero), cluster.CreatedAt);
        Assert.True(cluster.DeletionProtection);
        Assert.Equal("platform", cluster.Tags!["team"]);

        Assert.Equal(["1.32", "1.33"], aws.ClusterVersions!.All.Select(v => v.ClusterVersion).Order());

        // Node groups and the launch template version each one runs.
        var system = aws.NodeGroups!.All.Single(n => n.NodegroupName == "ng-system");
        Assert.Equal(2, aws.NodeGroups.Count);
        Assert.Equal(("lt-0demosystem00001", "3"), (system.LaunchTemplate!.Id, system.LaunchTemplate.Version));
        Assert.Equal("AL2023_x86_64_STANDARD", system.AmiType);
        Assert.Equal(3, system.ScalingConfig!.DesiredSize);
        Assert.Equal("NO_SCHEDULE", system.Taints!.Single().Effect);
        Assert.Equal("SPOT", aws.NodeGroups.All.Single(n => n.NodegroupName == "ng-apps").CapacityType);
        Assert.Equal([("lt-0demoapps0000002", 1L), ("lt-0demosystem00001", 3L)],
            aws.LaunchTemplates!.All.Select(v => (v.LaunchTemplateId!, v.VersionNumber ?? 0)).Order());
        var systemTemplate = aws.LaunchTemplates.All.Single(v => v.LaunchTemplateId == "lt-0demosystem00001").LaunchTemplateData!;
        Assert.Equal(("required", 1), (systemTemplate.MetadataOptions!.HttpTokens, systemTemplate.MetadataOptions.HttpPutResponseHopLimit ?? 0));
        Assert.Null(systemTemplate.UserData); // bootstrap secrets never reach the snapshot
        Assert.Equal("ops-key", aws.LaunchTemplates.All.Single(v => v.LaunchTemplateId == "lt-0demoapps0000002").LaunchTemplateData!.KeyName);

        Assert.Equal(["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"], aws.Addons!.All.Select(a => a.AddonName).Order());
        Assert.Equal("arn:aws:iam::111122223333:role/vpc-cni-irsa", aws.Addons.All.Single(a => a.AddonName == "vpc-cni").ServiceAccountRoleArn);

        // Access entries with their associated access policies (ListAssociatedAccessPolicies).
        Assert.Equal(4, aws.AccessEntries!.Count);
        var alice = aws.AccessEntries.All.Single(e => e.PrincipalArn == "arn:aws:iam::111122223333:user/alice");
        var view = alice.AssociatedAccessPolicies!.Single();
        Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", view.PolicyArn);
        Assert.Equal("namespace", view.AccessScope!.Type);
        Assert.Equal(["team-a", "team-b"], view.AccessScope.Namespaces!);
        Assert.Equal(["viewers"], alice.KubernetesGroups!);
        var admins = aws.AccessEntries.All.Single(e => e.PrincipalArn == "arn:aws:iam::111122223333:role/platform-admins");
        Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", admins.AssociatedAccessPolicies!.Single().PolicyArn);
        Assert.Equal("EC2_LINUX", aws.AccessEntries.All.Single(e => e.PrincipalArn!.EndsWith("/eks-node-role", StringComparison.Ordinal)).Type);

        Assert.Equal(["api", "backup", "worker"], aws.PodIdentityAssociations!.All.Select(p => p.ServiceAccount).Order());
        Assert.Equal("arn:aws:iam::111122223333:role/workloads/app-shared", aws.PodIdentityAssociations.All.Single(p => p.ServiceAccount == "worker").RoleArn);

        // IAM roles, with managed and inline policy documents decoded from IAM's URL-encoding.
        Assert.Equal(["app-shared", "backup", "eks-cluster-role", "eks-node-role", "platform-admins", "vpc-cni-irsa"],
            aws.IamRoles!.All.Select(r => r.RoleName).Order());
        var appShared = aws.IamRoles.All.Single(r => r.RoleName == "app-shared");
        Assert.Equal("/workloads/", appShared.Path);
        Assert.Equal("pods.eks.amazonaws.com", Json(appShared.AssumeRolePolicyDocument).GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Service").GetString());
        var dataRead = appShared.AttachedPolicies!.Single();
        Assert.Equal(("app-data-read", "v2"), (dataRead.PolicyName, dataRead.DefaultVersionId));
        var statement = Json(dataRead.Document).GetProperty("Statement")[0];
        Assert.Equal("ReadAppData", statement.GetProperty("Sid").GetString());
        Assert.Equal(["s3:GetObject", "s3:ListBucket"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["arn:aws:s3:::shop-data", "arn:aws:s3:::shop-data/*"], statement.GetProperty("Resource").EnumerateArray().Select(a => a.GetString()));
        var queue = appShared.InlinePolicies!.Single();
        Assert.Equal("queue-access", queue.PolicyName);
        Assert.Equal("arn:aws:sqs:eu-west-1:111122223333:orders", Json(queue.PolicyDocument).GetProperty("Statement")[0].GetProperty("Resource").GetString());
        var node = aws.IamRoles.All.Single(r => r.RoleName == "eks-node-role");
        Assert.Equal(["AmazonEC2ContainerRegistryReadOnly", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"], node.AttachedPolicies!.Select(p => p.PolicyName!).Order(StringComparer.Ordinal));
        Assert.Contains("ec2:AssignPrivateIpAddresses", node.AttachedPolicies!.Single(p => p.PolicyName == "AmazonEKS_CNI_Policy").Document);
        var platformAdmins = aws.IamRoles.All.Single(r => r.RoleName == "platform-admins");
        Assert.Equal(43200, platformAdmins.MaxSessionDuration);
        Assert.Equal("eks:*", Json(platformAdmins.InlinePolicies!.Single().PolicyDocument).GetProperty("Statement")[0].GetProperty("Action").GetString());

        // IAM users with access: MFA devices, console password, keys and their last use.
        Assert.Equal(["alice", "bob"], aws.IamUsers!.All.Select(u => u.UserName).Order());
        var aliceUser = aws.IamUsers.All.Single(u => u.UserName == "alice");
        Assert.Equal("arn:aws:iam::111122223333:mfa/alice", aliceUser.MfaDevices!.Single().SerialNumber);
        Assert.True(aliceUser.HasLoginProfile);
        var aliceKey = aliceUser.AccessKeys!.Single();
        Assert.Equal(("AKIAINTEGALICEKEY001", "eks"), (aliceKey.AccessKeyId, aliceKey.LastUsedServiceName));
        Assert.Equal(new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero), aliceKey.LastUsedDate);
        var bob = aws.IamUsers.All.Single(u => u.UserName == "bob");
        Assert.Empty(bob.MfaDevices!);
        Assert.False(bob.HasLoginProfile);
        Assert.Equal(["Active", "Inactive"], bob.AccessKeys!.Select(k => k.Status).Order());

        Assert.Equal(2, aws.OidcProviders!.Count);
        Assert.Contains(aws.OidcProviders.All, p => p.Url == "oidc.eks.eu-west-1.amazonaws.com/id/D3M0OIDC0000000000000000000000AA");
        Assert.Equal(14, aws.AccountSettings!.Value!.PasswordPolicy!.MinimumPasswordLength);
        Assert.Equal(3, aws.AccountSettings.Value.SummaryMap!["Users"]);

        // EC2: the cluster's instances (by tag), the security groups of cluster and instances, subnets.
        Assert.Equal(["i-0demoapps0000002", "i-0demosystem00001"], aws.Instances!.All.Select(i => i.InstanceId).Order());
        Assert.Equal(["sg-0democluster", "sg-0demoextra", "sg-0demonodes"], aws.SecurityGroups!.All.Select(g => g.GroupId).Order());
        Assert.Equal(["subnet-0demo0a", "subnet-0demo0b"], aws.Subnets!.All.Select(s => s.SubnetId).Order());

        // SSM's recommended AMI release and EKS's add-on versions for the cluster's Kubernetes version.
        var release = aws.AmiReleases!.All.Single();
        Assert.Equal(("/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version", "1.33.4-20250904"), (release.Name, release.Value));
        Assert.Equal(["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"], aws.AddonVersions!.All.Select(a => a.AddonName).Order());
        Assert.All(aws.AddonVersions.All.SelectMany(a => a.AddonVersions!).SelectMany(v => v.Compatibilities!), c => Assert.Equal("1.33", c.ClusterVersion));

        // KMS: the secrets key, its rotation status and policy.
        var key = aws.KmsKey!.Value!;
        Assert.Equal(("Enabled", "CUSTOMER"), (key.KeyMetadata!.KeyState, key.KeyMetadata.KeyManager));
        Assert.False(key.KeyRotationEnabled);
        Assert.Equal("arn:aws:iam::111122223333:role/eks-cluster-role", Json(key.Policy).GetProperty("Statement")[1].GetProperty("Principal").GetProperty("AWS").GetString());

        // Kubernetes was not asked for: its sections stay not collected.
        Assert.Equal(SectionStatus.NotCollected, snapshot.DescribeSection(SnapshotSection.Pods).Status);
    }

    [Fact]
    public async Task Rules_judge_what_was_collected()
    {
        using var server = Start();
        var demo = Evaluate(await CollectAsync(server, "demo"), "EKS-NET-001", "EKS-IAM-042", "EKS-DATA-002");
        var other = Evaluate(await CollectAsync(server, "other"), "EKS-NET-001", "EKS-DATA-002");

        var endpoint = Assert.Single(demo, f => f.RuleId == "EKS-NET-001");
        Assert.Equal(FindingStatus.Fail, endpoint.Status);
        Assert.Contains("publicly accessible from any address", endpoint.Message);
        Assert.Contains("resourcesVpcConfig.publicAccessCidrs = [0.0.0.0/0]", endpoint.Evidence);
        Assert.Equal(FindingStatus.Pass, Assert.Single(other, f => f.RuleId == "EKS-NET-001").Status);

        var mfa = demo.Where(f => f.RuleId == "EKS-IAM-042").ToList();
        var bob = Assert.Single(mfa, f => f.Message.Contains("user/bob", StringComparison.Ordinal));
        Assert.Equal(FindingStatus.Fail, bob.Status);
        Assert.Contains("1 active access key(s)", bob.Message);
        Assert.Equal(FindingStatus.Pass, Assert.Single(mfa, f => f.Message.Contains("user/alice", StringComparison.Ordinal)).Status);
        Assert.Equal(2, mfa.Count);

        var kms = Assert.Single(demo, f => f.RuleId == "EKS-DATA-002");
        Assert.Equal(FindingStatus.Fail, kms.Status);
        Assert.Contains("automatic rotation is off", kms.Message);
        Assert.Contains("KeyRotationEnabled = false", kms.Evidence);
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(other, f => f.RuleId == "EKS-DATA-002").Status); // no customer key to judge there
        Assert.All(demo.Concat(other), f => Assert.Equal(Region, f.Region));
    }

    [Fact]
    public async Task Shared_roles_and_policies_are_fetched_once_per_collection()
    {
        using var server = Start();
        await CollectAsync(server);
        var log = server.RequestLog;
        // bob has no console password: GetLoginProfile's NoSuchEntity is the answer, not a failure.
        Assert.All(log, e => Assert.True(e.Status == 200 || (e.Action == "iam:GetLoginProfile" && e.ErrorCode == "NoSuchEntity"), e.ToString()));

        // eks-node-role backs two node groups and an access entry; app-shared two Pod Identity associations.
        var roles = log.Where(e => e.Action == "iam:GetRole").GroupBy(e => e.Resource).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(["role app-shared", "role backup", "role eks-cluster-role", "role eks-node-role", "role platform-admins", "role vpc-cni-irsa"], roles.Keys.Order());
        Assert.All(roles, r => Assert.Equal(1, r.Value));
        foreach (var perRole in new[] { "iam:ListAttachedRolePolicies", "iam:ListRolePolicies" })
            Assert.Equal(6, log.Count(e => e.Action == perRole));

        // AmazonEKS_CNI_Policy is attached to two roles, app-data-read to two.
        var expectedPolicies = new[]
        {
            "arn:aws:iam::111122223333:policy/app-data-read", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
            "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        };
        foreach (var action in new[] { "iam:GetPolicy", "iam:GetPolicyVersion" })
        {
            var policies = log.Where(e => e.Action == action).GroupBy(e => e.Resource).ToDictionary(g => g.Key!, g => g.Count());
            Assert.Equal(expectedPolicies.Select(p => "policy " + p), policies.Keys.Order(StringComparer.Ordinal));
            Assert.All(policies, p => Assert.Equal(1, p.Value));
        }
        // Users: once each, with one GetAccessKeyLastUsed per key.
        Assert.Equal(["user alice", "user bob"], log.Where(e => e.Action == "iam:GetUser").Select(e => e.Resource).Order());
        Assert.Equal(3, log.Count(e => e.Action == "iam:GetAccessKeyLastUsed"));
    }

    [Fact]
    public async Task A_policy_shared_by_many_roles_is_fetched_once_even_when_they_load_at_once()
    {
        // 60 workload roles, each attaching the same two managed policies, all loaded concurrently.
        using var server = Start(edit: scenario =>
        {
            var account = scenario.Root["accounts"]![Account]!;
            var roles = account["iam"]!["roles"]!.AsArray();
            var demo = account["eks"]!["clusters"]!.AsArray().Single(c => (string?)c!["name"] == "demo")!;
            var associations = demo["podIdentityAssociations"]!.AsArray();
            for (var i = 0; i < 60; i++)
            {
                roles.Add(System.Text.Json.Nodes.JsonNode.Parse($$"""
                    { "RoleName": "burst-{{i:00}}", "Arn": "arn:aws:iam::{{Account}}:role/burst-{{i:00}}", "CreateDate": "2025-01-01T00:00:00Z",
                      "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Principal": { "Service": "pods.eks.amazonaws.com" }, "Action": "sts:AssumeRole" } ] },
                      "AttachedManagedPolicies": [ "arn:aws:iam::{{Account}}:policy/app-data-read", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" ] }
                    """));
                associations.Add(System.Text.Json.Nodes.JsonNode.Parse($$"""
                    { "associationId": "a-burst{{i:0000000000}}", "namespace": "burst", "serviceAccount": "sa-{{i}}", "roleArn": "arn:aws:iam::{{Account}}:role/burst-{{i:00}}" }
                    """));
            }
        });
        var snapshot = await CollectAsync(server, access: Access(server, throttleLimit: 32));
        Assert.Equal(66, snapshot.Aws.IamRoles!.Count);
        var log = server.RequestLog;
        Assert.Equal(1, log.Count(e => e.Action == "iam:GetPolicyVersion" && e.Resource == "policy arn:aws:iam::111122223333:policy/app-data-read"));
        Assert.Equal(1, log.Count(e => e.Action == "iam:GetPolicyVersion" && e.Resource == "policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        Assert.All(log.Where(e => e.Action == "iam:GetRole").GroupBy(e => e.Resource), g => Assert.Single(g));
    }

    [Fact]
    public async Task A_denied_action_marks_its_section_denied_and_its_rules_error()
    {
        using var server = Start();
        var snapshot = await CollectAsync(server, access: Access(server, NoEntriesKey, NoEntriesSecret));

        var entries = snapshot.DescribeSection(SnapshotSection.AccessEntries);
        Assert.Equal(SectionStatus.Denied, entries.Status);
        Assert.Equal("eks:ListAccessEntries", entries.Permission);
        Assert.Contains("is not authorized to perform: eks:ListAccessEntries", entries.Reason);
        Assert.Equal([SnapshotSection.AccessEntries], AwsSectionIds.Where(s => snapshot.DescribeSection(s).Status is SectionStatus.Denied or SectionStatus.Failed));
        Assert.True(NotCollected(snapshot).Split('\n').Length == 1, NotCollected(snapshot));
        Assert.Contains(server.RequestLog, e => e.Action == "eks:ListAccessEntries" && e.ErrorCode == "AccessDeniedException");

        // The rules that judge who can reach the cluster report Error naming the permission, never Pass. (Other readers
        // of access entries judge what they can without them: EKS-IAM-002 from bootstrapClusterCreatorAdminPermissions.)
        string[] readers = ["EKS-IAM-003", "EKS-IAM-006", "EKS-IAM-042", "EKS-IAM-043", "EKS-IAM-044"];
        Assert.All(readers, id => Assert.Contains(SnapshotSection.AccessEntries,
            RuleCatalog.Default.Rules.Single(r => r.Metadata.Id == id).Metadata.Reads.Concat(RuleCatalog.Default.Rules.Single(r => r.Metadata.Id == id).Metadata.OptionallyReads)));
        var findings = Evaluate(snapshot, readers);
        Assert.Equal(FindingStatus.Pass, Evaluate(snapshot, "EKS-IAM-002").Single().Status);
        foreach (var id in readers)
        {
            var own = findings.Where(f => f.RuleId == id).ToList();
            Assert.Contains(own, f => f.Status == FindingStatus.Error && (f.Message + string.Join("\n", f.Evidence)).Contains("eks:ListAccessEntries", StringComparison.Ordinal));
            Assert.DoesNotContain(own, f => f.Status == FindingStatus.Pass && f.ResourceType == "Cluster");
        }
        // Rules on other sections are unaffected.
        Assert.Equal(FindingStatus.Fail, Evaluate(snapshot, "EKS-NET-001").Single().Status);
    }

    [Fact]
    public async Task The_scanner_policy_is_exactly_enough_for_a_full_collection()
    {
        var actions = AwsPermissions.ActionsFor(RuleCatalog.Default.Rules);
        using var server = Start(edit: scenario => scenario.AddCredential(new ScenarioCredential
        {
            AccessKeyId = "AKIAINTEGLEASTPRIV01",
            SecretAccessKey = "least/Privilege+Secret/EXAMPLE000000000001",
            Arn = "arn:aws:iam::111122223333:role/eks-security-scanner",
            Allow = [.. actions],
        }));
        var access = Access(server, "AKIAINTEGLEASTPRIV01", "least/Privilege+Secret/EXAMPLE000000000001");
        var snapshots = new List<ClusterSnapshot>();
        foreach (var cluster in new[] { "demo", "other" })
        {
            var snapshot = await CollectAsync(server, cluster, access);
            Assert.True(NotCollected(snapshot).Length == 0, $"{cluster}:\n{NotCollected(snapshot)}");
            snapshots.Add(snapshot);
        }
        var called = server.RequestLog.Select(e => e.Action).Distinct().ToHashSet();
        Assert.DoesNotContain(server.RequestLog, e => e.Status != 200 && e.ErrorCode != "NoSuchEntity");
        // Least privilege both ways: every granted action is one the collection uses (but for sections a collection
        // without Kubernetes has nothing to ask about: no PersistentVolumes, no EBS volumes to describe).
        var unused = MayStayNotCollected.Where(s => snapshots.All(x => x.DescribeSection(s) is { ItemCount: 0 } info
                && info.Status is SectionStatus.NotCollected or SectionStatus.Collected))
            .SelectMany(s => AwsPermissions.BySection[s]).ToHashSet();
        Assert.Equal(actions.Where(a => !unused.Contains(a)).Order(StringComparer.Ordinal), called.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Throttled_calls_are_retried_until_they_succeed()
    {
        using var server = Start(edit: scenario =>
        {
            scenario.AddFault(new FaultRule { Action = "eks:Describe*", Kind = "throttle", EveryNth = 3 });
            scenario.AddFault(new FaultRule { Action = "eks:List*", Kind = "throttle", FirstN = 2 });
            scenario.AddFault(new FaultRule { Action = "iam:Get*", Kind = "throttle", Probability = 0.3, Seed = 7 });
            scenario.AddFault(new FaultRule { Action = "ec2:Describe*", Kind = "throttle", EveryNth = 2 });
            scenario.AddFault(new FaultRule { Action = "kms:*", Kind = "throttle", FirstN = 1 });
            scenario.AddFault(new FaultRule { Action = "ssm:GetParameter", Kind = "throttle", FirstN = 1 });
        });
        var access = AwsCredentialResolver.Resolve(Access(server));
        using var http = new AwsHttpClient(access, retry: new AwsRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) });
        var snapshot = new ClusterSnapshot { ClusterName = "demo" };
        var collector = new AwsCollector(http);
        await collector.CollectAsync(snapshot, "demo", CancellationToken.None);
        await collector.CollectDependentAsync(snapshot, CancellationToken.None);

        Assert.True(NotCollected(snapshot).Length == 0, NotCollected(snapshot));
        Assert.Equal(6, snapshot.Aws.IamRoles!.Count);
        var log = server.RequestLog;
        var throttled = log.Where(e => e.ErrorCode is "ThrottlingException" or "Throttling" or "RequestLimitExceeded").ToList();
        Assert.Contains(throttled, e => e.Service == "eks");
        Assert.Contains(throttled, e => e.Service == "iam");
        Assert.Contains(throttled, e => e.Service == "ec2");
        Assert.Contains(throttled, e => e.Service == "kms");
        Assert.Contains(throttled, e => e.Service == "ssm");
        // Nothing but throttles failed, and every throttled action was answered in the end.
        Assert.All(log.Where(e => e.Status != 200 && e.ErrorCode != "NoSuchEntity"), e => Assert.Contains(e, throttled));
        foreach (var action in throttled.Select(e => e.Action).Distinct())
            Assert.Contains(log, e => e.Action == action && e.Status == 200);
        // Our own client (EKS, IAM) counted its retries; the SDK clients (EC2, KMS, SSM) retried theirs.
        var ownThrottles = throttled.Count(e => e.Service is "eks" or "iam");
        Assert.Equal(ownThrottles, http.Retries);
        // Calls: every request our client sent, plus one per SDK call (the SDK's own retries are not ours to count).
        Assert.Equal(log.Count(e => e.Service is "eks" or "iam") + log.Count(e => e.Service is "ec2" or "kms" or "ssm" && e.Status == 200), http.Calls);
    }

    private static JsonElement Json(string? document)
    {
        Assert.NotNull(document);
        return JsonDocument.Parse(document).RootElement;
    }
}
