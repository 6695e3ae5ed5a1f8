using EksSecurity.Engine.Rules;

namespace EksSecurity.Tests.Rules.Iam;

public class WildcardMatchTests
{
    [Theory]
    [InlineData("system:controller:x", "system:*", true)]
    [InlineData("system:controller:x", "eks:*", false)]
    [InlineData("aws-node", "aws-node", true)]
    [InlineData("aws-node-extra", "aws-node", false)]
    [InlineData("ServiceAccount:argocd/app", "ServiceAccount:argocd/*", true)]
    [InlineData("ServiceAccount:argo/app", "ServiceAccount:argocd/*", false)]
    [InlineData("amazon-vpc-cni-role", "amazon-vpc-cni*", true)]
    [InlineData("abc", "a?c", true)]
    [InlineData("ac", "a?c", false)]
    [InlineData("a-b-c-d", "a*c*d", true)]
    [InlineData("a-b-c-e", "a*c*d", false)]
    [InlineData("", "*", true)]
    [InlineData("x", "", false)]
    [InlineData("System:masters", "system:*", false)]
    public void Matches_globs(string value, string pattern, bool expected) =>
        Assert.Equal(expected, WildcardMatch.IsMatch(value, pattern));

    [Fact]
    public void Ignore_case_is_opt_in_and_first_match_names_the_pattern()
    {
        Assert.True(WildcardMatch.IsMatch("System:Masters", "system:*", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("b*", WildcardMatch.FirstMatch("bob", ["a*", "", "b*", "*"]));
        Assert.Null(WildcardMatch.FirstMatch("bob", null));
    }
}
