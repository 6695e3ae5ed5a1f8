using EksSecurity.Engine.Aws.Policy;
using EksSecurity.Engine.Rules.Iam;
using k8s.Models;

namespace EksSecurity.Engine.Identity;

/// <summary>
/// IRSA for one service account, check by check: the cluster's issuer, IAM's provider for it, the role, a trust
/// policy that lets exactly this service account of this cluster in, the web identity injected into its pods, what
/// the role can do, and whether its pods can still reach the node role. Test-EksIrsa and EKS-IAM-034 read it.
/// </summary>
internal sealed class IrsaAnalyzer(WorkloadIdentityFacts facts)
{
    public const string Annotation = "IrsaAnnotation";
    public const string ClusterIssuer = "IrsaClusterIssuer";
    public const string OidcProvider = "IrsaOidcProvider";
    public const string RoleExists = "IrsaRoleExists";
    public const string TrustAllowsServiceAccount = "IrsaTrustAllowsServiceAccount";
    public const string TrustSubjectScoped = "IrsaTrustSubjectScoped";
    public const string TrustAudience = "IrsaTrustAudience";
    public const string TrustOtherIssuers = "IrsaTrustOtherIssuers";
    public const string PodsInjected = "IrsaPodsInjected";
    public const string RolePermissions = "WorkloadRolePermissions";
    public const string NodeRoleReachable = "NodeRoleReachable";

    /// <summary>Checks about the trust policy alone (what EKS-IAM-034 reports).</summary>
    public static readonly IReadOnlySet<string> TrustChecks = new HashSet<string>(StringComparer.Ordinal)
    {
        ClusterIssuer, RoleExists, TrustAllowsServiceAccount, TrustSubjectScoped, TrustAudience, TrustOtherIssuers,
    };

    /// <param name="trustOnly">Stop after the trust policy (what EKS-IAM-034 needs): no pods, permissions or IMDS.</param>
    public WorkloadIdentityResult Analyze(V1ServiceAccount serviceAccount, bool trustOnly = false)
    {
        var ns = serviceAccount.Metadata?.NamespaceProperty ?? "default";
        var name = serviceAccount.Metadata?.Name ?? "";
        var roleArn = WorkloadIdentityFacts.RoleArnOf(serviceAccount);
        var checks = new List<WorkloadIdentityCheck>();
        var result = new WorkloadIdentityResult
        {
            Kind = WorkloadIdentityKind.Irsa,
            ClusterName = facts.ClusterName,
            Namespace = ns,
            ServiceAccount = name,
            RoleArn = roleArn,
            Checks = checks,
        };
        if (roleArn is null)
        {
            checks.Add(Check(Annotation, FindingStatus.Fail, $"The service account {ns}/{name} has no {WorkloadIdentityFacts.RoleArnAnnotation} annotation: its pods get no IRSA role."));
            return result;
        }
        var parsed = IamPrincipalArn.Parse(roleArn);
        // An assumed-role (sts) ARN also parses as a role, but IRSA needs the role itself.
        if (parsed is not { Kind: PrincipalKind.Role } || roleArn.Split(':')[2] != "iam")
        {
            checks.Add(Check(Annotation, FindingStatus.Fail, $"The annotation names '{roleArn}', which is not an IAM role ARN.", [$"{WorkloadIdentityFacts.RoleArnAnnotation} = {roleArn}"]));
            return result;
        }
        checks.Add(Check(Annotation, FindingStatus.Pass, $"The service account asks for {roleArn}.", [$"{WorkloadIdentityFacts.RoleArnAnnotation} = {roleArn}"]));

        var issuer = IssuerCheck(checks);
        var providerArn = ProviderCheck(checks, issuer, parsed.Account);
        var (role, roleProblem) = facts.Role(roleArn);
        if (role is null) checks.Add(Check(RoleExists, FindingStatus.Error, $"Whether {roleArn} exists could not be checked: {roleProblem}."));
        else if (role.NoSuchEntity == true)
            checks.Add(Check(RoleExists, FindingStatus.Fail, $"The role {roleArn} does not exist: pods get an AccessDenied from STS, and whoever creates that name decides what they may do.", ["iam:GetRole: NoSuchEntity"]));
        else
        {
            checks.Add(Check(RoleExists, FindingStatus.Pass, $"The role {roleArn} exists."));
            TrustChecksFor(checks, role, issuer, providerArn, ns, name);
            if (!trustOnly) checks.Add(WorkloadIdentityChecks.Permissions(facts, role));
        }
        if (trustOnly) return result;
        checks.Add(PodsCheck(ns, name, roleArn));
        checks.Add(WorkloadIdentityChecks.NodeRole(facts, facts.PodsOf(ns, name)));
        return result;
    }

    /// <summary>The cluster's OIDC issuer host and path, or null (with the check saying why).</summary>
    private string? IssuerCheck(List<WorkloadIdentityCheck> checks)
    {
        if (!facts.Has(SnapshotSection.Cluster))
        {
            checks.Add(Check(ClusterIssuer, FindingStatus.Error, $"The cluster's OIDC issuer could not be read: {facts.Missing(SnapshotSection.Cluster)}."));
            return null;
        }
        if (string.IsNullOrWhiteSpace(facts.Issuer))
        {
            checks.Add(Check(ClusterIssuer, FindingStatus.Fail, "The cluster has no OIDC issuer: IRSA cannot work on it.", ["identity.oidc.issuer = (absent)"]));
            return null;
        }
        checks.Add(Check(ClusterIssuer, FindingStatus.Pass, $"The cluster's OIDC issuer is {facts.Issuer}.", [$"identity.oidc.issuer = {facts.Issuer}"]));
        return TrustPolicy.IssuerHostPath(facts.Issuer);
    }

    /// <summary>IAM's OIDC provider for the issuer (with the sts.amazonaws.com audience); its ARN, or the one it would have.</summary>
    private string? ProviderCheck(List<WorkloadIdentityCheck> checks, string? issuer, string roleAccount)
    {
        if (issuer is null)
        {
            checks.Add(Check(OidcProvider, FindingStatus.Error, "IAM's OIDC provider cannot be looked for without the cluster's issuer."));
            return null;
        }
        var expected = TrustPolicy.OidcProviderArn(facts.Account ?? roleAccount, issuer, facts.Partition);
        if (!facts.Has(SnapshotSection.OidcProviders))
        {
            checks.Add(Check(OidcProvider, FindingStatus.Error, $"Whether IAM has an OIDC provider for {issuer} could not be checked: {facts.Missing(SnapshotSection.OidcProviders)}."));
            return expected;
        }
        var provider = facts.Snapshot.Aws.OidcProviders!.All.FirstOrDefault(p =>
            p.Url is not null && string.Equals(TrustPolicy.IssuerHostPath(p.Url), issuer, StringComparison.OrdinalIgnoreCase));
        if (provider is null)
        {
            checks.Add(Check(OidcProvider, FindingStatus.Fail, $"IAM has no OIDC provider for {issuer}: STS refuses every IRSA token of this cluster.",
                [$"providers = {Rbac.List(facts.Snapshot.Aws.OidcProviders.All.Select(p => p.Url ?? p.Arn ?? "(unnamed)"))}"]));
            return expected;
        }
        var audiences = provider.ClientIdList ?? [];
        var evidence = new[] { $"provider = {provider.Arn}", $"audiences = {Rbac.List(audiences)}" };
        checks.Add(audiences.Contains(TrustPolicy.StsAudience, StringComparer.Ordinal)
            ? Check(OidcProvider, FindingStatus.Pass, $"IAM has the OIDC provider {provider.Arn} with audience {TrustPolicy.StsAudience}.", evidence)
            : Check(OidcProvider, FindingStatus.Fail, $"IAM's OIDC provider {provider.Arn} does not list the audience {TrustPolicy.StsAudience}: STS refuses the tokens EKS mints.", evidence));
        return provider.Arn ?? expected;
    }

    private void TrustChecksFor(List<WorkloadIdentityCheck> checks, Aws.Model.IamRole role, string? issuer, string? providerArn, string ns, string name)
    {
        var (trust, problem) = WorkloadIdentityFacts.TrustOf(role);
        if (trust is null)
        {
            checks.Add(Check(TrustAllowsServiceAccount, FindingStatus.Error, $"The trust policy of {role.Arn} could not be read: {problem}."));
            return;
        }
        if (issuer is null || providerArn is null)
        {
            checks.Add(Check(TrustAllowsServiceAccount, FindingStatus.Error, "The trust policy cannot be judged without the cluster's issuer."));
            return;
        }
        var subject = TrustPolicy.ServiceAccountSubject(ns, name);
        var decision = TrustPolicy.EvaluateWebIdentity(trust, providerArn, subject);
        var grants = TrustPolicy.WebIdentityGrants(trust, providerArn);
        var grantEvidence = grants.Select(g => g.ToString()).DefaultIfEmpty($"no statement lets {providerArn} in for {TrustPolicy.AssumeRoleWithWebIdentity}").ToList();
        checks.Add(decision.IsAllowed
            ? Check(TrustAllowsServiceAccount, FindingStatus.Pass, $"The trust policy lets {subject} of this cluster assume {role.Arn}.", grantEvidence)
            : Check(TrustAllowsServiceAccount, FindingStatus.Fail, $"The trust policy does not let {subject} of this cluster in: {decision.Reason}", grantEvidence));

        var foreign = TrustPolicy.WebIdentityProviders(trust).Where(p => !string.Equals(p, providerArn, StringComparison.OrdinalIgnoreCase)).ToList();
        var foreignCheck = foreign.Count > 0
            ? Check(TrustOtherIssuers, FindingStatus.Warning, $"The role also trusts {foreign.Count} other identity provider(s): service accounts of other clusters may assume it.", foreign)
            : Check(TrustOtherIssuers, FindingStatus.Pass, "The role trusts no other cluster's issuer.");
        if (grants.Count == 0)
        {
            // Nothing of this cluster gets in: how narrowly it would is not a question (TrustAllowsServiceAccount fails).
            checks.Add(Check(TrustSubjectScoped, FindingStatus.NotApplicable, $"No statement trusts {providerArn} for {TrustPolicy.AssumeRoleWithWebIdentity}."));
            checks.Add(Check(TrustAudience, FindingStatus.NotApplicable, $"No statement trusts {providerArn} for {TrustPolicy.AssumeRoleWithWebIdentity}."));
            checks.Add(foreignCheck);
            return;
        }

        // Who else gets in: another service account of the namespace, the same name elsewhere, any token of the issuer.
        var probes = new[]
        {
            TrustPolicy.ServiceAccountSubject(ns, name + "-other"),
            TrustPolicy.ServiceAccountSubject(ns + "-other", name),
            "system:serviceaccount:kube-system:default",
        };
        var others = probes.Where(p => TrustPolicy.EvaluateWebIdentity(trust, providerArn, p).IsAllowed).ToList();
        var loose = grants.Where(g => g.SubjectUnconstrained || g.SubjectWildcards.Count > 0).ToList();
        if (loose.Count > 0 || others.Count > 0)
            checks.Add(Check(TrustSubjectScoped, FindingStatus.Fail,
                $"The trust policy lets other service accounts of the cluster assume the role too: " +
                string.Join("; ", loose.Select(g => g.SubjectUnconstrained ? $"{g.Statement.Label} does not condition {g.SubjectKey}" : $"{g.Statement.Label} matches {g.SubjectKey} with {string.Join(", ", g.SubjectWildcards)}")
                    .Concat(others.Select(o => $"{o} gets in"))) + ".",
                grantEvidence));
        else if (grants.SelectMany(g => g.ExactSubjects).Where(s => s != subject).Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } shared)
            checks.Add(Check(TrustSubjectScoped, FindingStatus.Warning,
                $"The trust policy also lets in {string.Join(", ", shared)}: the role is shared with other service accounts (one role per application keeps a compromise of one from reaching the other's permissions).",
                grantEvidence));
        else
            checks.Add(Check(TrustSubjectScoped, FindingStatus.Pass, $"Only {subject} gets in: {issuer}:sub is pinned with StringEquals.", grantEvidence));

        var audienceOpen = grants.Where(g => g.AudienceUnconstrained || !g.PinsAudience()).ToList();
        var wrongAudience = TrustPolicy.EvaluateWebIdentity(trust, providerArn, subject, audience: "not-sts.example").IsAllowed;
        checks.Add(audienceOpen.Count > 0 || wrongAudience
            ? Check(TrustAudience, FindingStatus.Fail, $"The trust policy does not pin {issuer}:aud to {TrustPolicy.StsAudience}: tokens minted for another audience would be accepted.",
                audienceOpen.Select(g => $"{g.Statement.Label}: aud not pinned"))
            : Check(TrustAudience, FindingStatus.Pass, $"{issuer}:aud is pinned to {TrustPolicy.StsAudience}."));

        checks.Add(foreignCheck);
    }

    /// <summary>The pod identity webhook's work: AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE and the projected token in every container.</summary>
    private WorkloadIdentityCheck PodsCheck(string ns, string name, string roleArn)
    {
        if (!facts.Has(SnapshotSection.Pods))
            return Check(PodsInjected, FindingStatus.Error, $"Whether the pods get the web identity could not be checked: {facts.Missing(SnapshotSection.Pods)}.");
        var pods = facts.PodsOf(ns, name);
        if (pods.Count == 0)
            return Check(PodsInjected, FindingStatus.NotApplicable, $"No pod runs as {ns}/{name}.");
        var missing = new List<string>();
        foreach (var pod in pods)
        {
            var podName = $"{ns}/{pod.Metadata?.Name}";
            var tokenVolume = pod.Spec?.Volumes?.FirstOrDefault(v => v.Projected?.Sources?.Any(s => s.ServiceAccountToken?.Audience == TrustPolicy.StsAudience) == true);
            if (tokenVolume is null) missing.Add($"{podName}: no projected token with audience {TrustPolicy.StsAudience}");
            foreach (var container in (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []))
            {
                var env = container.Env ?? [];
                var arn = env.FirstOrDefault(e => e.Name == "AWS_ROLE_ARN")?.Value;
                if (arn is null) missing.Add($"{podName} container {container.Name}: no AWS_ROLE_ARN");
                else if (!string.Equals(arn, roleArn, StringComparison.Ordinal)) missing.Add($"{podName} container {container.Name}: AWS_ROLE_ARN = {arn}, not the annotated role");
                if (!env.Any(e => e.Name == "AWS_WEB_IDENTITY_TOKEN_FILE")) missing.Add($"{podName} container {container.Name}: no AWS_WEB_IDENTITY_TOKEN_FILE");
            }
        }
        return missing.Count > 0
            ? Check(PodsInjected, FindingStatus.Fail, $"{missing.Count} gap(s) in the injected web identity: pods started before the annotation (or outside the webhook) must be restarted.", missing)
            : Check(PodsInjected, FindingStatus.Pass, $"All {pods.Count} pod(s) of {ns}/{name} carry the role and the web identity token.", pods.Select(p => $"{ns}/{p.Metadata?.Name}"));
    }

    private static WorkloadIdentityCheck Check(string id, FindingStatus status, string message, IEnumerable<string>? evidence = null) =>
        WorkloadIdentityChecks.Check(id, status, message, evidence);
}
