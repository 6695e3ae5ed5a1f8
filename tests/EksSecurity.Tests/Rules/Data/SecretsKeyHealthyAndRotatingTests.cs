using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Data;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Data;

public class SecretsKeyHealthyAndRotatingTests
{
    internal const string KeyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    internal static ClusterSnapshot Encrypted(KmsKeyInfo? key) => TestSnapshots.Empty().With(s =>
    {
        s.Cluster().EncryptionConfig = [new EksEncryptionConfig { Resources = ["secrets"], Provider = new EksEncryptionProvider { KeyArn = KeyArn } }];
        if (key is not null) s.Aws.KmsKey = ObjectSection<KmsKeyInfo>.Collected(key);
    });

    internal static KmsKeyInfo Key(string state = "Enabled", bool? rotation = true, string origin = "AWS_KMS", string spec = "SYMMETRIC_DEFAULT", string? policy = null) => new()
    {
        KeyMetadata = new KmsKeyMetadata
        {
            KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab", Arn = KeyArn, KeyManager = "CUSTOMER", KeyState = state, Enabled = state == "Enabled",
            Origin = origin, KeySpec = spec, KeyUsage = "ENCRYPT_DECRYPT",
            DeletionDate = state == "PendingDeletion" ? new DateTimeOffset(2026, 11, 8, 0, 0, 0, TimeSpan.Zero) : null,
        },
        KeyRotationEnabled = rotation,
        Policy = policy,
    };

    [Fact]
    public void Enabled_rotating_key_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<SecretsKeyHealthyAndRotating>(Encrypted(Key())));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("EKS-DATA-002", finding.RuleId);
        Assert.Equal("KmsKey", finding.ResourceType);
        Assert.Equal(KeyArn, finding.ResourceName);
    }

    [Fact]
    public void Rotation_off_fails_medium()
    {
        var finding = Assert.Single(TestSnapshots.Run<SecretsKeyHealthyAndRotating>(Encrypted(Key(rotation: false))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("rotation is off", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "KeyRotationEnabled = false");
    }

    [Theory]
    [InlineData("PendingDeletion", "scheduled for deletion on 2026-11-08")]
    [InlineData("Disabled", "its state is Disabled")]
    public void Unusable_key_fails_high(string state, string expected)
    {
        var finding = Assert.Single(TestSnapshots.Run<SecretsKeyHealthyAndRotating>(Encrypted(Key(state))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains(expected, finding.Message);
    }

    [Fact]
    public void Imported_key_material_warns_that_rotation_is_manual()
    {
        var finding = Assert.Single(TestSnapshots.Run<SecretsKeyHealthyAndRotating>(Encrypted(Key(rotation: null, origin: "EXTERNAL"))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("origin EXTERNAL", finding.Message);
    }

    [Fact]
    public void Unknown_rotation_status_is_an_error_not_a_pass()
    {
        var finding = Assert.Single(TestSnapshots.Run<SecretsKeyHealthyAndRotating>(Encrypted(Key(rotation: null))));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("GetKeyRotationStatus", finding.Message);
    }

    [Fact]
    public void No_customer_key_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<SecretsKeyHealthyAndRotating>(TestSnapshots.Empty())).Status);
    }

    [Fact]
    public void Denied_key_description_is_an_error_when_a_key_is_configured()
    {
        var snapshot = Encrypted(null).With(s => s.Aws.KmsKey = ObjectSection<KmsKeyInfo>.Denied("kms:DescribeKey"));
        var finding = Assert.Single(TestSnapshots.Run<SecretsKeyHealthyAndRotating>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("kms:DescribeKey", finding.Message);
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<SecretsKeyHealthyAndRotating>(snapshot)).Status);
    }
}
