using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Data;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Data.StorageFixtures;

namespace EksSecurity.Tests.Rules.Data;

public class EbsPersistentVolumesEncryptedTests
{
    private static ClusterSnapshot Snapshot(V1PersistentVolume[] pvs, params Ec2Volume[] volumes) => TestSnapshots.Empty().With(s =>
    {
        s.Kubernetes.PersistentVolumes!.Items!.AddRange(pvs);
        s.Aws.EbsVolumes!.Items!.AddRange(volumes);
    });

    [Fact]
    public void Unencrypted_volume_fails_and_encrypted_one_passes()
    {
        var snapshot = Snapshot(
            [CsiVolume("pvc-1", "ebs.csi.aws.com", "vol-0aaaaaaaaaaaaaaa1"), CsiVolume("pvc-2", "ebs.csi.aws.com", "vol-0bbbbbbbbbbbbbbb2")],
            new Ec2Volume { VolumeId = "vol-0aaaaaaaaaaaaaaa1", Encrypted = false, State = "in-use", VolumeType = "gp3" },
            new Ec2Volume { VolumeId = "vol-0bbbbbbbbbbbbbbb2", Encrypted = true, KmsKeyId = "arn:aws:kms:eu-west-1:111122223333:key/abc" });
        var findings = TestSnapshots.Run<EbsPersistentVolumesEncrypted>(snapshot);
        var bad = Assert.Single(findings, f => f.ResourceName == "pvc-1");
        Assert.Equal(FindingStatus.Fail, bad.Status);
        Assert.Equal("EKS-DATA-005", bad.RuleId);
        Assert.Equal("PersistentVolume", bad.ResourceType);
        Assert.Contains(bad.Evidence, e => e.Contains("Encrypted = false"));
        Assert.Contains(bad.Evidence, e => e.Contains("claim shop/data-pvc-1"));
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceName == "pvc-2").Status);
    }

    [Fact]
    public void In_tree_volume_ids_are_read()
    {
        var pv = new V1PersistentVolume
        {
            Metadata = TestSnapshots.Meta("legacy"),
            Spec = new V1PersistentVolumeSpec { AwsElasticBlockStore = new V1AWSElasticBlockStoreVolumeSource { VolumeID = "aws://eu-west-1a/vol-0ccccccccccccccc3" } },
        };
        var finding = Assert.Single(TestSnapshots.Run<EbsPersistentVolumesEncrypted>(Snapshot([pv], new Ec2Volume { VolumeId = "vol-0ccccccccccccccc3", Encrypted = false })));
        Assert.Equal(FindingStatus.Fail, finding.Status);
    }

    [Fact]
    public void Volume_missing_from_describe_volumes_is_an_error()
    {
        var finding = Assert.Single(TestSnapshots.Run<EbsPersistentVolumesEncrypted>(Snapshot([CsiVolume("pvc-1", "ebs.csi.eks.amazonaws.com", "vol-0ddddddddddddddd4")])));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("did not return", finding.Message);
    }

    [Fact]
    public void Missing_encrypted_flag_is_an_error()
    {
        var finding = Assert.Single(TestSnapshots.Run<EbsPersistentVolumesEncrypted>(
            Snapshot([CsiVolume("pvc-1", "ebs.csi.aws.com", "vol-0eeeeeeeeeeeeeee5")], new Ec2Volume { VolumeId = "vol-0eeeeeeeeeeeeeee5" })));
        Assert.Equal(FindingStatus.Error, finding.Status);
    }

    [Fact]
    public void Denied_describe_volumes_is_an_error_and_needs_the_permission()
    {
        var snapshot = Snapshot([CsiVolume("pvc-1", "ebs.csi.aws.com", "vol-0aaaaaaaaaaaaaaa1")])
            .With(s => s.Aws.EbsVolumes = Section<Ec2Volume>.Denied("ec2:DescribeVolumes"));
        var finding = Assert.Single(TestSnapshots.Run<EbsPersistentVolumesEncrypted>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:DescribeVolumes", finding.Message);
        Assert.Contains("ec2:DescribeVolumes", EksSecurity.Engine.Aws.Collection.AwsPermissions.ActionsFor([new EbsPersistentVolumesEncrypted()]));
        Assert.False(new EbsPersistentVolumesEncrypted().Metadata.AppliesToManifests);
    }

    [Fact]
    public void Efs_and_other_volumes_are_not_judged()
    {
        var finding = Assert.Single(TestSnapshots.Run<EbsPersistentVolumesEncrypted>(Snapshot([CsiVolume("efs", "efs.csi.aws.com", "fs-12345678::fsap-1")])));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }
}
