using EksSecurity.Engine.Rules.Data;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Data.StorageFixtures;

namespace EksSecurity.Tests.Rules.Data;

public class EfsVolumesEncryptInTransitTests
{
    private static EksSecurityFinding RunOne(V1PersistentVolume pv) =>
        Assert.Single(TestSnapshots.Run<EfsVolumesEncryptInTransit>(TestSnapshots.Empty().With(s => s.Kubernetes.PersistentVolumes!.Items!.Add(pv))));

    private static Dictionary<string, string> Attrs(string value) => new() { ["encryptInTransit"] = value };

    [Fact]
    public void Encrypt_in_transit_false_fails()
    {
        var finding = RunOne(CsiVolume("shared", "efs.csi.aws.com", "fs-0123456789abcdef0", Attrs("false")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-DATA-007", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("fs-0123456789abcdef0", finding.Message);
    }

    [Fact]
    public void Default_and_true_pass()
    {
        Assert.Equal(FindingStatus.Pass, RunOne(CsiVolume("shared", "efs.csi.aws.com", "fs-0123456789abcdef0")).Status);
        // Keys are case-insensitive and values are Go booleans.
        Assert.Equal(FindingStatus.Pass, RunOne(CsiVolume("shared", "efs.csi.aws.com", "fs-0123456789abcdef0", new Dictionary<string, string> { ["EncryptInTransit"] = "T" })).Status);
        Assert.Equal(FindingStatus.Fail, RunOne(CsiVolume("shared", "efs.csi.aws.com", "fs-0123456789abcdef0", Attrs("0"))).Status);
    }

    [Fact]
    public void Access_points_are_always_mounted_with_tls()
    {
        var finding = RunOne(CsiVolume("shared", "efs.csi.aws.com", "fs-0123456789abcdef0::fsap-0123456789abcdef0", Attrs("false")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("always mounts over TLS", finding.Message);
    }

    [Fact]
    public void Conflicting_tls_option_warns()
    {
        var finding = RunOne(CsiVolume("shared", "efs.csi.aws.com", "fs-0123456789abcdef0", Attrs("false"), "tls"));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("mount fails", finding.Message);
    }

    [Fact]
    public void Invalid_value_warns()
    {
        Assert.Equal(FindingStatus.Warning, RunOne(CsiVolume("shared", "efs.csi.aws.com", "fs-0123456789abcdef0", Attrs("no"))).Status);
    }

    [Fact]
    public void Efs_mounted_as_plain_nfs_fails()
    {
        var finding = RunOne(NfsVolume("legacy", "fs-0123456789abcdef0.efs.eu-west-1.amazonaws.com"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("plain NFS", finding.Message);
    }

    [Fact]
    public void Other_volumes_are_not_judged_and_denied_section_is_an_error()
    {
        Assert.Equal(FindingStatus.NotApplicable, RunOne(NfsVolume("nas", "nas.corp.example.com")).Status);
        var denied = TestSnapshots.Empty().With(s => s.Kubernetes.PersistentVolumes = Section<V1PersistentVolume>.Denied("list persistentvolumes"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<EfsVolumesEncryptInTransit>(denied)).Status);
    }
}
