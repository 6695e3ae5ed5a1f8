using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Aws.Policy;

namespace EksSecurity.Engine.Identity;

/// <summary>
/// EKS Pod Identity for one association, check by check: the namespace and service account exist, the agent runs,
/// the role exists and trusts pods.eks.amazonaws.com for sts:AssumeRole and sts:TagSession scoped to this account
/// and cluster, no IRSA annotation competes, session tags are on where the role's policies read them, what the
/// role can do and whether the pods can still reach the node role. Test-EksPodIdentity and EKS-IAM-036 read it.
/// </summary>
internal sealed class PodIdentityAnalyzer(WorkloadIdentityFacts facts)
{
    public const string Association = "PodIdentityAssociation";
    public const string ServiceAccountExists = "PodIdentityServiceAccount";
    public const string Agent = "PodIdentityAgent";
    public const string RoleExists = "PodIdentityRoleExists";
    public const string Trust = "PodIdentityTrust";
    public const string TrustScoped = "PodIdentityTrustScoped";
    public const string NoIrsaConflict = "PodIdentityNoIrsaConflict";
    public const string SessionTags = "PodIdentitySessionTags";

    public const string AgentAddon = "eks-pod-identity-agent";

    /// <summary>What EKS-IAM-036 reports: the association's soundness, not the pods or the role's permissions.</summary>
    public static readonly IReadOnlySet<string> SoundnessChecks = new HashSet<string>(StringComparer.Ordinal)
    {
        ServiceAccountExists, Agent, RoleExists, Trust, TrustScoped, NoIrsaConflict, SessionTags,
    };

    /// <summary>A service account asked for by name that has no association.</summary>
    public WorkloadIdentityResult Missing(string ns, string name) => new()
    {
        Kind = WorkloadIdentityKind.PodIdentity,
        ClusterName = facts.ClusterName,
        Namespace = ns,
        ServiceAccount = name,
        Checks = [facts.Has(SnapshotSection.PodIdentityAssociations)
            ? WorkloadIdentityChecks.Check(Association, FindingStatus.Fail, $"No Pod Identity association names {ns}/{name}: its pods get no role through EKS Pod Identity.")
            : WorkloadIdentityChecks.Check(Association, FindingStatus.Error, $"The associations could not be read: {facts.Missing(SnapshotSection.PodIdentityAssociations)}.")],
    };

    /// <param name="soundnessOnly">Stop after the association's own checks (what EKS-IAM-036 needs): no role permissions or IMDS.</param>
    public WorkloadIdentityResult Analyze(EksPodIdentityAssociation association, bool soundnessOnly = false)
    {
        var ns = association.Namespace ?? "";
        var name = association.ServiceAccount ?? "";
        var checks = new List<WorkloadIdentityCheck>
        {
            Check(Association, FindingStatus.Pass, $"Association {association.AssociationId} gives {ns}/{name} the role {association.RoleArn}.",
                [$"associationArn = {association.AssociationArn}", $"roleArn = {association.RoleArn}", $"targetRoleArn = {association.TargetRoleArn ?? "(none)"}", $"disableSessionTags = {association.DisableSessionTags ?? false}"]),
            ServiceAccountCheck(ns, name),
            AgentCheck(),
        };
        var serviceAccount = facts.ServiceAccount(ns, name);
        var irsa = serviceAccount is null ? null : WorkloadIdentityFacts.RoleArnOf(serviceAccount);
        checks.Add(irsa is null
            ? Check(NoIrsaConflict, serviceAccount is null && !facts.Has(SnapshotSection.ServiceAccounts) ? FindingStatus.Error : FindingStatus.Pass,
                serviceAccount is null && !facts.Has(SnapshotSection.ServiceAccounts) ? $"Whether an IRSA annotation competes could not be checked: {facts.Missing(SnapshotSection.ServiceAccounts)}." : "No IRSA annotation competes with the association.")
            : Check(NoIrsaConflict, FindingStatus.Fail, $"{ns}/{name} also carries the IRSA annotation ({irsa}): the AWS SDKs take the web identity first, so the pods get that role, not {association.RoleArn}.",
                [$"{WorkloadIdentityFacts.RoleArnAnnotation} = {irsa}"]));

        if (association.RoleArn is { } roleArn)
        {
            var (role, problem) = facts.Role(roleArn);
            if (role is null) checks.Add(Check(RoleExists, FindingStatus.Error, $"Whether {roleArn} exists could not be checked: {problem}."));
            else if (role.NoSuchEntity == true) checks.Add(Check(RoleExists, FindingStatus.Fail, $"The role {roleArn} does not exist: the agent cannot get credentials for the pods.", ["iam:GetRole: NoSuchEntity"]));
            else
            {
                checks.Add(Check(RoleExists, FindingStatus.Pass, $"The role {roleArn} exists."));
                TrustChecksFor(checks, role, association);
                checks.Add(SessionTagsCheck(role, association));
                if (!soundnessOnly) checks.Add(WorkloadIdentityChecks.Permissions(facts, role));
            }
        }
        else checks.Add(Check(RoleExists, FindingStatus.Fail, "The association names no role."));
        if (!soundnessOnly) checks.Add(WorkloadIdentityChecks.NodeRole(facts, facts.PodsOf(ns, name)));
        return new WorkloadIdentityResult
        {
            Kind = WorkloadIdentityKind.PodIdentity,
            ClusterName = facts.ClusterName,
            Namespace = ns,
            ServiceAccount = name,
            RoleArn = association.RoleArn,
            AssociationId = association.AssociationId,
            Checks = checks,
        };
    }

    private WorkloadIdentityCheck ServiceAccountCheck(string ns, string name)
    {
        if (!facts.Has(SnapshotSection.Namespaces) || !facts.Has(SnapshotSection.ServiceAccounts))
            return Check(ServiceAccountExists, FindingStatus.Error, $"Whether {ns}/{name} exists could not be checked: {facts.Missing(facts.Has(SnapshotSection.Namespaces) ? SnapshotSection.ServiceAccounts : SnapshotSection.Namespaces)}.");
        if (!facts.Snapshot.Kubernetes.Namespaces!.All.Any(n => n.Metadata?.Name == ns))
            return Check(ServiceAccountExists, FindingStatus.Fail, $"The association points at the namespace {ns}, which does not exist: whoever creates it (and the service account) gets the role.");
        return facts.ServiceAccount(ns, name) is null
            ? Check(ServiceAccountExists, FindingStatus.Fail, $"The association points at the service account {ns}/{name}, which does not exist: anyone who can create service accounts in {ns} gets the role.")
            : Check(ServiceAccountExists, FindingStatus.Pass, $"The namespace {ns} and service account {name} exist.");
    }

    /// <summary>The agent: the eks-pod-identity-agent add-on (healthy), its DaemonSet, or Auto Mode where it is built in.</summary>
    private WorkloadIdentityCheck AgentCheck()
    {
        if (facts.Cluster?.ComputeConfig?.Enabled == true)
            return Check(Agent, FindingStatus.Pass, "EKS Auto Mode runs the Pod Identity agent on its nodes.");
        var addon = facts.Snapshot.Aws.Addons?.All.FirstOrDefault(a => a.AddonName == AgentAddon);
        if (addon is not null)
        {
            var issues = addon.Health?.Issues ?? [];
            var evidence = new List<string> { $"add-on {AgentAddon} {addon.AddonVersion}: status {addon.Status}" };
            evidence.AddRange(issues.Select(i => $"health issue {i.Code}: {i.Message}"));
            return addon.Status == "ACTIVE" && issues.Count == 0
                ? Check(Agent, FindingStatus.Pass, $"The {AgentAddon} add-on is installed and active.", evidence)
                : Check(Agent, FindingStatus.Fail, $"The {AgentAddon} add-on is {addon.Status}{(issues.Count > 0 ? $" with {issues.Count} health issue(s)" : "")}: pods may get no credentials.", evidence);
        }
        var daemonSet = facts.Snapshot.Kubernetes.DaemonSets?.All.FirstOrDefault(d => d.Metadata?.NamespaceProperty == "kube-system" && d.Metadata?.Name == AgentAddon);
        if (daemonSet is not null)
        {
            var desired = daemonSet.Status?.DesiredNumberScheduled ?? 0;
            var ready = daemonSet.Status?.NumberReady ?? 0;
            var evidence = new[] { $"DaemonSet kube-system/{AgentAddon}: {ready} of {desired} ready" };
            return desired > 0 && ready == desired
                ? Check(Agent, FindingStatus.Pass, $"The Pod Identity agent runs on every node ({ready}/{desired}).", evidence)
                : Check(Agent, FindingStatus.Fail, $"The Pod Identity agent is ready on {ready} of {desired} node(s): pods elsewhere get no credentials.", evidence);
        }
        if (!facts.Has(SnapshotSection.Addons) || !facts.Has(SnapshotSection.DaemonSets))
            return Check(Agent, FindingStatus.Error, $"Whether the Pod Identity agent runs could not be checked: {facts.Missing(facts.Has(SnapshotSection.Addons) ? SnapshotSection.DaemonSets : SnapshotSection.Addons)}.");
        return Check(Agent, FindingStatus.Fail, $"Neither the {AgentAddon} add-on nor its DaemonSet is installed: associations give pods nothing.");
    }

    private void TrustChecksFor(List<WorkloadIdentityCheck> checks, IamRole role, EksPodIdentityAssociation association)
    {
        var (trust, problem) = WorkloadIdentityFacts.TrustOf(role);
        if (trust is null)
        {
            checks.Add(Check(Trust, FindingStatus.Error, $"The trust policy of {role.Arn} could not be read: {problem}."));
            return;
        }
        var principal = RequestPrincipal.Service(TrustPolicy.PodIdentityService);
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (facts.Account is { } account) context["aws:SourceAccount"] = [account];
        if (facts.ClusterArn is { } clusterArn) context["aws:SourceArn"] = [clusterArn];
        var assume = TrustPolicy.Evaluate(trust, principal, TrustPolicy.AssumeRole, context);
        var tag = TrustPolicy.Evaluate(trust, principal, TrustPolicy.TagSession, context);
        var statements = TrustPolicy.StatementsAdmitting(trust, principal, TrustPolicy.AssumeRole).Select(s => s.Describe()).ToList();
        var tagsNeeded = association.DisableSessionTags != true;
        if (!assume.IsAllowed)
            checks.Add(Check(Trust, FindingStatus.Fail, $"The trust policy of {role.Arn} does not let {TrustPolicy.PodIdentityService} assume it for this cluster: {assume.Reason}", statements));
        else if (tagsNeeded && !tag.IsAllowed)
            checks.Add(Check(Trust, FindingStatus.Fail, $"The trust policy lets {TrustPolicy.PodIdentityService} assume the role but not tag the session (sts:TagSession): EKS Pod Identity's session tags make the call fail.", statements));
        else
            checks.Add(Check(Trust, FindingStatus.Pass, $"The trust policy lets {TrustPolicy.PodIdentityService} assume the role{(tagsNeeded ? " and tag the session" : "")}.", statements));

        // Scoped: a request from another account's (or another) cluster must not get in.
        var foreignAccount = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:SourceAccount"] = ["000000000000"],
            ["aws:SourceArn"] = ["arn:aws:eks:us-east-1:000000000000:cluster/someone-elses"],
        };
        var foreignCluster = new Dictionary<string, IReadOnlyList<string>>(context, StringComparer.OrdinalIgnoreCase)
        {
            ["aws:SourceArn"] = [$"arn:{facts.Partition}:eks:{facts.Snapshot.Region ?? "us-east-1"}:{facts.Account ?? "000000000000"}:cluster/another-cluster"],
        };
        var fromAnyAccount = TrustPolicy.Evaluate(trust, principal, TrustPolicy.AssumeRole, foreignAccount).IsAllowed;
        var fromAnyCluster = TrustPolicy.Evaluate(trust, principal, TrustPolicy.AssumeRole, foreignCluster).IsAllowed;
        var associations = facts.Snapshot.Aws.PodIdentityAssociations?.All.Where(a => a.RoleArn == role.Arn).ToList() ?? [];
        var shared = associations.Select(a => a.Namespace).Distinct(StringComparer.Ordinal).Count() > 1;
        if (!assume.IsAllowed)
            checks.Add(Check(TrustScoped, FindingStatus.NotApplicable, $"The trust policy does not let {TrustPolicy.PodIdentityService} in for this cluster, so how narrowly it would is not a question.", statements));
        else if (fromAnyAccount)
            checks.Add(Check(TrustScoped, FindingStatus.Warning,
                $"The trust policy has no aws:SourceAccount or aws:SourceArn condition: any cluster's association that can pass the role gets it. Scope it to account {facts.Account} and the clusters that use it.", statements));
        else if (fromAnyCluster)
            checks.Add(Check(TrustScoped, shared ? FindingStatus.Warning : FindingStatus.Pass,
                $"The trust policy is scoped to the account but not to clusters (aws:SourceArn){(shared ? ", and the role is shared by several namespaces" : "")}.", statements));
        else
            checks.Add(Check(TrustScoped, FindingStatus.Pass, "The trust policy is scoped to this account and cluster.", statements));
    }

    /// <summary>ABAC on kubernetes-* session tags needs the tags: disabled tags leave such conditions unmet.</summary>
    private WorkloadIdentityCheck SessionTagsCheck(IamRole role, EksPodIdentityAssociation association)
    {
        var policies = facts.PoliciesOf(role);
        var abac = policies.Documents.SelectMany(d => PolicyAnalysis.ReferencedContextKeys(d).Select(k => (d.Name, Key: k)))
            .Where(x => x.Key.StartsWith("aws:PrincipalTag/kubernetes-", StringComparison.OrdinalIgnoreCase) || x.Key.StartsWith("aws:PrincipalTag/eks-cluster-", StringComparison.OrdinalIgnoreCase))
            .Select(x => $"{x.Name} reads {x.Key}").Distinct(StringComparer.Ordinal).ToList();
        if (association.DisableSessionTags == true && abac.Count > 0)
            return Check(SessionTags, FindingStatus.Warning, "Session tags are disabled on the association, but the role's policies read the EKS session tags: those conditions never match.", abac);
        return Check(SessionTags, FindingStatus.Pass, association.DisableSessionTags == true ? "Session tags are disabled and no policy reads them." : "Session tags are on.", abac);
    }

    private static WorkloadIdentityCheck Check(string id, FindingStatus status, string message, IEnumerable<string>? evidence = null) =>
        WorkloadIdentityChecks.Check(id, status, message, evidence);
}
