using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-019: no non-system subject can both update certificatesigningrequests/approval and approve on a signer.</summary>
public sealed class MinimizeCsrApproval : Rule
{
    private const string CertificatesGroup = "certificates.k8s.io";

    /// <summary>Both are cluster-scoped. approve on signers is normally granted by signer name, so any name counts.</summary>
    internal static readonly RbacPermission UpdateApproval = new("update", CertificatesGroup, "certificatesigningrequests", "approval") { Namespace = null };
    internal static readonly RbacPermission ApproveSigners = new("approve", CertificatesGroup, "signers") { Namespace = null, AnyResourceName = true };
    internal static readonly RbacPermission[] Both = [UpdateApproval, ApproveSigners];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-019",
        Title = "Minimize CSR approval",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "Approving a CertificateSigningRequest makes the cluster sign a certificate for whatever identity the request names. " +
                    "A subject that can approve for a client signer can issue itself a certificate as another user, a node or a member of " +
                    "a powerful group, a credential that cannot be revoked before it expires. Kubernetes requires two rights for it: " +
                    "update on certificatesigningrequests/approval and approve on the signer.",
        Remediation = "Leave approval to the controllers that do it (EKS approves kubelet certificates itself). Remove the rights from other roles:\n" +
                      "kubectl edit clusterrole <role>   # drop update on certificatesigningrequests/approval and approve on signers\n" +
                      "If a custom approver is needed, limit approve to its own signer:\n" +
                      "rules:\n- apiGroups: [\"certificates.k8s.io\"]\n  resources: [\"signers\"]\n  resourceNames: [\"example.com/my-signer\"]\n  verbs: [\"approve\"]",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing",
            "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization",
        ],
        Frameworks = ["Prowler rbac_minimize_csr_approval_access", "Kubescape C-0280"],
        Reads = RbacHoldings.Sections,
        Tags = ["rbac", "certificates", "least-privilege", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var graph = context.Index.Rbac;
        var system = new List<RbacSubject>();
        var offending = false;
        // Candidates hold one of the two rights through their own bindings; the other may come through a group they are in.
        foreach (var candidate in RbacHoldings.WhoHolds(graph, Both))
        {
            var subject = candidate.Subject;
            if (context.Settings.IsSystemSubject(subject))
            {
                system.Add(subject);
                continue;
            }
            var holding = RbacHoldings.Of(graph, RbacIdentity.Of(subject), Both);
            var update = holding.Grants.Any(g => g.Permission == UpdateApproval);
            var approve = holding.Grants.Where(g => g.Permission == ApproveSigners).ToList();
            var evidence = holding.Evidence();
            if (update && approve.Count > 0)
            {
                offending = true;
                evidence.Insert(0, "signers it can approve for: " + Signers(approve.Select(g => g.Grant)));
                yield return context.Fail(holding.Ref, $"{subject} can approve certificate signing requests (update certificatesigningrequests/approval and approve signers) cluster-wide.", evidence);
            }
            else
            {
                var missing = update ? "approve on any signer" : "update on certificatesigningrequests/approval";
                yield return context.Pass(holding.Ref, $"{subject} holds only one of the two rights CSR approval needs; it lacks {missing}.", evidence);
            }
        }
        if (!offending)
            yield return context.Pass(context.Cluster, "No non-system subject can approve certificate signing requests.", RbacHoldings.PassEvidence(Both, system));
    }

    private static string Signers(IEnumerable<RbacGrant> grants)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var grant in grants)
        {
            if (!grant.Rule.IsNameRestricted) return "every signer";
            names.UnionWith(grant.Rule.ResourceNames);
        }
        return string.Join(", ", names);
    }
}
