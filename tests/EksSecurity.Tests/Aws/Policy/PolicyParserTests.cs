using EksSecurity.Engine.Aws.Policy;

namespace EksSecurity.Tests.Aws.Policy;

public class PolicyParserTests
{
    [Fact]
    public void Reads_every_element_in_its_array_form()
    {
        var policy = PolicyDocument.Parse("""
            {
              "Version": "2012-10-17",
              "Id": "bucket-policy",
              "Statement": [{
                "Sid": "ReadLogs",
                "Effect": "Allow",
                "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "444455556666"], "Service": "logs.amazonaws.com"},
                "Action": ["s3:GetObject", "s3:List*"],
                "Resource": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
                "Condition": {"StringEquals": {"aws:SourceVpc": ["vpc-1", "vpc-2"]}, "Bool": {"aws:SecureTransport": true}}
              }]
            }
            """, "LogsBucket");
        Assert.Equal("LogsBucket", policy.Name);
        Assert.Equal("2012-10-17", policy.Version);
        Assert.Equal("bucket-policy", policy.Id);
        Assert.True(policy.SupportsVariables);
        var s = Assert.Single(policy.Statements);
        Assert.Equal("ReadLogs", s.Sid);
        Assert.Equal(PolicyEffect.Allow, s.Effect);
        Assert.Equal(["AWS:arn:aws:iam::111122223333:root", "AWS:444455556666", "Service:logs.amazonaws.com"], s.Principals.Select(p => p.ToString()));
        Assert.Equal(["s3:GetObject", "s3:List*"], s.Actions);
        Assert.Equal(["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"], s.Resources);
        Assert.Equal(2, s.Conditions.Count);
        Assert.Equal(["vpc-1", "vpc-2"], s.ConditionsOn("AWS:SOURCEVPC").Single().Values);
        // Booleans and numbers are compared as their text.
        Assert.Equal(["true"], s.ConditionsOn("aws:SecureTransport").Single().Values);
        Assert.Equal("policy 'LogsBucket' statement 0 (Sid ReadLogs)", s.Label);
    }

    [Fact]
    public void Reads_single_values_a_single_statement_and_the_Not_forms()
    {
        var policy = PolicyDocument.Parse("""
            {"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/admin"}, "NotAction": "iam:*", "NotResource": "arn:aws:s3:::keep/*"}}
            """, "p");
        var s = Assert.Single(policy.Statements);
        Assert.True(s.IsDeny);
        Assert.True(s.HasPrincipal);
        Assert.True(s.IsNotPrincipal);
        Assert.True(s.IsNotAction);
        Assert.Equal(["iam:*"], s.Actions);
        Assert.True(s.IsNotResource);
        Assert.Equal(["arn:aws:s3:::keep/*"], s.Resources);
        Assert.Null(policy.Version);
        Assert.False(policy.SupportsVariables);
        Assert.Equal("statement 0", s.Name);
    }

    [Fact]
    public void Principal_star_and_trust_policy_without_resource()
    {
        var policy = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}""", "trust", PolicyKind.Trust);
        var s = Assert.Single(policy.Statements);
        Assert.Equal("*", Assert.Single(s.Principals).ToString());
        Assert.False(s.HasResource);
        Assert.True(s.CoversResource("arn:aws:iam::111122223333:role/any"));
    }

    [Fact]
    public void Element_names_are_read_regardless_of_case_and_url_encoding_is_undone()
    {
        var encoded = Uri.EscapeDataString("""{"version":"2012-10-17","statement":[{"effect":"allow","action":"s3:*","resource":"*"}]}""");
        var policy = PolicyDocument.Parse(encoded, "encoded");
        Assert.True(Assert.Single(policy.Statements).IsAllow);
        Assert.Equal("2012-10-17", policy.Version);
    }

    [Fact]
    public void Condition_operators_are_read_with_prefix_and_suffix()
    {
        var s = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
              "ForAllValues:StringLikeIfExists":{"aws:TagKeys":"team-*"},
              "ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]},
              "NumericLessThanEquals":{"s3:max-keys":10}}}}
            """, "p").Statements[0];
        var first = s.Conditions[0].Operator;
        Assert.Equal((ConditionSetQualifier.ForAllValues, "StringLike", ConditionTest.StringLike, false, true), (first.Qualifier, first.BaseName, first.Test, first.Negated, first.IfExists));
        var second = s.Conditions[1].Operator;
        Assert.Equal((ConditionSetQualifier.ForAnyValue, ConditionTest.StringEquals, true, false), (second.Qualifier, second.Test, second.Negated, second.IfExists));
        Assert.Equal(["10"], s.Conditions[2].Values);
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Permit","Action":"s3:*","Resource":"*"}]}""",
        "policy 'AppPolicy': statement 2: Effect must be Allow or Deny, not \"Permit\"")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Action":"s3:*","Resource":"*"}]}""", "policy 'AppPolicy': statement 0: Effect is missing; it must be Allow or Deny")]
    [InlineData("""{"Version":"2012-10-17"}""", "policy 'AppPolicy': the document has no Statement")]
    [InlineData("""{"Version":"2012-10-17","Statement":"Allow everything"}""", "policy 'AppPolicy': Statement must be an object or an array of objects, not \"Allow everything\"")]
    [InlineData("""{"Version":"2012-10-17","Statement":["x"]}""", "policy 'AppPolicy': statement 0: must be a JSON object, not \"x\"")]
    [InlineData("""["Statement"]""", "policy 'AppPolicy': the document must be a JSON object, not an array")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":"aws:SecureTransport"}]}""",
        "policy 'AppPolicy': statement 0: Condition must be an object of {operator: {key: value}}, not \"aws:SecureTransport\"")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:SourceVpc":"vpc-1"}}}]}""",
        "policy 'AppPolicy': statement 0: Condition: unknown condition operator 'StringEqualz'")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":"vpc-1"}}]}""",
        "policy 'AppPolicy': statement 0: Condition operator 'StringEquals' must map condition keys to values, not \"vpc-1\"")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:TagKeys":"true"}}}]}""",
        "policy 'AppPolicy': statement 0: Condition: condition operator 'NullIfExists': Null cannot take IfExists")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}]}""",
        "policy 'AppPolicy': statement 0: Condition NumericLessThan s3:max-keys: 'ten' is not a number")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}]}""",
        "policy 'AppPolicy': statement 0: Condition IpAddress aws:SourceIp: '10.0.0.0/33' is not an IP address or CIDR block")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"next tuesday"}}}]}""",
        "policy 'AppPolicy': statement 0: Condition DateLessThan aws:CurrentTime: 'next tuesday' is not a date (ISO 8601 or epoch seconds)")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}}]}""",
        "policy 'AppPolicy': statement 0: Condition Bool aws:SecureTransport: 'yes' must be true or false")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":null}}}]}""",
        "policy 'AppPolicy': statement 0: Condition StringEquals aws:SourceVpc: values must be strings, numbers or booleans, not null")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}]}""",
        "policy 'AppPolicy': statement 0: has both Action and NotAction; a statement takes one")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}""", "policy 'AppPolicy': statement 0: has neither Action nor NotAction")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}""",
        "policy 'AppPolicy': statement 0: Action 'GetObject' is not \"*\" or of the form service:action")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}""", "policy 'AppPolicy': statement 0: Action is an empty array")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject",3],"Resource":"*"}]}""", "policy 'AppPolicy': statement 0: Action entries must be strings, not 3")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":{"arn":"x"}}]}""",
        "policy 'AppPolicy': statement 0: Resource must be a string or an array of strings, not an object")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Actions":"s3:*","Resource":"*"}]}""",
        "policy 'AppPolicy': statement 0: unknown element 'Actions' (expected Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition)")]
    [InlineData("""{"Version":"2012-10-17","Statment":[]}""", "policy 'AppPolicy': unknown top-level element 'Statment' (expected Version, Id, Statement)")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}]}""", "policy 'AppPolicy': statement 0: Effect appears more than once")]
    [InlineData("""{"Version":"2020-01-01","Statement":[]}""", "policy 'AppPolicy': Version must be \"2012-10-17\" or \"2008-10-17\", not \"2020-01-01\"")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"s3:*","Resource":"*"}]}""",
        "policy 'AppPolicy': statement 0: Principal must be \"*\" or an object such as {\"AWS\": \"arn:...\"}, not \"arn:aws:iam::111122223333:root\"")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"User":"bob"},"Action":"s3:*","Resource":"*"}]}""",
        "policy 'AppPolicy': statement 0: Principal has unknown principal type 'User' (expected AWS, Service, Federated or CanonicalUser)")]
    [InlineData("   ", "policy 'AppPolicy': the policy document is empty")]
    public void Malformed_documents_name_the_policy_the_statement_and_the_problem(string json, string message)
    {
        var ex = Assert.Throws<PolicyParseException>(() => PolicyDocument.Parse(json, "AppPolicy"));
        Assert.Equal(message, ex.Message);
        Assert.Equal("AppPolicy", ex.PolicyName);
        Assert.False(PolicyDocument.TryParse(json, "AppPolicy", out var document, out var error));
        Assert.Null(document);
        Assert.Equal(message, error);
    }

    [Fact]
    public void Invalid_json_reports_line_and_position()
    {
        var ex = Assert.Throws<PolicyParseException>(() => PolicyDocument.Parse("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Allow\" ]\n}", "Broken"));
        Assert.Equal("policy 'Broken': not valid JSON at line 3, position 38: ']' is invalid without a matching open.", ex.Message);
        Assert.DoesNotContain("LineNumber", ex.Message);
        Assert.Null(ex.StatementIndex);
    }

    [Fact]
    public void Statement_index_is_carried_for_callers()
    {
        var ex = Assert.Throws<PolicyParseException>(() => PolicyDocument.Parse("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}""", "p"));
        Assert.Equal(1, ex.StatementIndex);
        Assert.StartsWith("Effect must be Allow or Deny", ex.Problem);
    }

    [Theory]
    [InlineData("""{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}}""", "Identity", "statement 0: Principal is not allowed in an identity policy")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"s3:*"}}""", "Identity", "statement 0: has neither Resource nor NotResource, which an identity policy requires")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}""", "Trust", "statement 0: has neither Principal nor NotPrincipal, which a trust policy requires")]
    [InlineData("""{"Statement":{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}""", "Trust", "statement 0: Resource is not allowed in a trust policy")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""", "Resource", "statement 0: has neither Principal nor NotPrincipal, which a resource policy requires")]
    public void Policy_kind_checks_the_elements_that_kind_requires(string json, string kind, string problem)
    {
        var ex = Assert.Throws<PolicyParseException>(() => PolicyDocument.Parse(json, "p", Enum.Parse<PolicyKind>(kind)));
        Assert.Equal($"policy 'p': {problem}", ex.Message);
        // Unspecified kind reads the same document without complaint.
        Assert.True(PolicyDocument.TryParse(json, "p", out _, out _));
    }

    [Fact]
    public void Empty_statement_array_is_a_policy_that_allows_nothing()
    {
        var policy = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[]}""", "empty");
        Assert.Empty(policy.Statements);
        Assert.False(PolicyEvaluator.Evaluate(new AccessRequest("s3:GetObject", "arn:aws:s3:::b/k"), policy).IsAllowed);
    }

    [Fact]
    public void Describe_prints_the_statement_as_evidence()
    {
        var s = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":["s3:Get*"],"Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}""", "P").Statements[0];
        Assert.Equal("policy 'P' statement 0 (Sid S): Allow Action [s3:Get*] Resource [*] Condition StringEquals aws:SourceVpc [vpc-1]", s.Describe());
    }
}
