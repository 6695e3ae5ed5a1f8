using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Data;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Data.StorageFixtures;

namespace EksSecurity.Tests.Rules.Data;

public class EbsStorageClassesEncryptTests
{
    private static ClusterSnapshot Snapshot(bool? accountDefault, params V1StorageClass[] classes) => TestSnapshots.Empty().With(s =>
    {
        s.Kubernetes.StorageClasses!.Items!.AddRange(classes);
        s.Aws.EbsEncryptionByDefault = ObjectSection<Ec2EbsEncryptionDefault>.Collected(new Ec2EbsEncryptionDefault { EbsEncryptionByDefault = accountDefault });
    });

    private static EksSecurityFinding RunOne(ClusterSnapshot snapshot) => Assert.Single(TestSnapshots.Run<EbsStorageClassesEncrypt>(snapshot));

    [Fact]
    public void Unencrypted_class_with_default_encryption_off_fails()
    {
        var finding = RunOne(Snapshot(false, StorageClass("gp3", "ebs.csi.aws.com", ("type", "gp3"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-DATA-004", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("StorageClass", finding.ResourceType);
        Assert.Equal("gp3", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e.Contains("EbsEncryptionByDefault = false"));
    }

    [Fact]
    public void Encrypted_class_passes()
    {
        var finding = RunOne(Snapshot(false, StorageClass("gp3-enc", "ebs.csi.aws.com", ("type", "gp3"), ("encrypted", "true"), ("kmsKeyId", "arn:aws:kms:eu-west-1:111122223333:key/abc"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("arn:aws:kms:eu-west-1:111122223333:key/abc", finding.Message);
    }

    [Fact]
    public void Account_default_encryption_makes_it_pass()
    {
        // HardenEKS ignores the account default and fails these classes.
        var finding = RunOne(Snapshot(true, StorageClass("gp2", "kubernetes.io/aws-ebs")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("by default", finding.Message);
    }

    [Fact]
    public void Only_the_exact_string_true_encrypts()
    {
        var finding = RunOne(Snapshot(false, StorageClass("gp3", "ebs.csi.aws.com", ("Encrypted", "True"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("exact string \"true\""));
        // Keys are case-insensitive, values are not.
        Assert.Equal(FindingStatus.Pass, RunOne(Snapshot(false, StorageClass("gp3", "ebs.csi.aws.com", ("ENCRYPTED", "true")))).Status);
    }

    [Fact]
    public void Kms_key_alone_does_not_encrypt()
    {
        var finding = RunOne(Snapshot(false, StorageClass("gp3", "ebs.csi.eks.amazonaws.com", ("kmsKeyId", "alias/ebs"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("kmsKeyId is used only when encrypted"));
    }

    [Fact]
    public void Unknown_account_default_is_an_error_never_a_pass()
    {
        var denied = TestSnapshots.Empty().With(s =>
        {
            s.Kubernetes.StorageClasses!.Items!.Add(StorageClass("gp3", "ebs.csi.aws.com"));
            s.Aws.EbsEncryptionByDefault = ObjectSection<Ec2EbsEncryptionDefault>.Denied("ec2:GetEbsEncryptionByDefault");
        });
        var finding = RunOne(denied);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("ec2:GetEbsEncryptionByDefault"));

        // An encrypting class needs no account data.
        denied.Kubernetes.StorageClasses!.Items![0].Parameters = new Dictionary<string, string> { ["encrypted"] = "true" };
        Assert.Equal(FindingStatus.Pass, RunOne(denied).Status);
    }

    [Fact]
    public void On_manifests_an_unencrypted_class_warns()
    {
        var snapshot = TestSnapshots.Empty().With(s =>
        {
            s.Origin = SnapshotOrigin.Manifests;
            s.Aws.EbsEncryptionByDefault = null;
            s.Kubernetes.StorageClasses!.Items!.Add(StorageClass("gp3", "ebs.csi.aws.com"));
        });
        Assert.True(new EbsStorageClassesEncrypt().Metadata.AppliesToManifests);
        Assert.Equal(FindingStatus.Warning, RunOne(snapshot).Status);
    }

    [Fact]
    public void Other_provisioners_are_not_judged()
    {
        var finding = RunOne(Snapshot(false, StorageClass("efs", "efs.csi.aws.com"), StorageClass("fsx", "fsx.csi.aws.com")));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }

    [Fact]
    public void Denied_storage_classes_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.StorageClasses = Section<V1StorageClass>.Denied("list storageclasses.storage.k8s.io"));
        Assert.Equal(FindingStatus.Error, RunOne(snapshot).Status);
    }
}
