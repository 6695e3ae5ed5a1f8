using EksSecurity.Engine;
using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Identity;

/// <summary>A cluster where IRSA and Pod Identity are set up right; tests break one thing at a time.</summary>
internal static class IdentityFixtures
{
    public const string Account = "111122223333";
    public const string IssuerHost = "oidc.eks.eu-west-1.amazonaws.com/id/5E1D3C8A7B2F4E6D9A0B1C2D3E4F5A6B";
    public const string Issuer = "https://" + IssuerHost;
    public const string ProviderArn = $"arn:aws:iam::{Account}:oidc-provider/{IssuerHost}";
    public const string AppRole = $"arn:aws:iam::{Account}:role/payments-api";
    public const string ClusterArn = $"arn:aws:eks:eu-west-1:{Account}:cluster/test-cluster";

    public static string IrsaTrust(string subCondition = """ "StringEquals": { "%ISSUER%:sub": "system:serviceaccount:payments:payments-api", "%ISSUER%:aud": "sts.amazonaws.com" } """,
        string provider = ProviderArn) =>
        $$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"{{{provider}}}"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{ {{{subCondition.Replace("%ISSUER%", IssuerHost)}}} }}]}""";

    public const string PodIdentityTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},"ArnEquals":{"aws:SourceArn":"arn:aws:eks:eu-west-1:111122223333:cluster/test-cluster"}}}]}""";

    public const string ScopedPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::payments-bucket/*"}]}""";

    public static IamRole Role(string trust, string policy = ScopedPolicy, string arn = AppRole, string? boundary = "arn:aws:iam::111122223333:policy/workload-boundary") => new()
    {
        RoleName = arn[(arn.LastIndexOf('/') + 1)..],
        Arn = arn,
        AssumeRolePolicyDocument = trust,
        AttachedPolicies = [],
        InlinePolicies = [new IamInlinePolicy { PolicyName = "app", PolicyDocument = policy }],
        PermissionsBoundary = boundary is null ? null : new IamPermissionsBoundary { PermissionsBoundaryArn = boundary, PermissionsBoundaryType = "PermissionsBoundaryPolicy" },
    };

    public static V1Pod Pod(string name, string ns = "payments", string sa = "payments-api", string? roleArn = AppRole, string node = "ip-10-0-1-10.eu-west-1.compute.internal", bool hostNetwork = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec
        {
            ServiceAccountName = sa,
            NodeName = node,
            HostNetwork = hostNetwork,
            Containers = [new V1Container
            {
                Name = "app",
                Image = "app:1",
                Env = roleArn is null ? [] : [new V1EnvVar { Name = "AWS_ROLE_ARN", Value = roleArn }, new V1EnvVar { Name = "AWS_WEB_IDENTITY_TOKEN_FILE", Value = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token" }],
            }],
            Volumes = roleArn is null ? [] : [new V1Volume
            {
                Name = "aws-iam-token",
                Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Audience = "sts.amazonaws.com", Path = "token", ExpirationSeconds = 86400 } }] },
            }],
        },
    };

    public static V1Node Node(string name = "ip-10-0-1-10.eu-west-1.compute.internal", string instanceId = "i-0aaa1111bbbb2222c", string? computeType = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = computeType is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["eks.amazonaws.com/compute-type"] = computeType } },
        Spec = new V1NodeSpec { ProviderID = $"aws:///eu-west-1a/{instanceId}" },
    };

    public static Ec2Instance Instance(string id = "i-0aaa1111bbbb2222c", string tokens = "required", int hops = 1) => new()
    {
        InstanceId = id,
        MetadataOptions = new Ec2InstanceMetadataOptions { HttpTokens = tokens, HttpPutResponseHopLimit = hops, HttpEndpoint = "enabled" },
    };

    public static ClusterSnapshot Irsa(string? trust = null, IamRole? role = null, string? saRoleArn = AppRole) => TestSnapshots.Empty().With(s =>
    {
        s.Cluster().Identity = new EksIdentity { Oidc = new EksOidc { Issuer = Issuer } };
        s.Aws.OidcProviders!.Items!.Add(new IamOidcProvider { Arn = ProviderArn, Url = IssuerHost, ClientIdList = ["sts.amazonaws.com"] });
        s.Aws.IamRoles!.Items!.Add(role ?? Role(trust ?? IrsaTrust()));
        s.Kubernetes.Namespaces!.Items!.Add(new V1Namespace { Metadata = new V1ObjectMeta { Name = "payments" } });
        s.Kubernetes.ServiceAccounts!.Items!.Add(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta
            {
                Name = "payments-api",
                NamespaceProperty = "payments",
                Annotations = saRoleArn is null ? null : new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = saRoleArn },
            },
        });
        s.Kubernetes.Pods!.Items!.Add(Pod("payments-api-7d9f8-abcde"));
        s.Kubernetes.Nodes!.Items!.Add(Node());
        s.Aws.Instances!.Items!.Add(Instance());
    });

    public static ClusterSnapshot PodIdentity(string? trust = null, bool agent = true, bool? disableSessionTags = null) => Irsa(saRoleArn: null, role: Role(trust ?? PodIdentityTrust)).With(s =>
    {
        s.Kubernetes.Pods!.Items!.Clear();
        s.Kubernetes.Pods.Items.Add(Pod("payments-api-7d9f8-abcde", roleArn: null));
        s.Aws.PodIdentityAssociations!.Items!.Add(new EksPodIdentityAssociation
        {
            ClusterName = "test-cluster",
            Namespace = "payments",
            ServiceAccount = "payments-api",
            RoleArn = AppRole,
            AssociationId = "a-abcdefghijklmnop1",
            AssociationArn = $"arn:aws:eks:eu-west-1:{Account}:podidentityassociation/test-cluster/a-abcdefghijklmnop1",
            DisableSessionTags = disableSessionTags,
        });
        if (agent) s.Aws.Addons!.Items!.Add(new EksAddon { AddonName = "eks-pod-identity-agent", Status = "ACTIVE", AddonVersion = "v1.3.4-eksbuild.1" });
    });

    public static IReadOnlyList<WorkloadIdentityResult> TestIrsa(ClusterSnapshot snapshot, WorkloadIdentityQuery? query = null) =>
        new SecurityEngine().TestIrsa(snapshot, query ?? new WorkloadIdentityQuery());

    public static IReadOnlyList<WorkloadIdentityResult> TestPodIdentity(ClusterSnapshot snapshot, WorkloadIdentityQuery? query = null) =>
        new SecurityEngine().TestPodIdentity(snapshot, query ?? new WorkloadIdentityQuery());

    public static WorkloadIdentityCheck Check(this WorkloadIdentityResult result, string id) => Assert.Single(result.Checks, c => c.Id == id);
}
