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
        Assert.Contains("not verified as customer managed", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("section KmsKey: Denied (needs kms:DescribeKey)"));
    }

    [Fact]
    public void Kms_key_section_about_another_key_is_not_used()
    {
        var snapshot = Encrypted().With(s => s.Aws.KmsKey = ObjectSection<KmsKeyInfo>.Collected(new KmsKeyInfo
        {
            KeyMetadata = new KmsKeyMetadata { Arn = "arn:aws:kms:eu-west-1:111122223333:key/ffffffff-0000-0000-0000-000000000000", KeyManager = "AWS" },
        }));
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("section KmsKey describes") && e.Contains("ffffffff"));
    }

    [Fact]
    public void Key_named_by_alias_is_judged_from_the_described_key()
    {
        var snapshot = Encrypted(keyArn: "arn:aws:kms:eu-west-1:111122223333:alias/eks-secrets").With(s => s.Aws.KmsKey = Key("AWS"));
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Fact]
    public void Key_matched_by_key_id_alone_is_judged()
    {
        var snapshot = Encrypted().With(s => s.Aws.KmsKey = ObjectSection<KmsKeyInfo>.Collected(new KmsKeyInfo
        {
            KeyMetadata = new KmsKeyMetadata { KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab", KeyManager = "CUSTOMER" },
        }));
        Assert.Contains("KMS confirms", Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot)).Message);
    }

    [Fact]
    public void Unknown_key_manager_passes_unverified()
    {
        var snapshot = Encrypted().With(s => s.Aws.KmsKey = Key("SOMETHING_NEW"));
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("KeyManager 'SOMETHING_NEW'", finding.Message);
    }

    [Fact]
    public void Key_of_another_account_is_noted()
    {
        var snapshot = Encrypted(keyArn: "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        var finding = Assert.Single(TestSnapshots.Run<SecretsEncryptedWithCustomerKey>(snapshot));
        Assert.Contains(finding.Evidence, e => e == "the key belongs to account 444455556666, not the cluster's account 111122223333");
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
