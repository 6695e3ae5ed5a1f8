using EksSecurity.Engine.Aws.Policy;

namespace EksSecurity.Tests.Aws.Policy;

public class PolicyEvaluatorTests
{
    private const string Account = "123456789012";
    private static readonly RequestPrincipal Maria = RequestPrincipal.Aws($"arn:aws:iam::{Account}:user/maria");
    private static readonly RequestPrincipal AppSession = RequestPrincipal.Aws($"arn:aws:sts::{Account}:assumed-role/app/session-1");

    private static PolicyDocument Policy(string name, string statements) =>
        PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""", name);

    private static AccessRequest Request(string action, string resource, RequestPrincipal? principal = null) => new(action, resource, principal ?? Maria);

    // The documentation's single-account example, retold: a user's own policy lists buckets, gives full access to
    // the bucket named after them and denies every bucket with "audit" in its name; a bucket policy grants the user
    // another bucket. Same account, so either side's Allow suffices, and the explicit Deny beats both.
    private static readonly PolicyDocument MariaPolicy = Policy("maria-s3", """
        {"Sid":"ListAll","Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::*"},
        {"Sid":"OwnBucket","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::maria-data","arn:aws:s3:::maria-data/*"]},
        {"Sid":"DenyAudit","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*audit*"}
        """);

    private static PolicyDocument BucketPolicy(string bucket) => PolicyDocument.Parse($$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"MariaOnly","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/maria"},"Action":"s3:*","Resource":["arn:aws:s3:::{{bucket}}","arn:aws:s3:::{{bucket}}/*"]}]}
        """, $"bucket policy of {bucket}", PolicyKind.Resource);

    [Fact]
    public void Worked_example_explicit_deny_beats_both_allows()
    {
        var decision = PolicyEvaluator.Evaluate(Request("s3:PutObject", "arn:aws:s3:::maria-data-audit/report.csv"),
            new PolicySet { IdentityPolicies = [MariaPolicy], ResourcePolicy = BucketPolicy("maria-data-audit") });
        Assert.Equal(PolicyDecisionKind.ExplicitDeny, decision.Kind);
        var evidence = Assert.Single(decision.Evidence);
        Assert.Equal("DenyAudit", evidence.Statement.Sid);
        Assert.Equal(PolicySource.Identity, evidence.Source);
        Assert.Equal("explicitly denied by policy 'maria-s3' statement 2 (Sid DenyAudit)", decision.Reason);
    }

    [Fact]
    public void Worked_example_identity_allow_alone_suffices()
    {
        var decision = PolicyEvaluator.Evaluate(Request("s3:PutObject", "arn:aws:s3:::maria-data/notes.txt"), MariaPolicy);
        Assert.True(decision.IsAllowed);
        Assert.Equal("OwnBucket", Assert.Single(decision.Evidence).Statement.Sid);
    }

    [Fact]
    public void Worked_example_resource_policy_alone_suffices_in_the_same_account()
    {
        var decision = PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::shared-reports/q1.pdf"),
            new PolicySet { IdentityPolicies = [MariaPolicy], ResourcePolicy = BucketPolicy("shared-reports") });
        Assert.True(decision.IsAllowed);
        var evidence = Assert.Single(decision.Evidence);
        Assert.Equal(PolicySource.Resource, evidence.Source);
        Assert.Equal("MariaOnly", evidence.Statement.Sid);
    }

    [Fact]
    public void Worked_example_nothing_matching_is_an_implicit_deny()
    {
        var decision = PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::someone-else/file"), MariaPolicy);
        Assert.Equal(PolicyDecisionKind.ImplicitDeny, decision.Kind);
        Assert.Empty(decision.Evidence);
        Assert.Equal("no statement allows s3:GetObject on arn:aws:s3:::someone-else/file", decision.Reason);
    }

    [Fact]
    public void Bucket_policy_for_another_principal_does_not_apply()
    {
        var bob = RequestPrincipal.Aws($"arn:aws:iam::{Account}:user/bob");
        var decision = PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::shared-reports/q1.pdf", bob), new PolicySet { ResourcePolicy = BucketPolicy("shared-reports") });
        Assert.Equal(PolicyDecisionKind.ImplicitDeny, decision.Kind);
    }

    [Theory]
    [InlineData("s3:GetObject", "arn:aws:s3:::any/key", true)]
    [InlineData("ec2:RunInstances", "*", true)]
    [InlineData("iam:CreateUser", "*", false)]
    [InlineData("IAM:createuser", "*", false)]
    [InlineData("organizations:LeaveOrganization", "*", false)]
    public void NotAction_with_Allow_grants_everything_but_the_listed_actions(string action, string resource, bool allowed)
    {
        var policy = Policy("all-but-iam", """{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}""");
        Assert.Equal(allowed, PolicyEvaluator.Evaluate(Request(action, resource), policy).IsAllowed);
    }

    [Theory]
    // Deny everything but IAM self-service unless MFA was used; BoolIfExists passes when the key is missing.
    [InlineData("s3:GetObject", null, "ExplicitDeny")]
    [InlineData("s3:GetObject", "false", "ExplicitDeny")]
    [InlineData("s3:GetObject", "true", "Allowed")]
    [InlineData("iam:ChangePassword", null, "Allowed")]
    public void NotAction_with_Deny_and_BoolIfExists(string action, string? mfa, string expected)
    {
        var policy = Policy("require-mfa", """
            {"Effect":"Allow","Action":"*","Resource":"*"},
            {"Sid":"DenyWithoutMfa","Effect":"Deny","NotAction":["iam:ChangePassword","iam:GetUser"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}
            """);
        var request = Request(action, "*");
        if (mfa is not null) request = request.With("aws:MultiFactorAuthPresent", mfa);
        Assert.Equal(expected, PolicyEvaluator.Evaluate(request, policy).Kind.ToString());
    }

    [Theory]
    [InlineData("arn:aws:s3:::public/index.html", true)]
    [InlineData("arn:aws:s3:::secret/keys.txt", false)]
    [InlineData("arn:aws:s3:::secret", true)]
    public void NotResource_with_Allow(string resource, bool allowed)
    {
        var policy = Policy("not-secret", """{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}""");
        Assert.Equal(allowed, PolicyEvaluator.Evaluate(Request("s3:GetObject", resource), policy).IsAllowed);
    }

    [Theory]
    [InlineData("arn:aws:dynamodb:eu-west-1:123456789012:table/orders", "Allowed")]
    [InlineData("arn:aws:dynamodb:eu-west-1:123456789012:table/users", "ExplicitDeny")]
    public void NotResource_with_Deny_fences_everything_but_one_resource(string resource, string expected)
    {
        var policy = Policy("orders-only", """
            {"Effect":"Allow","Action":"dynamodb:*","Resource":"*"},
            {"Effect":"Deny","Action":"dynamodb:*","NotResource":"arn:aws:dynamodb:*:*:table/orders"}
            """);
        Assert.Equal(expected, PolicyEvaluator.Evaluate(Request("dynamodb:GetItem", resource), policy).Kind.ToString());
    }

    [Theory]
    // Actions: case-insensitive, * and ?.
    [InlineData("S3:get*", "s3:GetObject", "*", "*", true)]
    [InlineData("s3:Get?bject", "s3:GetObject", "*", "*", true)]
    [InlineData("s3:Get?bject", "s3:GetObjectAcl", "*", "*", false)]
    [InlineData("ec2:Describe*", "ec2:RunInstances", "*", "*", false)]
    // Resources: case-sensitive, ARN parts matched one by one.
    [InlineData("s3:*", "s3:GetObject", "arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/k", false)]
    [InlineData("iam:PassRole", "iam:PassRole", "arn:aws:iam::*:role/eks-*", "arn:aws:iam::123456789012:role/eks-node", true)]
    [InlineData("iam:PassRole", "iam:PassRole", "arn:aws:iam::*:role/eks-*", "arn:aws:iam::123456789012:role/app", false)]
    [InlineData("iam:PassRole", "iam:PassRole", "arn:aws:iam::123456789012:role/*", "arn:aws:iam::123456789012:role/team/app", true)]
    [InlineData("kms:Decrypt", "kms:Decrypt", "arn:aws:kms:us-*:123456789012:key/*", "arn:aws:kms:us-east-1:123456789012:key/abc", true)]
    [InlineData("kms:Decrypt", "kms:Decrypt", "arn:aws:kms:us-*:123456789012:key/*", "arn:aws:kms:eu-west-1:123456789012:key/abc", false)]
    [InlineData("sns:Publish", "sns:Publish", "arn:aws:sns:*:123456789012:alerts?", "arn:aws:sns:eu-west-1:123456789012:alerts1", true)]
    public void Action_and_resource_wildcards(string actionPattern, string action, string resourcePattern, string resource, bool allowed)
    {
        var policy = Policy("p", $$"""{"Effect":"Allow","Action":"{{actionPattern}}","Resource":"{{resourcePattern}}"}""");
        Assert.Equal(allowed, PolicyEvaluator.Evaluate(Request(action, resource), policy).IsAllowed);
    }

    [Fact]
    public void Deny_in_one_policy_overrides_allow_in_another_and_names_it()
    {
        var admin = Policy("AdministratorAccess", """{"Effect":"Allow","Action":"*","Resource":"*"}""");
        var guard = Policy("NoKeyDeletion", """{"Sid":"NoDelete","Effect":"Deny","Action":["kms:ScheduleKeyDeletion","kms:Disable*"],"Resource":"*"}""");
        var decision = PolicyEvaluator.Evaluate(Request("kms:DisableKey", "arn:aws:kms:us-east-1:123456789012:key/k"), admin, guard);
        Assert.True(decision.IsExplicitDeny);
        Assert.Equal("policy 'NoKeyDeletion' statement 0 (Sid NoDelete)", Assert.Single(decision.Statements).Label);
        Assert.True(PolicyEvaluator.Evaluate(Request("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/k"), admin, guard).IsAllowed);
    }

    [Theory]
    [InlineData("arn:aws:s3:::home/maria/notes.txt", true)]
    [InlineData("arn:aws:s3:::home/bob/notes.txt", false)]
    public void Policy_variable_from_the_principal_in_Resource(string resource, bool allowed)
    {
        var policy = Policy("home", """{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}""");
        Assert.Equal(allowed, PolicyEvaluator.Evaluate(Request("s3:GetObject", resource), policy).IsAllowed);
    }

    [Fact]
    public void Policy_variables_are_literal_text_before_version_2012()
    {
        var legacy = PolicyDocument.Parse("""{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}""", "legacy");
        Assert.False(PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::home/maria/x"), legacy).IsAllowed);
        Assert.True(PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::home/${aws:username}/x"), legacy).IsAllowed);
    }

    [Theory]
    [InlineData("blue", "blue", true)]
    [InlineData("blue", "red", false)]
    [InlineData(null, "blue", false)]
    public void Policy_variable_in_a_condition_value(string? principalTeam, string resourceTeam, bool allowed)
    {
        var policy = Policy("abac", """{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}""");
        var request = Request("ec2:StartInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-1").With("aws:ResourceTag/team", resourceTeam);
        if (principalTeam is not null) request = request.With("aws:PrincipalTag/team", principalTeam);
        Assert.Equal(allowed, PolicyEvaluator.Evaluate(request, policy).IsAllowed);
    }

    [Theory]
    [InlineData(null, "arn:aws:s3:::team-shared/x", true)]
    [InlineData("blue", "arn:aws:s3:::team-blue/x", true)]
    [InlineData("blue", "arn:aws:s3:::team-shared/x", false)]
    // A substituted value's * is a character, not a wildcard.
    [InlineData("*", "arn:aws:s3:::team-blue/x", false)]
    [InlineData("*", "arn:aws:s3:::team-*/x", true)]
    public void Policy_variable_default_value_and_literal_substitutions(string? team, string resource, bool allowed)
    {
        var policy = Policy("teams", """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-${aws:PrincipalTag/team, 'shared'}/*"}""");
        var request = Request("s3:GetObject", resource);
        if (team is not null) request = request.With("aws:PrincipalTag/team", team);
        Assert.Equal(allowed, PolicyEvaluator.Evaluate(request, policy).IsAllowed);
    }

    [Theory]
    [InlineData("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", true)]
    [InlineData("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/anything", false)]
    [InlineData("arn:aws:s3:::b/what${?}", "arn:aws:s3:::b/what?", true)]
    [InlineData("arn:aws:s3:::b/what${?}", "arn:aws:s3:::b/whats", false)]
    [InlineData("arn:aws:s3:::b/${$}{aws:username}", "arn:aws:s3:::b/${aws:username}", true)]
    [InlineData("arn:aws:s3:::b/${$}{aws:username}", "arn:aws:s3:::b/maria", false)]
    public void Escaped_special_characters(string pattern, string resource, bool allowed)
    {
        var policy = Policy("escapes", $$"""{"Effect":"Allow","Action":"s3:GetObject","Resource":"{{pattern}}"}""");
        Assert.Equal(allowed, PolicyEvaluator.Evaluate(Request("s3:GetObject", resource), policy).IsAllowed);
    }

    [Fact]
    public void Multivalued_key_cannot_be_a_policy_variable()
    {
        var policy = Policy("p", """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:TagKeys}"}""");
        Assert.False(PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/a").With("aws:TagKeys", "a", "b"), policy).IsAllowed);
        Assert.True(PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/a").With("aws:TagKeys", "a"), policy).IsAllowed);
    }

    [Fact]
    public void Derived_principal_keys_serve_conditions()
    {
        var policy = Policy("p", $$"""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::{{Account}}:role/app"},"StringEquals":{"aws:PrincipalAccount":"{{Account}}"} } }""");
        Assert.True(PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k", AppSession), policy).IsAllowed);
        Assert.False(PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k", Maria), policy).IsAllowed);
    }

    private static readonly PolicyDocument S3AndIam = Policy("s3-and-iam", """{"Sid":"Broad","Effect":"Allow","Action":["s3:*","iam:*"],"Resource":"*"}""");
    private static readonly PolicyDocument S3Boundary = Policy("s3-boundary", """{"Sid":"S3Only","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"NoDeletes","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}""");

    [Fact]
    public void Permissions_boundary_intersects_with_identity_policies()
    {
        var set = new PolicySet { IdentityPolicies = [S3AndIam], PermissionsBoundary = S3Boundary };
        var s3 = PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k"), set);
        Assert.True(s3.IsAllowed);
        Assert.Contains(s3.Evidence, m => m.Source == PolicySource.PermissionsBoundary && m.Statement.Sid == "S3Only");
        Assert.Contains(s3.Evidence, m => m.Source == PolicySource.Identity && m.Statement.Sid == "Broad");

        var iam = PolicyEvaluator.Evaluate(Request("iam:CreateUser", "*"), set);
        Assert.Equal(PolicyDecisionKind.ImplicitDeny, iam.Kind);
        Assert.Equal("Broad", Assert.Single(iam.Evidence).Statement.Sid);
        Assert.Contains("the permissions boundary 's3-boundary' does not allow it", iam.Reason);

        var delete = PolicyEvaluator.Evaluate(Request("s3:DeleteBucket", "arn:aws:s3:::b"), set);
        Assert.Equal(PolicyDecisionKind.ExplicitDeny, delete.Kind);
        Assert.Equal(PolicySource.PermissionsBoundary, Assert.Single(delete.Evidence).Source);
    }

    [Fact]
    public void Boundary_alone_grants_nothing()
    {
        var decision = PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k"), new PolicySet { PermissionsBoundary = S3Boundary });
        Assert.Equal(PolicyDecisionKind.ImplicitDeny, decision.Kind);
    }

    [Theory]
    // A resource policy naming the user or the role session directly is not capped by the boundary...
    [InlineData("arn:aws:iam::123456789012:user/maria", "arn:aws:iam::123456789012:user/maria", true)]
    [InlineData("arn:aws:sts::123456789012:assumed-role/app/session-1", "arn:aws:sts::123456789012:assumed-role/app/session-1", true)]
    // ...naming the role (for a session) or the account is.
    [InlineData("arn:aws:iam::123456789012:role/app", "arn:aws:sts::123456789012:assumed-role/app/session-1", false)]
    [InlineData("123456789012", "arn:aws:iam::123456789012:user/maria", false)]
    public void Boundary_and_resource_policy_grants(string namedPrincipal, string caller, bool allowed)
    {
        var queue = PolicyDocument.Parse($$"""
            {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"{{namedPrincipal}}"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:jobs"} }
            """, "queue policy", PolicyKind.Resource);
        var set = new PolicySet { ResourcePolicy = queue, PermissionsBoundary = S3Boundary };
        var decision = PolicyEvaluator.Evaluate(Request("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:jobs", RequestPrincipal.Aws(caller)), set);
        Assert.Equal(allowed, decision.IsAllowed);
        // Without a boundary, every one of these resource policies lets the caller in.
        Assert.True(PolicyEvaluator.Evaluate(Request("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:jobs", RequestPrincipal.Aws(caller)), new PolicySet { ResourcePolicy = queue }).IsAllowed);
    }

    [Theory]
    [InlineData("""{"AWS":"arn:aws:iam::123456789012:root"}""", true)]
    [InlineData("""{"AWS":"123456789012"}""", true)]
    [InlineData("""{"AWS":"arn:aws:iam::123456789012:role/app"}""", true)]
    [InlineData("""{"AWS":"arn:aws:iam::123456789012:role/other"}""", false)]
    [InlineData("""{"AWS":"arn:aws:iam::210987654321:root"}""", false)]
    [InlineData("""{"AWS":"*"}""", true)]
    [InlineData("\"*\"", true)]
    [InlineData("""{"Service":"lambda.amazonaws.com"}""", false)]
    public void Resource_policy_principal_forms_for_a_role_session(string principal, bool allowed)
    {
        var key = PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{{principal}},"Action":"kms:Decrypt","Resource":"*"} }""", "key policy");
        var decision = PolicyEvaluator.Evaluate(Request("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/k", AppSession), new PolicySet { ResourcePolicy = key });
        Assert.Equal(allowed, decision.IsAllowed);
    }

    [Fact]
    public void Resource_policy_deny_beats_identity_allow()
    {
        var admin = Policy("AdministratorAccess", """{"Effect":"Allow","Action":"*","Resource":"*"}""");
        var bucket = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}
            """, "bucket policy");
        var set = new PolicySet { IdentityPolicies = [admin], ResourcePolicy = bucket };
        var plain = PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k").With("aws:SecureTransport", "false"), set);
        Assert.True(plain.IsExplicitDeny);
        Assert.Equal(PolicySource.Resource, Assert.Single(plain.Evidence).Source);
        Assert.True(PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k").With("aws:SecureTransport", "true"), set).IsAllowed);
    }

    [Fact]
    public void NotPrincipal_with_Deny_spares_only_the_named_principal()
    {
        var bucket = PolicyDocument.Parse($$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"{{Account}}"},"Action":"s3:*","Resource":"arn:aws:s3:::vault/*"},
              {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::{{Account}}:user/maria"},"Action":"s3:*","Resource":"arn:aws:s3:::vault/*"}]}
            """, "vault policy");
        var set = new PolicySet { ResourcePolicy = bucket };
        Assert.True(PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::vault/gold"), set).IsAllowed);
        Assert.True(PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::vault/gold", AppSession), set).IsExplicitDeny);
    }

    [Fact]
    public void Anonymous_requests_match_only_everyone()
    {
        var website = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}}""", "site");
        var anonymous = new AccessRequest("s3:GetObject", "arn:aws:s3:::site/index.html");
        Assert.True(PolicyEvaluator.Evaluate(anonymous, new PolicySet { ResourcePolicy = website }).IsAllowed);
        var accountOnly = PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"{{Account}}"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"} }""", "site");
        Assert.False(PolicyEvaluator.Evaluate(anonymous, new PolicySet { ResourcePolicy = accountOnly }).IsAllowed);
    }

    [Fact]
    public void Cross_account_needs_both_sides()
    {
        const string KeyArn = "arn:aws:kms:us-east-1:210987654321:key/shared";
        var keyPolicy = PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:Decrypt","Resource":"*"} }""", "key policy");
        var identity = Policy("use-shared-key", $$"""{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{{KeyArn}}"}""");

        var resourceOnly = PolicyEvaluator.Evaluate(Request("kms:Decrypt", KeyArn, AppSession), new PolicySet { ResourcePolicy = keyPolicy });
        Assert.Equal(PolicyDecisionKind.ImplicitDeny, resourceOnly.Kind);
        Assert.Contains("cross-account", resourceOnly.Reason);
        Assert.Contains("no identity policy allows it", resourceOnly.Reason);

        var identityOnly = PolicyEvaluator.Evaluate(Request("kms:Decrypt", KeyArn, AppSession), identity);
        Assert.False(identityOnly.IsAllowed);
        Assert.Contains("the resource policy does not allow it", identityOnly.Reason);

        var both = PolicyEvaluator.Evaluate(Request("kms:Decrypt", KeyArn, AppSession), new PolicySet { IdentityPolicies = [identity], ResourcePolicy = keyPolicy });
        Assert.True(both.IsAllowed);
        Assert.Equal(2, both.Evidence.Count);
    }

    [Fact]
    public void Resource_account_can_be_given_when_the_arn_has_none()
    {
        var bucket = PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"{{Account}}"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"} }""", "bucket");
        var sameAccount = Request("s3:GetObject", "arn:aws:s3:::b/k");
        Assert.True(PolicyEvaluator.Evaluate(sameAccount, new PolicySet { ResourcePolicy = bucket }).IsAllowed);
        var otherAccount = new AccessRequest("s3:GetObject", "arn:aws:s3:::b/k", Maria) { ResourceAccount = "210987654321" };
        Assert.False(PolicyEvaluator.Evaluate(otherAccount, new PolicySet { ResourcePolicy = bucket }).IsAllowed);
    }

    [Fact]
    public void Decision_to_string_reads_as_a_sentence()
    {
        var decision = PolicyEvaluator.Evaluate(Request("s3:PutObject", "arn:aws:s3:::maria-data/x"), MariaPolicy);
        Assert.Equal("Allowed: s3:PutObject on arn:aws:s3:::maria-data/x is allowed by policy 'maria-s3' statement 1 (Sid OwnBucket)", decision.ToString());
        Assert.Equal("Allow by identity policy 'maria-s3' statement 1 (Sid OwnBucket)", decision.Evidence[0].ToString());
    }
}
