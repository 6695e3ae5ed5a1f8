using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Data;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Data;

public class SecretsEncryptedWithCustomerKeyTests
{
    private const string KeyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static ClusterSnapshot Encrypted(string? keyArn = KeyArn, string resource = "secrets") => TestSnapshots.Empty().With(s =>
        s.Cluster().EncryptionConfig = [new EksEncryptionConfig { Resources = [resource], Provider = new EksEncryptionProvider { KeyArn = keyArn } }]);

    private static ObjectSection<KmsKeyInfo> Key(string manager) => ObjectSection<KmsKeyInfo>.Collected(new KmsKeyInfo
    {
        KeyMetadata = new KmsKeyMetadata { Arn = KeyArn, KeyManager = manager, KeyState = "Enabled", Enabled = true },
    });

    [Fact]
    public void No_encryption_before_1_28_fails_high()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().Version = "1.27");
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("EKS-DATA-001", finding.RuleId);
        Assert.Equal("test-cluster", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e == "encryptionConfig = (none)");
        Assert.Contains(finding.Evidence, e => e.Contains("1.27 < 1.28"));
    }

    [Fact]
    public void No_customer_key_from_1_28_fails_medium_for_default_encryption()
    {
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("AWS-owned", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("1.33 >= 1.28"));
    }

    [Fact]
    public void Encryption_config_with_a_key_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(Encrypted()));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(KeyArn, finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("resources = [secrets]") && e.Contains(KeyArn));
    }

    [Fact]
    public void Collected_customer_key_is_confirmed_in_the_message()
    {
        var snapshot = Encrypted().With(s => s.Aws.KmsKey = Key("CUSTOMER"));
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("customer managed", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("KeyManager = CUSTOMER"));
    }

    [Fact]
    public void Aws_managed_key_fails_medium()
    {
        var snapshot = Encrypted().With(s => s.Aws.KmsKey = Key("AWS"));
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("AWS managed key", finding.Message);
    }

    [Fact]
    public void Denied_kms_key_is_optional_and_does_not_block_the_verdict()
    {
        var snapshot = Encrypted().With(s => s.Aws.KmsKey = ObjectSection<KmsKeyInfo>.Denied("kms:DescribeKey"));
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.DoesNotContain("confirms", finding.Message);
    }

    [Fact]
    public void Config_for_secrets_without_a_key_arn_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(Encrypted(keyArn: null)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("names no provider.keyArn"));
    }

    [Fact]
    public void Unreadable_version_without_encryption_fails_high()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().Version = "latest");
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Contains("missing or unreadable"));
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeCluster", finding.Message);
    }
}
