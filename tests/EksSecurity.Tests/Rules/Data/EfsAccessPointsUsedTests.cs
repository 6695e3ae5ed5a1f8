using EksSecurity.Engine.Rules.Data;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Data.StorageFixtures;

namespace EksSecurity.Tests.Rules.Data;

public class EfsAccessPointsUsedTests
{
    private static EksSecurityFinding RunOne(V1PersistentVolume pv) =>
        Assert.Single(TestSnapshots.Run<EfsAccessPointsUsed>(TestSnapshots.Empty().With(s => s.Kubernetes.PersistentVolumes!.Items!.Add(pv))));

    [Fact]
    public void Static_volume_without_access_point_fails()
    {
        var finding = RunOne(CsiVolume("shared", "efs.csi.aws.com", "fs-0123456789abcdef0"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-DATA-009", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("PersistentVolume", finding.ResourceType);
    }

    [Theory]
    [InlineData("fs-0123456789abcdef0::fsap-0123456789abcdef0")]
    [InlineData("fs-0123456789abcdef0:/data:fsap-0123456789abcdef0")]
    public void Volume_handle_with_access_point_passes(string handle)
    {
        Assert.Equal(FindingStatus.Pass, RunOne(CsiVolume("shared", "efs.csi.aws.com", handle)).Status);
    }

    [Theory]
    [InlineData("fs-0123456789abcdef0:/data")]
    [InlineData("fs-0123456789abcdef0::")]
    [InlineData("fs-0123456789abcdef0:")]
    public void Sub_path_is_not_an_access_point(string handle)
    {
        Assert.Equal(FindingStatus.Fail, RunOne(CsiVolume("shared", "efs.csi.aws.com", handle)).Status);
    }

    [Fact]
    public void Deprecated_mount_option_counts()
    {
        var finding = RunOne(CsiVolume("shared", "efs.csi.aws.com", "fs-0123456789abcdef0", null, "tls", "accesspoint=fsap-0123456789abcdef0"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("deprecated"));
    }

    [Fact]
    public void Efs_over_nfs_fails_and_other_volumes_are_not_judged()
    {
        Assert.Equal(FindingStatus.Fail, RunOne(NfsVolume("legacy", "fs-0123456789abcdef0.efs.eu-west-1.amazonaws.com")).Status);
        Assert.Equal(FindingStatus.NotApplicable, RunOne(CsiVolume("disk", "ebs.csi.aws.com", "vol-0123")).Status);
    }

    [Fact]
    public void Denied_section_is_an_error()
    {
        var denied = TestSnapshots.Empty().With(s => s.Kubernetes.PersistentVolumes = Section<V1PersistentVolume>.Failed("timeout"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<EfsAccessPointsUsed>(denied)).Status);
    }
}
