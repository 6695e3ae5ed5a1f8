using EksSecurity.Engine.Aws.Policy;

namespace EksSecurity.Tests.Aws.Policy;

/// <summary>
/// One condition, one key, against a request. Context: null = the key is missing, "" = present with no values
/// (an empty multivalued key), otherwise values separated by '|'.
/// </summary>
public class ConditionOperatorTests
{
    private static bool Holds(string op, string key, string policyValuesJson, string? context)
    {
        var policy = PolicyDocument.Parse($$"""
            {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"{{op}}":{"{{key}}":{{policyValuesJson}}} } } }
            """, "ConditionTest");
        var request = new AccessRequest("s3:GetObject", "arn:aws:s3:::bucket/key");
        if (context is not null) request = request.With(key, context.Length == 0 ? [] : context.Split('|'));
        return PolicyEvaluator.Evaluate(request, policy).IsAllowed;
    }

    [Theory]
    // String: exact and case-sensitive; multiple policy values are OR'd.
    [InlineData("StringEquals", "aws:PrincipalTag/team", "\"blue\"", "blue", true)]
    [InlineData("StringEquals", "aws:PrincipalTag/team", "\"blue\"", "Blue", false)]
    [InlineData("StringEquals", "aws:PrincipalTag/team", "[\"red\",\"blue\"]", "blue", true)]
    [InlineData("StringEquals", "aws:PrincipalTag/team", "\"blue\"", null, false)]
    [InlineData("StringNotEquals", "aws:PrincipalTag/team", "\"blue\"", "green", true)]
    [InlineData("StringNotEquals", "aws:PrincipalTag/team", "[\"red\",\"blue\"]", "blue", false)]
    // A negated operator holds when the key is missing: nothing matches, so "does not match" is true.
    [InlineData("StringNotEquals", "aws:PrincipalTag/team", "\"blue\"", null, true)]
    [InlineData("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "\"BLUE\"", "blue", true)]
    [InlineData("StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", "\"BLUE\"", "blue", false)]
    [InlineData("StringLike", "s3:prefix", "\"home/*\"", "home/alice/notes", true)]
    [InlineData("StringLike", "s3:prefix", "\"home/*\"", "Home/alice", false)]
    [InlineData("StringLike", "aws:PrincipalTag/env", "\"prod-??\"", "prod-eu", true)]
    [InlineData("StringLike", "aws:PrincipalTag/env", "\"prod-??\"", "prod-e", false)]
    [InlineData("StringLike", "aws:PrincipalTag/env", "\"prod-??\"", "prod-eu1", false)]
    [InlineData("StringNotLike", "aws:PrincipalTag/env", "\"dev-*\"", "prod-1", true)]
    [InlineData("StringNotLike", "aws:PrincipalTag/env", "\"dev-*\"", "dev-1", false)]
    // Condition keys are case-insensitive: the policy's key finds the request's key in another case.
    [InlineData("StringEquals", "AWS:PRINCIPALTAG/TEAM", "\"blue\"", "blue", true)]
    // Numeric.
    [InlineData("NumericEquals", "s3:max-keys", "10", "10", true)]
    [InlineData("NumericEquals", "s3:max-keys", "\"10\"", "10.0", true)]
    [InlineData("NumericNotEquals", "s3:max-keys", "10", "11", true)]
    [InlineData("NumericLessThan", "s3:max-keys", "10", "9", true)]
    [InlineData("NumericLessThan", "s3:max-keys", "10", "10", false)]
    [InlineData("NumericLessThanEquals", "s3:max-keys", "10", "10", true)]
    [InlineData("NumericGreaterThan", "s3:max-keys", "10", "10.5", true)]
    [InlineData("NumericGreaterThanEquals", "s3:max-keys", "10", "9", false)]
    [InlineData("NumericLessThan", "s3:max-keys", "10", "many", false)]
    // Date: ISO 8601 and epoch seconds compare as instants.
    [InlineData("DateLessThan", "aws:CurrentTime", "\"2030-01-01T00:00:00Z\"", "2029-12-31T23:59:59Z", true)]
    [InlineData("DateLessThan", "aws:CurrentTime", "\"2030-01-01\"", "2030-01-01T00:00:01Z", false)]
    [InlineData("DateGreaterThan", "aws:TokenIssueTime", "\"2020-01-01T00:00:00Z\"", "1600000000", true)]
    [InlineData("DateEquals", "aws:CurrentTime", "\"1577836800\"", "2020-01-01T00:00:00Z", true)]
    [InlineData("DateNotEquals", "aws:CurrentTime", "\"2020-01-01T00:00:00Z\"", "2020-01-01T01:00:00+01:00", false)]
    [InlineData("DateLessThanEquals", "aws:CurrentTime", "\"2020-01-01T00:00:00Z\"", "2020-01-01T00:00:00Z", true)]
    [InlineData("DateGreaterThanEquals", "aws:CurrentTime", "\"2020-01-01T00:00:00Z\"", "2019-12-31T00:00:00Z", false)]
    // Bool and Binary.
    [InlineData("Bool", "aws:SecureTransport", "\"true\"", "true", true)]
    [InlineData("Bool", "aws:SecureTransport", "false", "true", false)]
    [InlineData("Bool", "aws:MultiFactorAuthPresent", "\"true\"", null, false)]
    [InlineData("BinaryEquals", "key", "\"QmluYXJ5VmFsdWU=\"", "QmluYXJ5VmFsdWU=", true)]
    [InlineData("BinaryEquals", "key", "\"QmluYXJ5VmFsdWU=\"", "QmluYXJ5VmFsdWF=", false)]
    // IP addresses: IPv4 and IPv6 CIDR blocks, single addresses, families never mix.
    [InlineData("IpAddress", "aws:SourceIp", "\"203.0.113.0/24\"", "203.0.113.77", true)]
    [InlineData("IpAddress", "aws:SourceIp", "\"203.0.113.0/24\"", "203.0.114.1", false)]
    [InlineData("IpAddress", "aws:SourceIp", "\"203.0.113.9\"", "203.0.113.9", true)]
    [InlineData("IpAddress", "aws:SourceIp", "\"2001:DB8:1234:5678::/64\"", "2001:db8:1234:5678:abcd::1", true)]
    [InlineData("IpAddress", "aws:SourceIp", "\"2001:DB8:1234:5678::/64\"", "2001:db8:1234:5679::1", false)]
    [InlineData("IpAddress", "aws:SourceIp", "\"2001:DB8::/32\"", "203.0.113.1", false)]
    [InlineData("IpAddress", "aws:SourceIp", "[\"10.0.0.0/8\",\"2001:DB8::/32\"]", "2001:db8::5", true)]
    [InlineData("IpAddress", "aws:SourceIp", "\"10.1.2.3/12\"", "10.15.255.255", true)]
    [InlineData("NotIpAddress", "aws:SourceIp", "\"192.0.2.0/24\"", "198.51.100.1", true)]
    [InlineData("NotIpAddress", "aws:SourceIp", "\"192.0.2.0/24\"", "192.0.2.200", false)]
    // ARN: ArnEquals and ArnLike both take wildcards, part by part, case-sensitively.
    [InlineData("ArnLike", "aws:SourceArn", "\"arn:aws:sns:*:111122223333:topic-*\"", "arn:aws:sns:us-east-1:111122223333:topic-a", true)]
    [InlineData("ArnLike", "aws:SourceArn", "\"arn:aws:sns:*:111122223333:topic-*\"", "arn:aws:sns:us-east-1:999999999999:topic-a", false)]
    [InlineData("ArnEquals", "aws:SourceArn", "\"arn:aws:sns:us-east-1:111122223333:*\"", "arn:aws:sns:us-east-1:111122223333:alerts", true)]
    [InlineData("ArnEquals", "aws:PrincipalArn", "\"arn:aws:iam::111122223333:role/Admin\"", "arn:aws:iam::111122223333:role/admin", false)]
    [InlineData("ArnNotEquals", "aws:PrincipalArn", "\"arn:aws:iam::111122223333:role/Admin\"", "arn:aws:iam::111122223333:role/Other", true)]
    [InlineData("ArnNotLike", "aws:SourceArn", "\"arn:aws:s3:::trusted-*\"", "arn:aws:s3:::trusted-logs", false)]
    // A wildcard inside one ARN part does not reach into the next part.
    [InlineData("ArnLike", "aws:SourceArn", "\"arn:aws:sns:us-*:topic\"", "arn:aws:sns:us-east-1:111122223333:topic", false)]
    [InlineData("ArnLike", "aws:SourceArn", "\"arn:aws:sns:*\"", "arn:aws:sns:us-east-1:111122223333:topic", true)]
    public void Operators(string op, string key, string policyValues, string? context, bool expected) =>
        Assert.Equal(expected, Holds(op, key, policyValues, context));

    [Theory]
    // IfExists: a missing key passes; a present key is checked as without the suffix.
    [InlineData("StringEqualsIfExists", "ec2:InstanceType", "\"t3.micro\"", null, true)]
    [InlineData("StringEqualsIfExists", "ec2:InstanceType", "\"t3.micro\"", "t3.micro", true)]
    [InlineData("StringEqualsIfExists", "ec2:InstanceType", "\"t3.micro\"", "m5.24xlarge", false)]
    [InlineData("NumericLessThanIfExists", "s3:max-keys", "10", null, true)]
    [InlineData("IpAddressIfExists", "aws:SourceIp", "\"10.0.0.0/8\"", "192.0.2.1", false)]
    [InlineData("ArnLikeIfExists", "aws:SourceArn", "\"arn:aws:s3:::x\"", null, true)]
    // Null: true means the key must be absent, false that it must be present.
    [InlineData("Null", "aws:TokenIssueTime", "\"true\"", null, true)]
    [InlineData("Null", "aws:TokenIssueTime", "\"true\"", "2020-01-01T00:00:00Z", false)]
    [InlineData("Null", "aws:TokenIssueTime", "false", "2020-01-01T00:00:00Z", true)]
    [InlineData("Null", "aws:TokenIssueTime", "\"false\"", null, false)]
    [InlineData("Null", "aws:TagKeys", "\"true\"", "", true)]
    public void IfExists_and_Null(string op, string key, string policyValues, string? context, bool expected) =>
        Assert.Equal(expected, Holds(op, key, policyValues, context));

    [Theory]
    // ForAllValues: every request value must match one policy value; a missing or empty key is vacuously true.
    [InlineData("ForAllValues:StringEquals", "[\"team\",\"cost\"]", "team|cost", true)]
    [InlineData("ForAllValues:StringEquals", "[\"team\",\"cost\"]", "team", true)]
    [InlineData("ForAllValues:StringEquals", "[\"team\",\"cost\"]", "team|owner", false)]
    [InlineData("ForAllValues:StringEquals", "[\"team\",\"cost\"]", null, true)]
    [InlineData("ForAllValues:StringEquals", "[\"team\",\"cost\"]", "", true)]
    [InlineData("ForAllValues:StringLike", "\"env-*\"", "env-a|env-b", true)]
    [InlineData("ForAllValues:StringNotEquals", "[\"owner\"]", "team|cost", true)]
    [InlineData("ForAllValues:StringNotEquals", "[\"owner\"]", "team|owner", false)]
    // ForAnyValue: at least one request value must match; a missing or empty key is false.
    [InlineData("ForAnyValue:StringEquals", "[\"team\",\"cost\"]", "owner|cost", true)]
    [InlineData("ForAnyValue:StringEquals", "[\"team\",\"cost\"]", "owner", false)]
    [InlineData("ForAnyValue:StringEquals", "[\"team\",\"cost\"]", null, false)]
    [InlineData("ForAnyValue:StringEquals", "[\"team\",\"cost\"]", "", false)]
    [InlineData("ForAnyValue:StringNotEquals", "\"team\"", "team|owner", true)]
    [InlineData("ForAnyValue:StringNotEquals", "\"team\"", "team", false)]
    [InlineData("ForAnyValue:StringEqualsIfExists", "\"team\"", null, true)]
    [InlineData("ForAnyValue:StringLike", "\"co*\"", "owner|cost", true)]
    // Without a set operator a multivalued key matches when any value does; negated, when none does.
    [InlineData("StringEquals", "\"cost\"", "owner|cost", true)]
    [InlineData("StringNotEquals", "\"cost\"", "owner|cost", false)]
    [InlineData("StringNotEquals", "\"cost\"", "owner|team", true)]
    public void Set_operators_on_multivalued_keys(string op, string policyValues, string? context, bool expected) =>
        Assert.Equal(expected, Holds(op, "aws:TagKeys", policyValues, context));

    [Fact]
    public void Keys_and_operators_are_ANDed()
    {
        var policy = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{
              "StringEquals":{"aws:RequestedRegion":"eu-west-1","ec2:InstanceType":["t3.micro","t3.small"]},
              "Bool":{"aws:SecureTransport":"true"}}}}
            """, "p");
        var request = new AccessRequest("ec2:RunInstances", "*").With("aws:RequestedRegion", "eu-west-1").With("ec2:InstanceType", "t3.small");
        Assert.False(PolicyEvaluator.Evaluate(request, policy).IsAllowed);
        Assert.True(PolicyEvaluator.Evaluate(request.With("aws:SecureTransport", "true"), policy).IsAllowed);
        Assert.False(PolicyEvaluator.Evaluate(request.With("aws:SecureTransport", "true").With("aws:RequestedRegion", "us-east-1"), policy).IsAllowed);
    }

    [Theory]
    [InlineData("StringEquals", "StringEquals", ConditionTest.StringEquals, false, false, ConditionSetQualifier.None)]
    [InlineData("stringnotequalsignorecaseifexists", "StringNotEqualsIgnoreCase", ConditionTest.StringEqualsIgnoreCase, true, true, ConditionSetQualifier.None)]
    [InlineData("ForAnyValue:ArnNotLikeIfExists", "ArnNotLike", ConditionTest.ArnLike, true, true, ConditionSetQualifier.ForAnyValue)]
    [InlineData("ForAllValues:NumericGreaterThanEquals", "NumericGreaterThanEquals", ConditionTest.NumericGreaterThanEquals, false, false, ConditionSetQualifier.ForAllValues)]
    [InlineData("NotIpAddressIfExists", "NotIpAddress", ConditionTest.IpAddress, true, true, ConditionSetQualifier.None)]
    [InlineData("DateNotEquals", "DateNotEquals", ConditionTest.DateEquals, true, false, ConditionSetQualifier.None)]
    [InlineData("BinaryEqualsIfExists", "BinaryEquals", ConditionTest.BinaryEquals, false, true, ConditionSetQualifier.None)]
    public void Operator_names_take_apart(string name, string baseName, object test, bool negated, bool ifExists, object qualifier)
    {
        Assert.True(ConditionOperator.TryParse(name, out var op, out var error), error);
        Assert.Equal(baseName, op.BaseName);
        Assert.Equal(test, op.Test);
        Assert.Equal(negated, op.Negated);
        Assert.Equal(ifExists, op.IfExists);
        Assert.Equal(qualifier, op.Qualifier);
    }

    [Theory]
    [InlineData("StringEqual")]
    [InlineData("ForSomeValues:StringEquals")]
    [InlineData("IfExists")]
    [InlineData("StringEqualsIfExistsIfExists")]
    public void Unknown_operators_are_refused(string name)
    {
        Assert.False(ConditionOperator.TryParse(name, out _, out var error));
        Assert.Contains($"'{name}'", error);
    }
}
