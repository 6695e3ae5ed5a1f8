using System.IO.Compression;
using System.Text;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Engine;

public class SnapshotReaderTests
{
    private const string Minimal = """
        {
          "schemaVersion": 1,
          "clusterArn": "arn:aws:eks:us-gov-west-1:123456789012:cluster/gov",
          "aws": { "cluster": { "status": "collected", "value": { "name": "gov", "createdAt": 1700000000.5 } } },
          "kubernetes": {
            "namespaces": { "items": [ { "metadata": { "name": "default" } } ] },
            "pods": { "status": "denied", "permission": "list pods" },
            "secrets": { "status": "collected", "items": [ { "metadata": { "name": "s", "namespace": "default" }, "type": "Opaque", "data": { "password": "c2VjcmV0" } } ] }
          }
        }
        """;

    private static ClusterSnapshot Read(string text, string name = "test.json") =>
        SnapshotReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), name);

    [Fact]
    public void Reads_identity_sections_and_timestamps()
    {
        var snapshot = Read(Minimal);
        Assert.Equal("gov", snapshot.ClusterName);
        Assert.Equal("us-gov-west-1", snapshot.Region);
        Assert.Equal("123456789012", snapshot.AccountId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500), snapshot.Aws.Cluster!.Value!.CreatedAt);
        Assert.Equal(SectionStatus.Collected, snapshot.DescribeSection(SnapshotSection.Namespaces).Status);
        var pods = snapshot.DescribeSection(SnapshotSection.Pods);
        Assert.Equal(SectionStatus.Denied, pods.Status);
        Assert.Equal("list pods", pods.Permission);
        Assert.Equal(SectionStatus.NotCollected, snapshot.DescribeSection(SnapshotSection.Nodes).Status);
    }

    [Fact]
    public void Secret_data_in_a_file_is_dropped_on_read()
    {
        var secret = Assert.Single(Read(Minimal).Kubernetes.Secrets!.All);
        Assert.Null(secret.Data);
        Assert.Equal("Opaque", secret.Type);
    }

    [Fact]
    public void Reads_gzip()
    {
        var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionMode.Compress, leaveOpen: true))
            zip.Write(Encoding.UTF8.GetBytes(Minimal));
        buffer.Position = 0;
        Assert.Equal("gov", SnapshotReader.Read(buffer, "x.json.gz").ClusterName);
    }

    [Fact]
    public void Newer_schema_is_refused_with_a_stable_id()
    {
        var ex = Assert.Throws<EksSecurityException>(() => Read("""{ "schemaVersion": 7, "clusterName": "x" }""", "future.json"));
        Assert.Equal(SnapshotReader.ErrorSchemaTooNew, ex.ErrorId);
        Assert.Contains("future.json", ex.Message);
        Assert.Contains("7", ex.Message);
    }

    [Fact]
    public void Malformed_json_names_file_and_line()
    {
        var ex = Assert.Throws<EksSecurityException>(() => Read("{\n \"schemaVersion\": 1,\n \"aws\": { nope }\n}", "bad.json"));
        Assert.Equal(SnapshotReader.ErrorCorrupt, ex.ErrorId);
        Assert.Contains("bad.json", ex.Message);
        Assert.Contains("line 3", ex.Message);
    }

    [Fact]
    public void Truncated_json_is_called_truncated()
    {
        var ex = Assert.Throws<EksSecurityException>(() => Read(Minimal[..80], "cut.json"));
        Assert.Equal(SnapshotReader.ErrorCorrupt, ex.ErrorId);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Truncated_gzip_is_corrupt_not_a_crash()
    {
        var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionMode.Compress, leaveOpen: true))
            zip.Write(Encoding.UTF8.GetBytes(Minimal));
        var cut = new MemoryStream(buffer.ToArray()[..(int)(buffer.Length / 2)]);
        var ex = Assert.Throws<EksSecurityException>(() => SnapshotReader.Read(cut, "cut.json.gz"));
        Assert.Equal(SnapshotReader.ErrorCorrupt, ex.ErrorId);
        Assert.Contains("cut.json.gz", ex.Message);
    }

    [Fact]
    public void Wrong_type_in_a_field_names_the_field()
    {
        var ex = Assert.Throws<EksSecurityException>(() => Read("""{ "schemaVersion": 1, "aws": { "cluster": { "status": "collected", "value": { "version": 1.3 } } } }""", "type.json"));
        Assert.Equal(SnapshotReader.ErrorCorrupt, ex.ErrorId);
        Assert.Contains("$.aws.cluster.value.version", ex.Message);
    }

    [Fact]
    public void Missing_file_is_not_found()
    {
        var ex = Assert.Throws<EksSecurityException>(() => SnapshotReader.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json")));
        Assert.Equal(SnapshotReader.ErrorNotFound, ex.ErrorId);
    }

    [Fact]
    public void Unknown_status_value_is_corrupt()
    {
        var ex = Assert.Throws<EksSecurityException>(() => Read("""{ "schemaVersion": 1, "kubernetes": { "pods": { "status": "maybe" } } }"""));
        Assert.Equal(SnapshotReader.ErrorCorrupt, ex.ErrorId);
    }

    [Fact]
    public void Write_then_read_round_trips()
    {
        var snapshot = Read(Minimal);
        var buffer = new MemoryStream();
        SnapshotWriter.Write(snapshot, buffer);
        buffer.Position = 0;
        var again = SnapshotReader.Read(buffer, "again.json");
        Assert.Equal(snapshot.ClusterName, again.ClusterName);
        Assert.Equal(snapshot.Aws.Cluster!.Value!.CreatedAt, again.Aws.Cluster!.Value!.CreatedAt);
        Assert.Equal(SectionStatus.Denied, again.DescribeSection(SnapshotSection.Pods).Status);
        Assert.DoesNotContain("c2VjcmV0", Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
