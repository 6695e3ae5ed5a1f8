using EksSecurity.Engine.Rules.Iam;

namespace EksSecurity.Engine.Rules.Data;

/// <summary>EKS-DATA-003: the key policy of the cluster's secrets encryption key does not open the key to everyone, nor decryption to whole foreign accounts.</summary>
public sealed class SecretsKeyPolicyNotOverBroad : Rule
{
    /// <summary>
    /// Condition keys that narrow who may call (caller, account, organisation, network or calling service). A
    /// statement with Principal "*" is not broad when one of these constrains it.
    /// </summary>
    private static readonly string[] RestrictingConditionKeys =
    [
        "kms:CallerAccount", "kms:ViaService", "kms:GrantIsForAWSResource",
        "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalTag/*", "aws:PrincipalServiceName",
        "aws:PrincipalIsAWSService", "aws:userid", "aws:username", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths",
        "aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp", "aws:VpcSourceIp", "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast",
        "aws:ResourceAccount", "aws:ResourceOrgID",
    ];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-DATA-003",
        Title = "Cluster KMS key policy not over-broad",
        Severity = Severity.Medium,
        Area = RuleArea.Data,
        Rationale = "Envelope encryption protects Secrets only as far as the key policy restricts kms:Decrypt. A statement that allows any principal, or " +
                    "lets every identity of another account decrypt, means a copy of etcd data or a foreign credential is enough to read the cluster's " +
                    "Secrets. The key policy should name the principals that need the key, and delegate the rest to IAM in the key's own account.",
        Remediation = "Read the policy (aws kms get-key-policy --key-id <key-arn> --policy-name default --output text), remove or narrow the reported " +
                      "statements (name roles instead of \"*\" or a foreign account root, or add conditions such as kms:CallerAccount and kms:ViaService), " +
                      "then write it back: aws kms put-key-policy --key-id <key-arn> --policy-name default --policy file://key-policy.json.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html#_use_aws_kms_for_envelope_encryption_of_kubernetes_secrets",
            "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
            "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
            "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html",
        ],
        Frameworks = ["Prowler kms_key_not_publicly_accessible"],
        Reads = [SnapshotSection.Cluster],
        OptionallyReads = [SnapshotSection.KmsKey],
        Tags = ["aws", "encryption", "kms", "secrets", "policy"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        if (cluster is null)
        {
            yield return context.Error(context.Cluster, "The cluster description is empty; its secrets encryption key cannot be judged.");
            yield break;
        }
        var keyArn = ClusterSecretsKey.KeyArn(cluster);
        if (keyArn is null) yield break; // no customer key; EKS-DATA-001 reports that
        var resource = ClusterSecretsKey.Resource(keyArn);
        var info = ClusterSecretsKey.Collected(context, keyArn, out var why);
        if (info is null)
        {
            yield return context.Error(resource, $"The cluster encrypts Secrets with {keyArn}, but the key was not described: {why}.", [$"encryptionConfig provider.keyArn = {keyArn}", why!]);
            yield break;
        }
        if (string.IsNullOrWhiteSpace(info.Policy))
        {
            yield return context.Error(resource, $"The key policy of {keyArn} was not collected (kms:GetKeyPolicy); it cannot be judged.", [$"encryptionConfig provider.keyArn = {keyArn}", "Policy = (absent)"]);
            yield break;
        }
        if (!AwsPolicyStatements.TryParse(info.Policy, out var statements, out var error))
        {
            yield return context.Error(resource, $"The key policy of {keyArn} could not be read: {error}.", [$"encryptionConfig provider.keyArn = {keyArn}"]);
            yield break;
        }

        var keyAccount = ClusterSecretsKey.Account(info.KeyMetadata!.Arn) ?? ClusterSecretsKey.Account(keyArn) ?? context.Snapshot.AccountId;
        var evidence = new List<string> { $"encryptionConfig provider.keyArn = {keyArn}", $"key account = {keyAccount ?? "(unknown)"}" };
        var problems = new List<string>();
        foreach (var s in statements.Where(s => s.IsAllow))
        {
            var restricted = s.ConditionKeys.Any(k => RestrictingConditionKeys.Any(r => WildcardMatch.IsMatch(k, r, StringComparison.OrdinalIgnoreCase)));
            var decrypts = s.Covers("kms:Decrypt");
            if (s.HasNotPrincipal)
            {
                problems.Add($"{s.Name} allows everyone except the NotPrincipal list");
                evidence.Add(s.Describe());
            }
            else if (s.HasWildcardPrincipal && !s.HasCondition)
            {
                problems.Add($"{s.Name} allows any principal (\"*\") without a condition");
                evidence.Add(s.Describe());
            }
            else if (s.HasWildcardPrincipal && decrypts && !restricted)
            {
                problems.Add($"{s.Name} allows kms:Decrypt to any principal; its conditions do not limit who may call");
                evidence.Add(s.Describe());
            }
            else if (decrypts && !restricted && s.Principals.Select(AwsPolicyStatements.AccountPrincipal).FirstOrDefault(a => a is not null && a != keyAccount) is { } foreign)
            {
                problems.Add($"{s.Name} allows kms:Decrypt to every identity of account {foreign}");
                evidence.Add(s.Describe());
            }
        }

        if (problems.Count > 0)
            yield return context.Fail(resource, $"The key policy of {keyArn} is over-broad: {string.Join("; ", problems)}.", evidence);
        else
        {
            evidence.Add($"{statements.Count(s => s.IsAllow)} Allow statement(s), none open to everyone or to a whole foreign account");
            yield return context.Pass(resource, $"The key policy of {keyArn} names its principals; no statement opens decryption broadly.", evidence);
        }
    }
}
