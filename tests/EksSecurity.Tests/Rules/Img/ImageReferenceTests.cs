using EksSecurity.Engine.Rules.Img;

namespace EksSecurity.Tests.Rules.Img;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", null, null)]
    [InlineData("nginx:1.25", "docker.io", "library/nginx", "1.25", null)]
    [InlineData("library/nginx:1.25", "docker.io", "library/nginx", "1.25", null)]
    [InlineData("docker.io/nginx", "docker.io", "library/nginx", null, null)]
    [InlineData("index.docker.io/bitnami/redis:7", "docker.io", "bitnami/redis", "7", null)]
    [InlineData("bitnami/redis", "docker.io", "bitnami/redis", null, null)]
    [InlineData("localhost/app:dev", "localhost", "app", "dev", null)]
    [InlineData("registry.example.com:5000/team/app", "registry.example.com:5000", "team/app", null, null)]
    [InlineData("registry.example.com:5000/team/app:2.0", "registry.example.com:5000", "team/app", "2.0", null)]
    [InlineData("Registry.Example.COM/app@sha256:abc", "registry.example.com", "app", null, "sha256:abc")]
    [InlineData("nginx:1.25@sha256:abc", "docker.io", "library/nginx", "1.25", "sha256:abc")]
    [InlineData("602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.1-eksbuild.4", "602401143452.dkr.ecr.us-west-2.amazonaws.com", "eks/coredns", "v1.11.1-eksbuild.4", null)]
    public void Parses_like_the_runtime(string image, string registry, string repository, string? tag, string? digest)
    {
        var parsed = ImageReference.Parse(image)!;
        Assert.Equal(registry, parsed.Registry);
        Assert.Equal(repository, parsed.Repository);
        Assert.Equal(tag, parsed.Tag);
        Assert.Equal(digest, parsed.Digest);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_is_null(string? image) => Assert.Null(ImageReference.Parse(image));

    [Theory]
    [InlineData("602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1", "602401143452.dkr.ecr.*.amazonaws.com", true)]
    [InlineData("602401143452.dkr.ecr.eu-west-1.amazonaws.com.evil.io/x", "602401143452.dkr.ecr.*.amazonaws.com", false)]
    [InlineData("evil.io/602401143452.dkr.ecr.eu-west-1.amazonaws.com/x", "602401143452.dkr.ecr.*.amazonaws.com", false)]
    [InlineData("public.ecr.aws/eks/aws-load-balancer-controller:v2", "public.ecr.aws/eks/*", true)]
    [InlineData("public.ecr.aws/eks-hacker/app:1", "public.ecr.aws/eks/*", false)]
    [InlineData("PUBLIC.ECR.AWS/eks/x:1", "public.ecr.aws/eks/*", true)]
    [InlineData("nginx", "docker.io/library/*", true)]
    public void Host_and_repository_globs_match_separately(string image, string pattern, bool expected) =>
        Assert.Equal(expected, ImageReference.Parse(image)!.Matches(pattern));
}
