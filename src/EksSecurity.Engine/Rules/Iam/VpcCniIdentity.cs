using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Kubernetes.Rbac;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>How the Amazon VPC CNI (DaemonSet kube-system/aws-node) gets its AWS permissions.</summary>
internal enum CniIdentityKind
{
    /// <summary>No aws-node DaemonSet: the VPC CNI does not run as pods (another CNI, or EKS Auto Mode).</summary>
    NotRunning,
    /// <summary>An IRSA annotation, a Pod Identity association or an add-on role gives aws-node an identity of its own.</summary>
    OwnIdentity,
    /// <summary>None of them is set, and every place one could be set was read: aws-node uses the node role.</summary>
    NodeRole,
    /// <summary>None was found, but a place one could be set was not collected.</summary>
    Unknown,
}

/// <summary>
/// The VPC CNI's identity, shared by EKS-IAM-029 (aws-node has a role of its own) and EKS-IAM-030 (then the node role need not
/// keep the CNI policy). The CNI has its own identity when any of these is set: the IRSA annotation on the DaemonSet's
/// ServiceAccount, a Pod Identity association for that ServiceAccount, or the vpc-cni add-on's serviceAccountRoleArn or
/// podIdentityAssociations. Without the DaemonSets section the identity is unknown.
/// </summary>
internal sealed class VpcCniIdentity
{
    public const string Namespace = "kube-system";
    public const string DaemonSetName = "aws-node";
    public const string AddonName = "vpc-cni";

    /// <summary>The sections read besides DaemonSets; rules declare them as OptionallyReads.</summary>
    public static readonly SnapshotSection[] Sections =
        [SnapshotSection.ServiceAccounts, SnapshotSection.PodIdentityAssociations, SnapshotSection.Addons];

    /// <summary>True when the DaemonSets were not collected: whether aws-node runs at all is unknown.</summary>
    private bool DaemonSetsUnknown { get; init; }

    public V1DaemonSet? DaemonSet { get; private init; }
    /// <summary>The ServiceAccount aws-node's pods run as (aws-node unless the DaemonSet says otherwise).</summary>
    public string ServiceAccount { get; private init; } = DaemonSetName;
    public EksAddon? Addon { get; private init; }
    /// <summary>Each identity found, described ("IRSA: ... = arn").</summary>
    public IReadOnlyList<string> Identities { get; private init; } = [];
    /// <summary>The places that were not collected, when no identity was found in the others.</summary>
    public IReadOnlyList<string> NotCollected { get; private init; } = [];
    /// <summary>What was looked at, in order: one line each.</summary>
    public IReadOnlyList<string> Evidence { get; private init; } = [];

    public CniIdentityKind Kind =>
        DaemonSetsUnknown ? CniIdentityKind.Unknown
        : DaemonSet is null ? CniIdentityKind.NotRunning
        : Identities.Count > 0 ? CniIdentityKind.OwnIdentity
        : NotCollected.Count > 0 ? CniIdentityKind.Unknown
        : CniIdentityKind.NodeRole;

    public ResourceRef Resource => DaemonSet is null
        ? new ResourceRef("DaemonSet", Namespace, DaemonSetName)
        : ResourceRef.Of("DaemonSet", DaemonSet.Metadata);

    public static VpcCniIdentity Of(RuleContext context)
    {
        var evidence = new List<string>();
        var identities = new List<string>();
        var notCollected = new List<string>();
        if (!context.Has(SnapshotSection.DaemonSets))
        {
            const string what = "DaemonSets (whether kube-system/aws-node runs)";
            return new VpcCniIdentity { DaemonSetsUnknown = true, NotCollected = [what], Evidence = ["not collected: " + what] };
        }

        var daemonSet = context.Kubernetes.DaemonSets!.All.FirstOrDefault(d =>
            d?.Metadata?.Name == DaemonSetName && RbacGraph.NamespaceOf(d.Metadata) == Namespace);
        EksAddon? addon = null;
        if (context.Has(SnapshotSection.Addons))
            addon = context.Aws.Addons!.All.FirstOrDefault(a => a.AddonName == AddonName);

        if (daemonSet is null)
        {
            evidence.Add($"no DaemonSet {Namespace}/{DaemonSetName} among {context.Kubernetes.DaemonSets.Count} DaemonSet(s)");
            if (context.Has(SnapshotSection.Cluster) && context.Aws.Cluster?.Value?.ComputeConfig?.Enabled == true)
                evidence.Add("computeConfig.enabled = true (EKS Auto Mode: AWS runs the VPC CNI on the node, outside the cluster's pods)");
            if (addon is not null)
                evidence.Add($"the {AddonName} add-on is installed (status {addon.Status ?? "(absent)"}) but its DaemonSet is not in the snapshot");
            return new VpcCniIdentity { Evidence = evidence };
        }

        var spec = daemonSet.Spec?.Template?.Spec;
        var accountName = !string.IsNullOrEmpty(spec?.ServiceAccountName) ? spec.ServiceAccountName
            : !string.IsNullOrEmpty(spec?.ServiceAccount) ? spec.ServiceAccount
            : "default";
        evidence.Add($"DaemonSet {Namespace}/{DaemonSetName} runs as ServiceAccount {Namespace}/{accountName}");

        // 1. IRSA: the eks.amazonaws.com/role-arn annotation on the ServiceAccount.
        if (!context.Has(SnapshotSection.ServiceAccounts))
            notCollected.Add("ServiceAccounts (the IRSA annotation)");
        else
        {
            var account = context.Kubernetes.ServiceAccounts!.All.FirstOrDefault(a =>
                a?.Metadata?.Name == accountName && RbacGraph.NamespaceOf(a.Metadata) == Namespace);
            string? annotation = null;
            account?.Metadata?.Annotations?.TryGetValue(ServiceAccountRbac.IrsaRoleAnnotation, out annotation);
            if (account is null)
                evidence.Add($"ServiceAccount {Namespace}/{accountName} is not in the snapshot (no IRSA annotation to read)");
            else if (string.IsNullOrWhiteSpace(annotation))
                evidence.Add($"ServiceAccount {Namespace}/{accountName}: no {ServiceAccountRbac.IrsaRoleAnnotation} annotation");
            else if (IamPrincipalArn.Parse(annotation) is not { Kind: PrincipalKind.Role } || !annotation.Contains(":iam::", StringComparison.Ordinal))
                evidence.Add($"ServiceAccount {Namespace}/{accountName}: {ServiceAccountRbac.IrsaRoleAnnotation} = '{annotation}' is not an IAM role ARN (not counted)");
            else
                identities.Add($"IRSA: ServiceAccount {Namespace}/{accountName} {ServiceAccountRbac.IrsaRoleAnnotation} = {annotation.Trim()}");
        }

        // 2. EKS Pod Identity: an association for the ServiceAccount.
        IReadOnlyList<EksPodIdentityAssociation> associations = [];
        if (!context.Has(SnapshotSection.PodIdentityAssociations))
            notCollected.Add("PodIdentityAssociations (eks:ListPodIdentityAssociations)");
        else
        {
            associations = context.Aws.PodIdentityAssociations!.All
                .Where(a => a.Namespace == Namespace && a.ServiceAccount == accountName).ToList();
            if (associations.Count == 0)
                evidence.Add($"no Pod Identity association for {Namespace}/{accountName}");
            foreach (var a in associations)
                identities.Add($"Pod Identity: association {a.AssociationId ?? a.AssociationArn ?? "(no id)"} for {Namespace}/{accountName} -> {a.RoleArn ?? "(no roleArn)"}" +
                               (a.TargetRoleArn is null ? "" : $" (target role {a.TargetRoleArn})"));
        }

        // 3. The vpc-cni add-on's own settings (EKS applies them to the ServiceAccount or as an association).
        if (!context.Has(SnapshotSection.Addons))
            notCollected.Add("Addons (eks:DescribeAddon vpc-cni)");
        else if (addon is null)
            evidence.Add($"{AddonName} is not an EKS add-on (self-managed): no add-on role");
        else
        {
            if (!string.IsNullOrWhiteSpace(addon.ServiceAccountRoleArn))
                identities.Add($"add-on {AddonName}: serviceAccountRoleArn = {addon.ServiceAccountRoleArn.Trim()}");
            else
                evidence.Add($"add-on {AddonName}: no serviceAccountRoleArn");
            var owned = addon.PodIdentityAssociations?.Where(a => !string.IsNullOrWhiteSpace(a)).ToList() ?? [];
            if (owned.Count == 0) evidence.Add($"add-on {AddonName}: no podIdentityAssociations");
            foreach (var arn in owned)
            {
                // The association itself, with its role, is in PodIdentityAssociations when that was collected (counted above).
                if (associations.Any(a => a.AssociationArn == arn)) continue;
                identities.Add($"add-on {AddonName}: podIdentityAssociations includes {arn}");
            }
        }

        evidence.InsertRange(1, identities);
        return new VpcCniIdentity
        {
            DaemonSet = daemonSet,
            ServiceAccount = accountName,
            Addon = addon,
            Identities = identities,
            NotCollected = identities.Count > 0 ? [] : notCollected,
            Evidence = evidence.Concat(identities.Count > 0 ? [] : notCollected.Select(n => "not collected: " + n)).ToList(),
        };
    }
}
